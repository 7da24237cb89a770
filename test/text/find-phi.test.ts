import t from 'tap';
import { findPhi, resolveOverlaps } from '../../src/text/find-phi.js';
import type { Finding } from '../../src/text/types.js';

const NOTE = 'Pt seen by Dr. Wall on 7/22/2019. Wife Grace called (410) 555-1234. MRN: 12345678. Email j.doe@example.com.';

t.test('findings are sorted, non-overlapping and typed', async (t) => {
  const f = findPhi(NOTE);
  t.same(
    f.map((x) => [NOTE.slice(x.start, x.end), x.infoType]),
    [
      ['Wall', 'PERSON_NAME'],
      ['7/22/2019', 'DATE'],
      ['Grace', 'PERSON_NAME'],
      ['(410) 555-1234', 'PHONE_NUMBER'],
      ['12345678', 'MEDICAL_RECORD_NUMBER'],
      ['j.doe@example.com', 'EMAIL_ADDRESS'],
    ],
  );
});

t.test('infoTypes restricts, excludeInfoTypes removes; parents include children', async (t) => {
  t.same(findPhi(NOTE, { infoTypes: ['DATE'] }).map((x) => x.infoType), ['DATE']);
  t.same(findPhi('DOB 03/04/1950', { infoTypes: ['DATE'] }).map((x) => x.infoType), ['DATE_OF_BIRTH']);
  t.same(findPhi(NOTE, { infoTypes: ['FIRST_NAME'] }).map((x) => [NOTE.slice(x.start, x.end), x.infoType]), [['Grace', 'FIRST_NAME']], 'a part is reported as itself');
  const ex = findPhi(NOTE, { excludeInfoTypes: ['PERSON_NAME', 'PHONE_NUMBER'] }).map((x) => x.infoType);
  t.same(ex, ['DATE', 'MEDICAL_RECORD_NUMBER', 'EMAIL_ADDRESS']);
});

t.test('an excluded infoType is found, not transformed: its finding still claims its span', async (t) => {
  const text = 'Contact john@example.com or mary.smith@hospital.org today';
  t.same(findPhi(text).map((x) => x.infoType), ['EMAIL_ADDRESS', 'EMAIL_ADDRESS']);
  t.same(findPhi(text, { excludeInfoTypes: ['EMAIL_ADDRESS'] }), [], 'no name is found inside a kept email address');
  const note = 'Patient John Smith, john.smith@example.com';
  t.same(
    findPhi(note, { excludeInfoTypes: ['EMAIL_ADDRESS'] }).map((x) => [note.slice(x.start, x.end), x.infoType]),
    findPhi(note).filter((x) => x.infoType !== 'EMAIL_ADDRESS').map((x) => [note.slice(x.start, x.end), x.infoType]),
    'findings outside the kept span are unchanged',
  );
});

t.test('resolveOverlaps leaves out a cluster whose best finding is kept', async (t) => {
  const email: Finding = { start: 0, end: 16, infoType: 'EMAIL_ADDRESS', likelihood: 'VERY_LIKELY' };
  const name: Finding = { start: 0, end: 4, infoType: 'PERSON_NAME', likelihood: 'POSSIBLE' };
  const strong: Finding = { start: 10, end: 30, infoType: 'PERSON_NAME', likelihood: 'VERY_LIKELY' };
  t.same(resolveOverlaps([name, email], new Set([email])), []);
  t.same(resolveOverlaps([name, email, strong], new Set([email])), [{ start: 0, end: 30, infoType: 'PERSON_NAME', likelihood: 'VERY_LIKELY' }], 'a better finding overlapping it still takes the whole cluster');
});

t.test('minLikelihood drops weaker findings', async (t) => {
  const text = 'a 58 year old, lives in Springfield';
  t.same(findPhi(text, { infoTypes: ['AGE'] }), [], 'ages under 90 are UNLIKELY, below the default threshold');
  t.equal(findPhi(text, { infoTypes: ['AGE'], minLikelihood: 'UNLIKELY' }).length, 1);
  t.ok(findPhi(NOTE, { minLikelihood: 'VERY_LIKELY' }).every((x) => x.likelihood === 'VERY_LIKELY'));
});

