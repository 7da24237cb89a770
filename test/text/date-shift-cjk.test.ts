import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { shiftDateText } from '../../src/text/shift-date-text.js';
import { env, only } from './transformations.js';

t.test('CJK dates keep their form when shifted', async (t) => {
  const cases: [string, number, string][] = [
    ['2023年4月5日', 20, '2023年4月25日'],
    ['2023年4月5日', -100, '2022年12月26日'],
    ['2023年04月05日', 30, '2023年05月05日'],
    ['2023年5月', 30, '2023年6月'],
    ['4月5日', 30, '5月5日'],
    ['2023년 4월 5일', 20, '2023년 4월 25일'],
    ['2023년 12월', 31, '2024년 1월'],
    ['２０２３年４月５日', 20, '２０２３年４月２５日'],
    ['２０２３年１２月３１日', 1, '２０２４年１月１日'],
    ['2023年4月5号', 1, '2023年4月6号'],
    ['2024年2月29日', 1, '2024年3月1日'],
    ['2023. 4. 5.', 20, '2023. 4. 25.'],
    ['2023. 12. 31', 1, '2024. 1. 1'],
  ];
  for (const [input, days, want] of cases) t.equal(shiftDateText(input, days), want, `${input} ${days}`);
});

t.test('era dates: the same era while the shifted date stays in it, else the era it falls in', async (t) => {
  const cases: [string, number, string][] = [
    ['令和5年4月5日', 20, '令和5年4月25日'],
    ['令和１０年１月１日', -1, '令和９年１２月３１日'],
    ['令和元年5月1日', 20, '令和元年5月21日'],
    ['令和元年5月1日', -100, '平成31年1月21日'],
    ['平成31年4月20日', 20, '令和1年5月10日'],
    ['昭和64年1月5日', 20, '平成1年1月25日'],
    ['昭和64年1月5日', -100, '昭和63年9月27日'],
    ['平成元年1月8日', 365, '平成2年1月8日'],
    ['大正15年12月20日', 10, '昭和1年12月30日'],
    ['明治6年1月1日', -100, '1872年9月23日'],
    ['令和5年4月', 30, '令和5年5月'],
    ['R5.4.5', 20, 'R5.4.25'],
    ['H31.4.20', 20, 'R1.5.10'],
    ['S45/3/3', 20, 'S45/3/23'],
  ];
  for (const [input, days, want] of cases) t.equal(shiftDateText(input, days), want, `${input} ${days}`);
});

t.test('fail closed: dates that cannot be read are not shifted', async (t) => {
  for (const bad of ['2023年13月40日', '2023年2月29日', '平成31年5月1日', '令和元年4月30日', '23年4月5日', '2023年4月31日', '2023年4月5日 extra', '年月日', 'H31.5.1', 'R5.13.5']) {
    t.equal(shiftDateText(bad, 10), undefined, bad);
  }
  const cfg = only({ kind: 'dateShift' }, ['DATE']);
  t.equal(deidentifyText('受診日2023年13月40日、再診2023年4月5日。', cfg, env).text, '受診日、再診2023年4月15日。', 'the malformed date is redacted, the valid one shifted');
  t.equal(deidentifyText('受診日2023年4月5日', cfg, { cryptoHash: env.cryptoHash }).text, '受診日', 'no patient shift: redacted');
});

t.test('BASIC profile shifts CJK dates of birth and visits alike', async (t) => {
  const r = deidentifyText('生年月日：昭和45年3月3日、受診：2023년 4월 5일', { profile: 'BASIC', transformations: [], excludeInfoTypes: [] }, env);
  t.equal(r.text, '生年月日：昭和45年3月13日、受診：2023년 4월 15일');
  t.same(r.counts, { DATE_OF_BIRTH: 1, DATE: 1 });
});
