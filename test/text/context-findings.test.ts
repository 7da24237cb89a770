import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { contextValuesOf } from '../../src/fhir/patient.js';
import { findPhi } from '../../src/text/find-phi.js';
import type { ContextValue } from '../../src/text/types.js';

// The single-regex form of the context rule (lookbehind, values longest
// first, lookahead), written out here as the reference the matcher must equal.
function reference(text: string, values: ContextValue[]): Array<[number, number]> {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const all = [...new Set(values.map((v) => v.value.trim()).filter((v) => v.length >= 2))].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  const re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${all.map((v) => esc(v).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
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
