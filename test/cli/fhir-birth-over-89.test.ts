import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { birthDateOver89, todayUtc } from '../../src/core/age-over-89.js';
import { parseNdjson, runCli, sharedData } from '../helpers/run-cli.js';
import { expectNowhere, runFhirOnRecords } from '../helpers/fhir-cli-run.js';

type Json = Record<string, any>;

// Safe Harbor (C): a birth date telling an age over 89 is aggregated into one
// "90 or older" category. The Synthea bulk export holds patients born in the 1920s.
const patients = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Patient.ndjson');
const input = fs.readFileSync(patients, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Json);

function configFile(t: Test, day: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-over89-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, `fhirFieldConfig:\n  profileType: BASIC\n  options:\n    contextualDeid: {}\ndeid:\n  ageReferenceDate: "${day}"\n`);
  return file;
}

async function run(t: Test, args: string[]): Promise<{ out: Json[]; report: Json; stdout: Buffer; code: number | null; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-over89-run-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const report = path.join(dir, 'report.json');
  const r = await runCli(['fhir', patients, '--report', report, ...args]);
  return { out: parseNdjson(r.stdout) as Json[], report: fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) : {}, stdout: r.stdout, code: r.code, stderr: r.stderr };
}

t.test('on the Synthea patients: those over 89 on the reference day get the one category, the others a shifted birth date', async (t) => {
  const day = '2026-12-07';
  const r = await run(t, ['-c', configFile(t, day)]);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.out.length, input.length, 'one output record per input record, in order');
  let over = 0;
  for (let i = 0; i < input.length; i++) {
    const src = input[i]!;
    const expected = birthDateOver89(src.birthDate, day, src.deceasedDateTime);
    if (expected !== undefined) {
      over++;
      t.equal(r.out[i]!.birthDate, '1936', `patient ${i}: the category`);
      t.ok(r.out[i]!.meta.security.some((s: Json) => s.code === 'ABSTRED'), `patient ${i}: labelled`);
    } else {
      t.match(r.out[i]!.birthDate, /^\d{4}-\d{2}-\d{2}$/, `patient ${i}: a full date`);
      t.not(r.out[i]!.birthDate, src.birthDate, `patient ${i}: shifted`);
    }
  }
  t.ok(over >= 3, `the sample has patients over 89 (${over})`);
  t.ok(input.length - over >= 3, 'and younger ones');
  t.equal(r.report.actions['Patient.birthDate: generalized'], over, 'counted in the report');
  t.equal(r.report.ageReferenceDate, day, 'the report names the reference day');
  const outText = r.stdout.toString('utf8');
  for (const p of input) if (birthDateOver89(p.birthDate, day, p.deceasedDateTime)) t.notMatch(outText, new RegExp(`"${p.birthDate.slice(0, 4)}-`), 'no date in the birth year of a patient over 89');
});

t.test('an earlier reference day counts fewer patients over 89; the same day gives the same bytes', async (t) => {
  const a = await run(t, ['-c', configFile(t, '2016-01-01')]);
  const b = await run(t, ['-c', configFile(t, '2026-12-07')]);
  const c = await run(t, ['-c', configFile(t, '2016-01-01')]);
  t.equal(a.code, 0, a.stderr);
  const count = (r: { report: Json }) => r.report.actions['Patient.birthDate: generalized'] ?? 0;
  t.ok(count(a) < count(b), `${count(a)} < ${count(b)}`);
  t.ok(a.out.some((p) => p.birthDate === '1926'), 'the category of 2016');
  t.ok(a.stdout.equals(c.stdout), 'byte-identical with the same reference day');
});

t.test('with no config the reference day is the run\u2019s day (UTC)', async (t) => {
  const before = todayUtc();
  const r = await run(t, []);
  t.equal(r.code, 0, r.stderr);
  t.ok([before, todayUtc()].includes(r.report.ageReferenceDate), r.report.ageReferenceDate);
});

t.test('a reference day that is no date fails before any output', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-over89-bad-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'c.json');
  fs.writeFileSync(file, JSON.stringify({ deid: { ageReferenceDate: '2026-02-30' } }));
  const r = await runCli(['fhir', patients, '-c', file]);
  t.equal(r.code, 78, 'the config error status');
  t.equal(r.stdout.length, 0, 'nothing on stdout');
  t.match(r.stderr, /deid\.ageReferenceDate: is no day of the calendar/);
});

t.test('a date of birth written in the notes of a patient over 89 is not shifted but replaced', async (t) => {
  const note = 'Pt DOB: 03/24/1923, lives alone.';
  const records: Json[] = [
    { resourceType: 'Patient', id: 'old', birthDate: '1923-03-24' },
    { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'Social history' }, subject: { reference: 'Patient/old' }, note: [{ text: note }] },
    {
      resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: 'Patient/old' },
      content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(note).toString('base64') } }],
    },
  ];
  const r = await runFhirOnRecords(t, records, ['-c', configFile(t, '2026-12-07')]);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.out[1]!.note[0].text, 'Pt DOB: [DATE_OF_BIRTH], lives alone.');
  t.equal(Buffer.from(r.out[2]!.content[0].attachment.data, 'base64').toString('utf8'), 'Pt DOB: [DATE_OF_BIRTH], lives alone.');
  expectNowhere(t, r, /1923/, 'the year of birth');
});

t.test("the patient's birth date written in a note with no DOB word: replaced for a patient over 89, shifted for a younger one", async (t) => {
  const records: Json[] = [
    { resourceType: 'Patient', id: 'old', birthDate: '1923-03-24' },
    { resourceType: 'Patient', id: 'young', birthDate: '1953-03-24' },
    { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'Note' }, subject: { reference: 'Patient/old' }, note: [{ text: 'Chart 03/24/1923 reviewed.' }] },
    { resourceType: 'Observation', id: 'o2', status: 'final', code: { text: 'Note' }, subject: { reference: 'Patient/young' }, note: [{ text: 'Chart 03/24/1953 reviewed.' }] },
  ];
  const r = await runFhirOnRecords(t, records, ['-c', configFile(t, '2026-12-07')]);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.out[2]!.note[0].text, 'Chart [DATE_OF_BIRTH] reviewed.');
  t.match(r.out[3]!.note[0].text, /^Chart \d{2}\/\d{2}\/1953 reviewed\.$/);
  t.not(r.out[3]!.note[0].text, 'Chart 03/24/1953 reviewed.', 'shifted');
  expectNowhere(t, r, /1923/, 'the year of birth of the patient over 89');
});

t.test('deid text: the same, with the reference day of its config', async (t) => {
  const lines = [{ id: 1, patient: 'old', text: 'DOB: 03/24/1923' }, { id: 2, patient: 'young', text: 'DOB: 03/24/1953' }].map((l) => JSON.stringify(l)).join('\n') + '\n';
  const r = await runCli(['text', '-c', configFile(t, '2026-12-07')], { input: lines });
  t.equal(r.code, 0, r.stderr.toString());
  const out = parseNdjson(r.stdout) as Json[];
  t.equal(out[0]!.text, 'DOB: [DATE_OF_BIRTH]');
  t.match(out[1]!.text, /^DOB: \d{2}\/\d{2}\/1953$/);
  t.not(out[1]!.text, 'DOB: 03/24/1953', 'shifted');
});