t.test('contextual values: every whole-word case-insensitive occurrence is CTX', async (t) => {
  const text = 'BRUCER family at bedside; Ms Antonette Brucer calm; Brucerville is not her.';
  const f = findPhi(text, { context: [{ value: 'Brucer', infoType: 'PERSON_NAME' }, { value: 'antonette brucer', infoType: 'PERSON_NAME' }] });
  const ctx = f.filter((x) => x.infoType === 'CTX').map((x) => text.slice(x.start, x.end));
  t.same(ctx, ['BRUCER', 'Antonette Brucer']);
  t.same(findPhi(text, { context: [{ value: 'Brucer', infoType: 'PERSON_NAME' }], excludeInfoTypes: ['CTX'], infoTypes: ['DATE'] }), [], 'CTX can be excluded');
  t.equal(findPhi(text, { context: [{ value: 'Brucer', infoType: 'PERSON_NAME' }], infoTypes: ['DATE'] }).length, 2, 'infoTypes does not turn context off');
  t.same(findPhi('x', { context: [{ value: 'x', infoType: 'CTX' }] }), [], 'one-character values and texts are ignored');
  t.same(findPhi('a+b (c) a+b', { context: [{ value: 'a+b (c)', infoType: 'CTX' }] }).map((x) => [x.start, x.end]), [[0, 7]], 'regex characters are literal');
});

t.test('overlap rule: union of the cluster, typed by its best finding', async (t) => {
  const f = (start: number, end: number, infoType: string, likelihood: Finding['likelihood']): Finding => ({ start, end, infoType, likelihood });
  t.same(resolveOverlaps([f(0, 5, 'A', 'POSSIBLE'), f(3, 9, 'B', 'LIKELY'), f(8, 12, 'C', 'POSSIBLE'), f(20, 22, 'D', 'LIKELY')]), [f(0, 12, 'B', 'LIKELY'), f(20, 22, 'D', 'LIKELY')]);
  t.same(resolveOverlaps([f(0, 4, 'Z', 'LIKELY'), f(0, 6, 'Y', 'LIKELY')]), [f(0, 6, 'Y', 'LIKELY')], 'longer wins a likelihood tie');
  t.same(resolveOverlaps([f(0, 4, 'Z', 'LIKELY'), f(0, 4, 'Y', 'LIKELY')]), [f(0, 4, 'Y', 'LIKELY')], 'then the infoType name');
  t.same(resolveOverlaps([f(5, 6, 'A', 'LIKELY'), f(6, 7, 'B', 'LIKELY')]), [f(5, 6, 'A', 'LIKELY'), f(6, 7, 'B', 'LIKELY')], 'touching spans stay apart');
  const shuffled = [f(8, 12, 'C', 'POSSIBLE'), f(20, 22, 'D', 'LIKELY'), f(3, 9, 'B', 'LIKELY'), f(0, 5, 'A', 'POSSIBLE')];
  t.same(resolveOverlaps(shuffled), resolveOverlaps([...shuffled].reverse()), 'input order does not matter');
});

t.test('deterministic across calls and independent of earlier inputs', async (t) => {
  const a = findPhi(NOTE);
  findPhi('Dr. Smith ' + 'x'.repeat(10000));
  t.same(findPhi(NOTE), a);
});

t.test('contextual values in scripts written without spaces match inside words', async (t) => {
  const found = findPhi('患者张无忌今天复诊，张无忌的母亲陪同。', { context: [{ value: '张无忌', infoType: 'PERSON_NAME' }] });
  t.same(found.filter((f) => f.infoType === 'CTX').map((f) => [f.start, f.end]), [[2, 5], [10, 13]]);
  const latin = findPhi('Annabel and Ann met.', { context: [{ value: 'Ann', infoType: 'FIRST_NAME' }] });
  t.same(latin.filter((f) => f.infoType === 'CTX').map((f) => [f.start, f.end]), [[12, 15]], 'Latin names still need word boundaries');
});
