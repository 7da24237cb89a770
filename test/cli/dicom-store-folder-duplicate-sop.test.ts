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
import { headerOf, testUid, walkFiles } from './dataset-dicom-helpers.js';
import { expectOneDuplicateSop, idOf, laterInstance, sharedSopStudies } from './duplicate-sop-helpers.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

const sample = path.join(sharedData, 'dicom-samples', 'ts/CT_small.dcm');

t.test('dicom-store → folder: one SOPInstanceUID in two studies is written once, in the same operation and in later ones', async (t) => {
  const tmp = tempDir(t);
  const scratch = path.join(tmp, 'tmp');
  fs.mkdirSync(scratch);
  const env = { TMPDIR: scratch };
  const src = path.join(tmp, 'src');
  const dst = path.join(tmp, 'dst');
  const second = sharedSopStudies(sample, src);
  const ops = path.join(tmp, 'ops');

  const r = await runCli(['dicom-store', src, dst, '--operation-dir', ops], { env });
  expectOneDuplicateSop(t, ops, r, laterInstance(src, second));
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
