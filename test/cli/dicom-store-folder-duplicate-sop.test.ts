// A folder destination of `deid dicom-store` holds a SOPInstanceUID once: two
// source instances of different studies that share one (a modality that
// reuses UIDs) would land on two names. The later is DICOM_DUPLICATE_SOP, in
// the same operation and against what the folder held before (a later
// operation); the same instance again replaces itself. The folder's index
// of instances is a temporary folder of its own, gone when the run ends.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { runCli, sharedData } from '../helpers/run-cli.js';
import { headerOf, makeStudies, testUid, walkFiles } from './dataset-dicom-helpers.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

const sample = path.join(sharedData, 'dicom-samples', 'ts/CT_small.dcm');
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

function errorLines(file: string): Array<Record<string, unknown>> {
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

t.test('dicom-store → folder: one SOPInstanceUID in two studies is written once, in the same operation and in later ones', async (t) => {
  const tmp = tempDir(t);
  const scratch = path.join(tmp, 'tmp');
  fs.mkdirSync(scratch);
  const env = { TMPDIR: scratch };
  const src = path.join(tmp, 'src');
  const dst = path.join(tmp, 'dst');
  // s00/i00 and s01/i00 share a SOPInstanceUID; every other UID is distinct
  makeStudies(sample, src, 2, 2, (s, i) => (i === 0 ? 'shared' : `${s}:${i}`));
  const [, second] = [0, 1].sort((a, b) => (testUid(`${a}:study`) < testUid(`${b}:study`) ? -1 : 1)) as [number, number];
  const ops = path.join(tmp, 'ops');

  const r = await runCli(['dicom-store', src, dst, '--operation-dir', ops], { env });
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(ops, idOf(r.stderr));
  t.same(rec.counters, { success: 3, failure: 1, pending: 0 }, 'in = out + failed');
  t.same(rec.errors, { DICOM_DUPLICATE_SOP: 1 });
  const lines = errorLines(rec.errorLog);
  t.equal(lines.length, 1);
  t.match(lines[0], { code: 'DICOM_DUPLICATE_SOP', file: new RegExp(`s0${second}/i00\\.dcm$`) }, "the later study's instance is the one refused");
  t.notMatch(JSON.stringify(lines), new RegExp(testUid('shared:sop').replace(/\./g, '\\.')), 'the source UID is not in the log');
  const held = walkFiles(dst).filter((f) => f.endsWith('.dcm'));
  t.equal(held.length, 3);
  t.equal(new Set(held.map((f) => headerOf(fs.readFileSync(f)).sop)).size, 3, 'no SOPInstanceUID twice in the folder');
  t.same(fs.readdirSync(scratch), [], 'the index of the folder is removed at the end');

  // a second operation of the same source: the first study's instances replace themselves, the duplicate is refused again
  const again = await runCli(['dicom-store', src, dst, '--operation-dir', ops], { env });
  t.equal(again.code, 3, again.stderr);
  t.same(readRecord(ops, idOf(again.stderr)).counters, { success: 3, failure: 1, pending: 0 });

  // only the later study: nothing in this operation saw the first, the folder's content catches it
  const only = path.join(tmp, 'filter.txt');
  fs.writeFileSync(only, `/studies/${testUid(`${second}:study`)}\n`);
  const alone = await runCli(['dicom-store', src, dst, '--operation-dir', ops, '--filter-file', only], { env });
  t.equal(alone.code, 3, alone.stderr);
  const rec3 = readRecord(ops, idOf(alone.stderr));
  t.same(rec3.counters, { success: 1, failure: 1, pending: 0 });
  t.same(rec3.errors, { DICOM_DUPLICATE_SOP: 1 });
  t.same(walkFiles(dst).filter((f) => f.endsWith('.dcm')).sort(), held.sort(), 'the folder holds what it held');
  t.same(fs.readdirSync(scratch), []);
});
