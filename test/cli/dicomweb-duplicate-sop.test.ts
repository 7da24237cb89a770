// A SOPInstanceUID names one instance: two source instances in different
// studies that share one (a modality that reuses UIDs) must not both land in
// a DICOMweb store, which keys instances by study, series and SOP UIDs and
// would keep both. The second is DICOM_DUPLICATE_SOP, within a run and across
// runs (a resume, a second operation); the same instance again is accepted.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { requireOrthanc } from '../helpers/orthanc.js';
import { runCli, sharedData } from '../helpers/run-cli.js';
import { headerOf, qidoInstanceUids, testUid } from './dataset-dicom-helpers.js';
import { expectOneDuplicateSop, idOf, laterInstance, sharedSopStudies } from './duplicate-sop-helpers.js';
import { readRecord, tempDir } from './fhir-store-helpers.js';

const sample = path.join(sharedData, 'dicom-samples', 'ts/CT_small.dcm');

/** Every instance Orthanc holds, by its own REST API: SOPInstanceUID and StudyInstanceUID. */
async function stored(http: string): Promise<Array<{ sop: string; study: string }>> {
  const ids = (await (await fetch(`${http}/instances`)).json()) as string[];
  const out: Array<{ sop: string; study: string }> = [];
  for (const id of ids) {
    const h = headerOf(Buffer.from(await (await fetch(`${http}/instances/${id}/file`)).arrayBuffer()));
    out.push({ sop: h.sop!, study: h.study! });
  }
  return out.sort((a, b) => (a.sop < b.sop ? -1 : 1));
}

t.test('dicom-store → DICOMweb: one SOPInstanceUID in two studies is stored once; the other is DICOM_DUPLICATE_SOP, in the same run and in later ones', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  const second = sharedSopStudies(sample, src);
  const ops = path.join(tmp, 'ops');

  const r = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', ops]);
  expectOneDuplicateSop(t, ops, r, laterInstance(src, second));
  const held = await stored(orthanc.http);
  t.equal(held.length, 3);
  t.equal(new Set(held.map((h) => h.sop)).size, 3, 'no SOPInstanceUID twice in the server');
  t.same(await qidoInstanceUids(orthanc.http), held.map((h) => h.sop), 'QIDO agrees');

  // a second operation of the same source: the first study's instances are the same bytes again (accepted), the duplicate is still refused
  const again = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', ops]);
  t.equal(again.code, 3, again.stderr);
  const rec2 = readRecord(ops, idOf(again.stderr));
  t.same(rec2.counters, { success: 3, failure: 1, pending: 0 });
  t.same(rec2.errors, { DICOM_DUPLICATE_SOP: 1 });
  t.same(await stored(orthanc.http), held, 'the server holds what it held');

  // only the later study, in an operation of its own: nothing in this run saw the first, the server's content catches it
  const only = path.join(tmp, 'filter.txt');
  fs.writeFileSync(only, `/studies/${testUid(`${second}:study`)}\n`);
  const alone = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', ops, '--filter-file', only]);
  t.equal(alone.code, 3, alone.stderr);
  const rec3 = readRecord(ops, idOf(alone.stderr));
  t.same(rec3.counters, { success: 1, failure: 1, pending: 0 });
  t.same(rec3.errors, { DICOM_DUPLICATE_SOP: 1 });
  t.same(await stored(orthanc.http), held);
});
