// `deid text`: a context value with infoType BIRTH_DATE names the patient's
// birth date, so a date in the text on that day is a date of birth whatever
// words are around it. Over 89 on the reference day it becomes
// [DATE_OF_BIRTH] (Safe Harbor (C)); otherwise it is shifted as any date.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { Keyed } from '../../src/core/keyed.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = '5a'.repeat(32);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-text-birth-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const config = path.join(dir, 'config.json');
fs.writeFileSync(config, JSON.stringify({ deid: { ageReferenceDate: '2026-12-07' } }));

async function deidText(records: object[]): Promise<string[]> {
  const r = await runCli(['text', '-c', config], { input: records.map((x) => JSON.stringify(x)).join('\n') + '\n', key: KEY });
  if (r.code !== 0) throw new Error(`exit ${r.code}`);
  return r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l).text as string);
}

function shifted(patient: string, y: number, m: number, d: number): string {
  const at = new Date(Date.UTC(y, m - 1, d) + new Keyed(Buffer.from(KEY, 'hex')).dateShiftDays(patient) * 86400000);
  return `${String(at.getUTCMonth() + 1).padStart(2, '0')}/${String(at.getUTCDate()).padStart(2, '0')}/${at.getUTCFullYear()}`;
}

t.test("the patient's birth date in the text, over 89, is [DATE_OF_BIRTH] in any form; other dates are shifted", async (t) => {
  const text = 'Chart 03/24/1923 reviewed, also 1923-03-24; seen 03/24/2020.';
  const [withBirth, without] = await deidText([
    { id: 'n1', patient: 'p1', text, context: [{ value: '1923-03-24', infoType: 'BIRTH_DATE' }] },
    { id: 'n2', patient: 'p1', text },
  ]);
  t.equal(withBirth, `Chart [DATE_OF_BIRTH] reviewed, also [DATE_OF_BIRTH]; seen ${shifted('p1', 2020, 3, 24)}.`);
  t.notMatch(withBirth, /1923|19[23]\d\b/, 'no year that shows the age');
  t.match(without, new RegExp(`^Chart ${shifted('p1', 1923, 3, 24).replace(/\//g, '\\/')} reviewed`), 'without the context the same words give no date of birth: the date is shifted');
});

t.test('a birth date that is not over 89 is shifted as a date, and the context is not written back', async (t) => {
  const r = await runCli(['text', '-c', config], { input: JSON.stringify({ id: 'n3', patient: 'p3', text: 'Chart 03/24/1970 reviewed.', context: [{ value: '1970-03-24', infoType: 'BIRTH_DATE' }] }) + '\n', key: KEY });
  t.equal(r.code, 0);
  const out = JSON.parse(r.stdout.toString());
  t.equal(out.text, `Chart ${shifted('p3', 1970, 3, 24)} reviewed.`);
  t.equal(out.context, undefined);
  t.notMatch(r.stdout.toString() + r.stderr.toString(), /1970-03-24|03\/24\/1970/, 'the birth date itself appears nowhere');
});
