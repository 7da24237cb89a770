import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { requireOrthanc } from '../helpers/orthanc.js';
import { runCli, sharedData } from '../helpers/run-cli.js';
import { checksumTree } from '../helpers/store-items.js';
import { folderInstances, makeStudies, orthancInstances, walkFiles } from './dataset-dicom-helpers.js';
import { BULK, doneUnits, readRecord, spawnDeid, tempDir, waitForRecord } from './fhir-store-helpers.js';

type Json = Record<string, any>;
const SAMPLE = path.join(sharedData, 'dicom-samples/ts/CT_small.dcm');
const STUDIES = 8;
const PER_STUDY = 12;
const N = STUDIES * PER_STUDY;

const unitsOf = (rec: Json, store: string): Array<{ done: boolean }> => Object.values(rec.stores?.[store]?.units ?? {});
const doneIn = (rec: Json, store: string): number => unitsOf(rec, store).filter((u) => u.done).length;

function sameInstances(t: Test, got: Map<string, Buffer>, want: Map<string, Buffer>, what: string): void {
  t.equal(got.size, want.size, `${what}: as many instances as a one-shot run`);
  t.same([...got.keys()].sort(), [...want.keys()].sort(), `${what}: the same instances`);
  let same = 0;
  for (const [uid, b] of got) if (want.get(uid)?.equals(b)) same++;
  t.equal(same, want.size, `${what}: byte for byte`);
}

/** Runs `args`, signals it once `ready` holds for its record, and returns the cancelled run. */
async function interrupt(t: Test, args: string[], opDir: string, ready: (rec: Json) => boolean, sig: NodeJS.Signals): Promise<{ id: string; code: number | null }> {
  const run = spawnDeid(args);
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  const midway = await waitForRecord(path.join(opDir, `${id}.json`), ready, () => ended);
  t.ok(midway, 'the record showed finished studies before the run ended');
  run.kill(sig);
  const r = await run.done;
  return { id, code: r.code };
}

t.test('dicom-store folder → folder: SIGTERM mid-run, --resume; every instance once, equal to a one-shot run', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, src, STUDIES, PER_STUDY);
  const before = checksumTree(src);
  const dest = path.join(tmp, 'dest');
  const opDir = path.join(dest, '.deid-operations');

  const first = await interrupt(t, ['dicom-store', src, dest], opDir, (r) => doneIn(r, 'default') >= 2, 'SIGTERM');
  t.equal(first.code, 143, 'exit status 128 + SIGTERM');
  const cancelled = readRecord(opDir, first.id);
  t.equal(cancelled.status, 'cancelled');
  t.equal(cancelled.signal, 'SIGTERM');
  const done = doneIn(cancelled, 'default');
  t.ok(done >= 2 && done < STUDIES, `${done} of ${STUDIES} studies done at the checkpoint`);
  t.ok(cancelled.counters.success < N, 'the operation stopped before the end');
  t.ok(walkFiles(dest).length < N, 'and the destination is not complete');

  const resumed = await runCli(['dicom-store', src, dest, '--resume', first.id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const rec = readRecord(opDir, first.id);
  t.equal(rec.status, 'succeeded');
  t.equal(rec.resumed, 1);
  t.same(rec.counters, { success: N, failure: 0, pending: 0 }, 'every instance counted once');
  t.equal(Object.keys(rec.stores.default.units).length, STUDIES);
  t.equal(fs.readFileSync(rec.errorLog, 'utf8'), '', 'nothing logged as failed');

  const oneShot = path.join(tmp, 'one-shot');
  const single = await runCli(['dicom-store', src, oneShot, '-q']);
  t.equal(single.code, 0, single.stderr);
  t.equal(walkFiles(dest).length, N, 'one file per instance: none twice, none lost');
  sameInstances(t, folderInstances(dest), folderInstances(oneShot), 'resumed');
  t.same(checksumTree(src), before, 'the source is unchanged');
});

