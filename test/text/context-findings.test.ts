import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { contextValuesOf } from '../../src/fhir/patient.js';
import { findPhi, hasContextFinding } from '../../src/text/find-phi.js';
import type { ContextValue } from '../../src/text/types.js';

// The single-regex form of the context rule (values longest first, each
// between lookarounds: no letter, digit or `_` beside a word, no digit beside
// a number of six digits or more that begins and ends with one), written out
// here as the reference the matcher must equal.
function reference(text: string, values: ContextValue[]): Array<[number, number]> {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const all = [...new Set(values.map((v) => v.value.trim()).filter((v) => v.length >= 2))].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  const isNumber = (v: string) => /^[0-9](.*[0-9])?$/s.test(v) && v.replace(/[^0-9]/g, '').length >= 6;
  const alt = all.map((v) => {
    const body = esc(v).replace(/\s+/g, '\\s+');
    return isNumber(v) ? `(?<!\\p{N})${body}(?!\\p{N})` : `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`;
  });
  const re = new RegExp(alt.join('|'), 'giu');
  return [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);
}

const found = (text: string, context: ContextValue[]) =>
  findPhi(text, { infoTypes: ['NO_SUCH_INFO_TYPE'], context }).map((f): [number, number] => [f.start, f.end]);

const samples = path.resolve(import.meta.dirname, '../../../shared/data/fhir-samples/bulk-smart-10-patients');

