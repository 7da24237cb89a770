import t from 'tap';
import { cjkDateDetector, parseCjkDate } from '../../src/detectors/date-cjk.js';
import { findPhi } from '../../src/text/find-phi.js';
import { run } from './run-detector.js';

function found(text: string): [string, string, string][] {
  return run(cjkDateDetector, text).map((f) => [f.quote, f.infoType, f.likelihood]);
}

t.test('Chinese and Japanese year-month-day, year-month, month-day; Korean with spaces', async (t) => {
  t.same(found('受診日：2023年4月5日、次回は2023年5月。'), [['2023年4月5日', 'DATE', 'VERY_LIKELY'], ['2023年5月', 'DATE', 'LIKELY']]);
  t.same(found('4月5日に来院'), [['4月5日', 'DATE', 'LIKELY']]);
  t.same(found('2023년 4월 5일 방문, 2023년 5월'), [['2023년 4월 5일', 'DATE', 'VERY_LIKELY'], ['2023년 5월', 'DATE', 'LIKELY']]);
  t.same(found('2023年4月5号入院'), [['2023年4月5号', 'DATE', 'VERY_LIKELY']]);
  t.same(found('２０２３年４月５日'), [['２０２３年４月５日', 'DATE', 'VERY_LIKELY']], 'full-width digits');
  t.same(found('2023年'), [['2023年', 'DATE', 'POSSIBLE']], 'a year alone');
});

t.test('Japanese era years', async (t) => {
  t.same(found('令和5年4月5日'), [['令和5年4月5日', 'DATE', 'VERY_LIKELY']]);
  t.same(parseCjkDate('令和5年4月5日'), { month: 4, monthPart: { start: 4, end: 5 }, day: 5, dayPart: { start: 6, end: 7 }, era: '令和', eraPart: { start: 0, end: 2 }, yearPart: { start: 2, end: 3 }, year: 2023 });
  t.equal(parseCjkDate('平成元年1月8日')?.year, 1989, '元年 is year 1');
  t.equal(parseCjkDate('昭和64年1月7日')?.year, 1989, 'the last day of Showa');
  t.equal(parseCjkDate('平成31年4月30日')?.year, 2019, 'the last day of Heisei');
  t.equal(parseCjkDate('大正15年12月24日')?.year, 1926);
});

t.test('era initials in Japanese text, dotted dates in Korean text', async (t) => {
  t.same(found('受診日 R5.4.5 再診'), [['R5.4.5', 'DATE', 'VERY_LIKELY']]);
  t.same(found('生年月日 S45/3/3'), [['S45/3/3', 'DATE_OF_BIRTH', 'VERY_LIKELY']]);
  t.equal(parseCjkDate('H31.4.30')?.year, 2019);
  t.same(found('H31.5.1 来院'), [['H31.5.1', 'DATE', 'POSSIBLE']], 'after the end of Heisei: found, not readable');
  t.same(found('방문일 2023. 4. 5. 오전'), [['2023. 4. 5.', 'DATE', 'VERY_LIKELY']]);
  t.same(found('Heart S1.2.3 normal, R5.4.5 given, 2023. 4. 5. seen'), [], 'not in English text');
  t.same(found('受診 R5.4.5.6'), [], 'not inside a longer dotted number');
});

t.test('date of birth context', async (t) => {
  t.same(found('生年月日：昭和45年3月3日'), [['昭和45年3月3日', 'DATE_OF_BIRTH', 'VERY_LIKELY']]);
  t.same(found('생년월일: 1970년 3월 3일'), [['1970년 3월 3일', 'DATE_OF_BIRTH', 'VERY_LIKELY']]);
});

t.test('adversarial: impossible dates are found but not readable (so they are redacted, never shifted)', async (t) => {
  for (const bad of ['2023年13月40日', '2023年2月29日', '2023年0月1日', '令和0年1月1日', '平成31年5月1日', '令和元年4月30日', '昭和64年1月8日', '明治5年1月1日', '23年4月5日', '2023年4月31日']) {
    const f = found(bad);
    t.equal(f.length, 1, `${bad} found`);
    t.equal(f[0]?.[0], bad, `${bad} whole`);
    t.equal(f[0]?.[2], 'POSSIBLE', `${bad} only possible`);
    t.equal(parseCjkDate(bad), undefined, `${bad} not readable`);
  }
  t.same(found('3年前から、1年半'), [], 'durations are not dates');
  t.same(found('12345年1月'), [], 'no year inside a longer number, and a month alone is no date');
  t.same(found(''), []);
  t.same(found('年月日년월일'), [], 'markers without digits');
  const many = '2023年4月5日、'.repeat(5000);
  t.equal(found(many).length, 5000);
});

t.test('Latin text is left to the other date detector and CJK dates are not split by it', async (t) => {
  t.same(found('Seen 7/22/2019, March 3rd 2020.'), []);
  const text = '患者は2023年4月5日に受診';
  t.same(findPhi(text, { infoTypes: ['DATE'] }).map((f) => text.slice(f.start, f.end)), ['2023年4月5日']);
});