t.test('dataset with FHIR and DICOM: SIGINT inside the DICOM store, --resume equals a one-shot dataset', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, path.join(src, 'dicom', 'pacs'), STUDIES, PER_STUDY);
  fs.mkdirSync(path.join(src, 'fhir', 'ehr'), { recursive: true });
  for (const f of ['Patient.ndjson', 'ImagingStudy.ndjson', 'Encounter.ndjson']) fs.copyFileSync(path.join(BULK, f), path.join(src, 'fhir', 'ehr', f));
  const before = checksumTree(src);
  const dest = path.join(tmp, 'dest');
  const opDir = path.join(dest, '.deid-operations');

  const first = await interrupt(t, ['dataset', src, dest], opDir, (r) => doneIn(r, 'dicom/pacs') >= 2, 'SIGINT');
  t.equal(first.code, 130, 'exit status 128 + SIGINT');
  const cancelled = readRecord(opDir, first.id);
  t.equal(cancelled.status, 'cancelled');
  t.equal(cancelled.signal, 'SIGINT');
  t.ok(unitsOf(cancelled, 'fhir/ehr').every((u) => u.done), 'the FHIR store was finished before the DICOM one');
  t.ok(doneIn(cancelled, 'dicom/pacs') < STUDIES, 'the DICOM store was not');

  const resumed = await runCli(['dataset', src, dest, '--resume', first.id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const rec = readRecord(opDir, first.id);
  t.equal(rec.status, 'succeeded');
  t.same(rec.stores['dicom/pacs'].counters, { success: N, failure: 0, pending: 0 }, 'every instance counted once');
  t.equal(doneUnits(rec), Object.keys(rec.stores['dicom/pacs'].units).length + Object.keys(rec.stores['fhir/ehr'].units).length);

  const oneShot = path.join(tmp, 'one-shot');
  const single = await runCli(['dataset', src, oneShot, '-q']);
  t.equal(single.code, 0, single.stderr);
  t.same(readRecord(path.join(oneShot, '.deid-operations'), fs.readdirSync(path.join(oneShot, '.deid-operations')).find((f) => f.endsWith('.json'))!.slice(0, -5)).counters, rec.counters, 'the same counts');
  t.equal(walkFiles(path.join(dest, 'dicom')).length, N);
  sameInstances(t, folderInstances(path.join(dest, 'dicom', 'pacs')), folderInstances(path.join(oneShot, 'dicom', 'pacs')), 'DICOM');
  for (const f of fs.readdirSync(path.join(oneShot, 'fhir', 'ehr')).filter((n) => n.endsWith('.ndjson'))) {
    t.ok(fs.readFileSync(path.join(dest, 'fhir', 'ehr', f)).equals(fs.readFileSync(path.join(oneShot, 'fhir', 'ehr', f))), `FHIR ${f} byte-identical`);
  }
  t.same(checksumTree(src), before, 'the source dataset is unchanged');
});

t.test('dicom-store folder → DICOMweb: SIGTERM mid-run, --resume re-sends the unfinished study; Orthanc holds each instance once', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeStudies(SAMPLE, src, STUDIES, PER_STUDY);
  const opDir = path.join(tmp, 'ops');

  const first = await interrupt(t, ['dicom-store', src, orthanc.uri, '--operation-dir', opDir], opDir, (r) => doneIn(r, 'default') >= 2, 'SIGTERM');
  t.equal(first.code, 143);
  const cancelled = readRecord(opDir, first.id);
  t.equal(cancelled.status, 'cancelled');
  const atCancel = await orthancInstances(orthanc.http);
  t.ok(atCancel.size >= cancelled.counters.success, `what the record calls stored (${cancelled.counters.success}) is in Orthanc (${atCancel.size})`);
  t.ok(atCancel.size < N, 'and Orthanc does not hold everything yet');

  const resumed = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', opDir, '--resume', first.id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const rec = readRecord(opDir, first.id);
  t.same(rec.counters, { success: N, failure: 0, pending: 0 });
  const oneShot = path.join(tmp, 'one-shot');
  const single = await runCli(['dicom-store', src, oneShot, '-q']);
  t.equal(single.code, 0, single.stderr);
  const stored = await orthancInstances(orthanc.http);
  const stats = (await (await fetch(`${orthanc.http}/statistics`)).json()) as { CountInstances: number; CountStudies: number };
  t.equal(stats.CountInstances, N, 'Orthanc counts every instance once');
  t.equal(stats.CountStudies, STUDIES);
  sameInstances(t, stored, folderInstances(oneShot), 'Orthanc after resume');
});