t.test('context values are found where the lookbehind form finds them, on the notes of real patients', async (t) => {
  const patients = fs.readFileSync(path.join(samples, 'Patient.000.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const notes = fs
    .readFileSync(path.join(samples, 'DocumentReference.000.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 60)
    .map((l) => Buffer.from(JSON.parse(l).content[0].attachment.data, 'base64').toString('utf8'));
  let matches = 0;
  for (const p of patients.slice(0, 10)) {
    const ctx = contextValuesOf(p);
    for (const note of notes) {
      const want = reference(note, ctx);
      matches += want.length;
      t.same(found(note, ctx), want);
    }
  }
  t.ok(matches > 0, `${matches} context matches compared`);
});

t.test('boundaries: letters, digits, underscore, marks that fold to letters, surrogate pairs, case', async (t) => {
  const ctx: ContextValue[] = [
    { value: 'Ann', infoType: 'FIRST_NAME' },
    { value: 'Ann Lee', infoType: 'PERSON_NAME' },
    { value: '555-1234', infoType: 'PHONE_NUMBER' },
    { value: '𝒜bc', infoType: 'LAST_NAME' },
    { value: 'Ωmega', infoType: 'LAST_NAME' },
  ];
  const pieces = ['Ann', 'ann', 'ANN', ' ', '_', 'x', '9', 'Lee', '\u0345', '𝒜', '😀', '𝒜bc', '555-1234', '-', '\u2126mega', 'ωmega', '\n', 'é'];
  let s = 0x1234;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) % pieces.length;
  let matches = 0;
  for (let i = 0; i < 3000; i++) {
    let text = '';
    for (let j = 0; j < 12; j++) text += pieces[rand()];
    const want = reference(text, ctx);
    matches += want.length;
    const got = found(text, ctx);
    if (JSON.stringify(got) !== JSON.stringify(want)) t.fail(`text #${i}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  }
  t.ok(matches > 1000, `${matches} matches compared`);
});

t.test('ASCII texts: the run check in front of the regex rules out only texts the regex does not match', async (t) => {
  const contexts: ContextValue[][] = [
    [
      { value: 'Ann', infoType: 'FIRST_NAME' },
      { value: 'Ann Lee', infoType: 'PERSON_NAME' },
      { value: 'lee', infoType: 'LAST_NAME' },
      { value: 'O_Neil', infoType: 'LAST_NAME' },
      { value: '555-1234', infoType: 'PHONE_NUMBER' },
      { value: 'a.b@x.org', infoType: 'EMAIL_ADDRESS' },
      { value: 'Ann\u00a0Marie', infoType: 'PERSON_NAME' },
      { value: 'José', infoType: 'FIRST_NAME' },
      { value: '12 Elm St.', infoType: 'STREET_ADDRESS' },
    ],
    // values that match ASCII through U+017F and U+212A, and values without a run of letters or digits
    [{ value: 'Joſeph', infoType: 'FIRST_NAME' }, { value: 'Lee', infoType: 'LAST_NAME' }],
    [{ value: '\u212Aim', infoType: 'FIRST_NAME' }],
    [{ value: '--', infoType: 'MEDICAL_RECORD_NUMBER' }, { value: 'Lee', infoType: 'LAST_NAME' }],
    [{ value: '李明', infoType: 'PERSON_NAME' }, { value: 'Lee', infoType: 'LAST_NAME' }],
  ];
  const pieces = ['Ann', 'ann', 'ANN', 'Lee', 'LEE', 'Ann Lee', 'ann\tLEE', 'Ann\u00a0Lee', ' ', '  ', '\t', '\n', '_', 'x', '9', 'O_Neil', 'o_neil', 'O', '_Neil', 'Neil', '555', '-', '1234', '555-1234',
    'a.b@x.org', 'A.B@X.ORG', '@', '.', 'Marie', 'Jos', 'Joseph', 'JOSEPH', 'kim', 'Kim', 'KIM', '--', '12', 'Elm', 'St', 'St.', 'é'];
  let s = 0x4321;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) % pieces.length;
  let matches = 0;
  let texts = 0;
  for (const ctx of contexts) {
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let j = 0; j < 10; j++) text += pieces[rand()];
      const want = reference(text, ctx);
      matches += want.length;
      texts++;
      const got = found(text, ctx);
      if (JSON.stringify(got) !== JSON.stringify(want)) t.fail(`context ${contexts.indexOf(ctx)}, text ${JSON.stringify(text)}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      if (hasContextFinding(text, ctx) !== want.length > 0) t.fail(`hasContextFinding, context ${contexts.indexOf(ctx)}, text ${JSON.stringify(text)}`);
    }
  }
  t.ok(matches > 1000, `${matches} matches compared in ${texts} texts`);
});

t.test('Hangul: a name with a particle attached is found, as in unspaced scripts', async (t) => {
  const ctx: ContextValue[] = [{ value: '김희중', infoType: 'PERSON_NAME' }];
  t.same(found('환자 김희중씨의 검사', ctx), [[3, 6]]);
  t.same(found('김희중의 CT', ctx), [[0, 3]]);
});

t.test('a number of six digits or more is found wherever no digit touches it, a shorter one and words only between boundaries', async (t) => {
  const ctx: ContextValue[] = [
    { value: '4455667', infoType: 'MEDICAL_RECORD_NUMBER' },
    { value: '078-05-1120', infoType: 'US_SOCIAL_SECURITY_NUMBER' },
    { value: '12345', infoType: 'LOCATION' },
    { value: 'Zyxwood', infoType: 'LAST_NAME' },
    { value: 'A77B', infoType: 'MEDICAL_RECORD_NUMBER' },
  ];
  const spans = (text: string) => found(text, ctx).map(([s, e]) => text.slice(s, e));
  for (const text of ['MRN4455667 seen', 'MRN4455667', 'ssn078-05-1120.', 'id_4455667x', 'é MRN4455667 é']) t.equal(spans(text).length, 1, text);
  t.same(spans('MRN4455667 and SSN078-05-1120 for Zyxwood'), ['4455667', '078-05-1120', 'Zyxwood']);
  t.same(spans('44556678 or 14455667 or 4455667.5'), ['4455667'], 'a digit beside it is another number; a point is no digit');
  t.same(spans('ZIP12345 and x12345 and 12345'), ['12345'], 'five digits: whole words only');
  t.same(spans('MrZyxwood A77Bx xA77B A77B'), ['A77B'], 'letters: whole words only');
  t.equal(hasContextFinding('MRN4455667', ctx), true);
  t.equal(hasContextFinding('MRN44556670', ctx), false);
});
