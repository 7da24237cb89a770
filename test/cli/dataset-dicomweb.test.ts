import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import t, { type Test } from 'tap';
import { loadKey } from '../../src/core/key.js';
import { Keyed } from '../../src/core/keyed.js';
import { copyInstances } from '../../src/stores/dicom/copy-instances.js';
import { openDicomStore } from '../../src/stores/dicom/open-dicom-store.js';
import { requireOrthanc, startOrthanc } from '../helpers/orthanc.js';
import { KEY_A, runCli, sharedData } from '../helpers/run-cli.js';
import { checksumTree } from '../helpers/store-items.js';
import { folderInstances, headerOf, makeStudies, orthancInstances, qidoInstanceUids, walkFiles, type Header } from './dataset-dicom-helpers.js';
import { doneUnits, readRecord, spawnDeid, tempDir, waitForRecord } from './fhir-store-helpers.js';

type Json = Record<string, any>;
const samples = path.join(sharedData, 'dicom-samples');
const keyed = new Keyed(loadKey({ env: { DEID_KEY: KEY_A } }).bytes);
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

/** Instances with distinct UIDs of several modalities, one quarantined for burned-in text. */
const STORABLE = [
  'ts/CT_small.dcm',
  'multiframe/CT0012.explicit_little_endian.dcm',
  'multiframe/emri_small.dcm',
  'rt/rtplan.dcm',
  'sequences-private/waveform_ecg.dcm',
  'rt/rtdose.dcm',
  'sr/test-SR.dcm',
  'encapsulated/MR_small_RLE.dcm',
  'sequences-private/liver_1frame.dcm',
  'graphics/examples_overlay.dcm',
];
const BURNED_IN = 'us-burned-in/synthetic_US_burned_in_rgb.dcm';

function makeSource(dir: string, extra: Record<string, Buffer> = {}): Map<string, Header> {
  const headers = new Map<string, Header>();
  for (const f of [...STORABLE, BURNED_IN]) {
    const to = path.join(dir, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(samples, f), to);
    headers.set(f, headerOf(fs.readFileSync(to)));
  }
  for (const [name, bytes] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), bytes);
  return headers;
}

/** The reference: the same source de-identified folder → folder by the same command. */
async function folderRun(src: string, dest: string): Promise<{ rec: Json; instances: Map<string, Buffer> }> {
  const r = await runCli(['dicom-store', src, dest]);
  const rec = readRecord(path.join(dest, '.deid-operations'), idOf(r.stderr));
  return { rec, instances: folderInstances(dest) };
}

function sameInstances(t: Test, got: Map<string, Buffer>, want: Map<string, Buffer>, what: string): void {
  t.same([...got.keys()].sort(), [...want.keys()].sort(), `${what}: the instances of a folder → folder run`);
  let same = 0;
  for (const [uid, b] of got) if (want.get(uid)?.equals(b)) same++;
  t.equal(same, want.size, `${what}: byte for byte`);
}

t.test('deid dicom-store folder → DICOMweb: every instance lands de-identified in Orthanc; in = out + failed', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  const headers = makeSource(src, { 'junk.dcm': Buffer.alloc(400, 0x41) });
  const before = checksumTree(src);
  const ref = await folderRun(src, path.join(tmp, 'ref'));

  const ops = path.join(tmp, 'ops');
  const r = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', ops]);
  t.equal(r.code, 3, 'completed with failures (the quarantined and the junk file)');
  const rec = readRecord(ops, idOf(r.stderr));
  t.equal(rec.destination, orthanc.uri);
  t.equal(rec.status, 'completed-with-failures');
  t.equal(rec.counters.pending, 0);
  t.equal(rec.counters.success + rec.counters.failure, walkFiles(src).length, 'every source file is stored or counted failed');
  t.same(rec.counters, ref.rec.counters, 'the same counts as into a folder');
  t.same(rec.errors, ref.rec.errors, 'and the same failure codes');
  t.equal(rec.errors.DICOM_BURNED_IN, 1, 'the burned-in instance is quarantined, not sent');
  const lines = fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  t.equal(lines.length, rec.counters.failure, 'each failure logged once');
  t.ok(lines.every((l) => typeof l.code === 'string' && String(l.file).startsWith(src)), 'with its code and source file');

  const stored = await orthancInstances(orthanc.http);
  t.equal(stored.size, rec.counters.success, 'Orthanc holds exactly the stored instances');
  t.same(await qidoInstanceUids(orthanc.http), [...stored.keys()].sort(), 'QIDO-RS lists the same instances');
  sameInstances(t, stored, ref.instances, 'Orthanc');
  // and WADO-RS gives each one back whole
  const web = openDicomStore(orthanc.uri);
  t.teardown(() => web.close());
  let wado = 0;
  for await (const ref of web.list()) {
    const chunks: Buffer[] = [];
    for await (const c of await web.read(ref)) chunks.push(c as Buffer);
    if (Buffer.concat(chunks).equals(stored.get(ref.instance) ?? Buffer.alloc(0))) wado++;
  }
  t.equal(wado, stored.size, 'WADO-RS reads back every stored instance byte for byte');
  for (const f of STORABLE) {
    const h = headers.get(f)!;
    const out = stored.get(keyed.uid(h.sop!));
    t.ok(out, `${f}: stored under its regenerated SOPInstanceUID`);
    if (!out) continue;
    const o = headerOf(out);
    t.equal(o.study, keyed.uid(h.study!), `${f}: regenerated StudyInstanceUID`);
    t.equal(o.series, keyed.uid(h.series!), `${f}: regenerated SeriesInstanceUID`);
    if (h.pid) t.not(o.pid, h.pid, `${f}: PatientID replaced`);
    if (h.name) t.not(o.name, h.name, `${f}: PatientName not kept`);
  }
  t.notOk(stored.has(keyed.uid(headers.get(BURNED_IN)!.sop!)), 'the quarantined instance is not in Orthanc');
  const originals = new Set([...headers.values()].flatMap((h) => [h.sop, h.study, h.series]));
  t.notOk([...stored.values()].some((b) => originals.has(headerOf(b).sop) || originals.has(headerOf(b).study)), 'no original UID reached Orthanc');
  t.same(checksumTree(src), before, 'the source folder is unchanged');

  const again = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', ops, '--resume', rec.id]);
  t.equal(again.code, 3, 'resuming the finished operation redoes nothing');
  t.same(readRecord(ops, rec.id).counters, rec.counters);
  t.equal((await orthancInstances(orthanc.http)).size, stored.size);
});

t.test('deid dicom-store DICOMweb → DICOMweb between two Orthancs, and DICOMweb → folder', async (t) => {
  const a = await requireOrthanc(t);
  if (!a) return;
  const b = await startOrthanc();
  t.teardown(() => b.stop());
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  makeSource(src);
  // the source PACS: the original instances, as they are
  const load = await copyInstances(openDicomStore(src), openDicomStore(a.uri));
  t.same(load, { listed: STORABLE.length + 1, written: STORABLE.length + 1, failed: 0 });
  const pacs = await orthancInstances(a.http);
  const ref = await folderRun(src, path.join(tmp, 'ref'));
  t.equal(ref.instances.size, STORABLE.length);

  const ops = path.join(tmp, 'ops');
  const same = await runCli(['dicom-store', a.uri, `${a.uri}/`, '--operation-dir', ops]);
  t.equal(same.code, 64, 'the same server as source and destination is refused');

  const r = await runCli(['dicom-store', a.uri, b.uri, '--operation-dir', ops]);
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(ops, idOf(r.stderr));
  t.same(rec.counters, { success: STORABLE.length, failure: 1, pending: 0 }, 'in = out + failed: every instance of the source counted once');
  t.same(rec.errors, { DICOM_BURNED_IN: 1 });
  const line = JSON.parse(fs.readFileSync(rec.errorLog, 'utf8').trim()) as Json;
  t.match(line.file, new RegExp(`^${a.http.replace(/[.]/g, '\\.')}/dicom-web/studies/[0-9.]+/series/[0-9.]+/instances/[0-9.]+$`), 'the failure is located by a URL of UIDs only');
  t.same(Object.keys(rec.stores.default.units).sort(), [...new Set([...pacs.values()].map((x) => headerOf(x).study!))].sort(), 'one unit per study of the source');
  const stored = await orthancInstances(b.http);
  t.same(await qidoInstanceUids(b.http), [...stored.keys()].sort(), 'QIDO-RS on the destination lists what was stored');
  sameInstances(t, stored, ref.instances, 'DICOMweb → DICOMweb');

  const out = path.join(tmp, 'out');
  const r2 = await runCli(['dicom-store', a.uri, pathToFileURL(out).href]);
  t.equal(r2.code, 3, r2.stderr);
  const rec2 = readRecord(path.join(out, '.deid-operations'), idOf(r2.stderr));
  t.same(rec2.counters, rec.counters);
  sameInstances(t, folderInstances(out), ref.instances, 'DICOMweb → folder');

  const after = await orthancInstances(a.http);
  t.same([...after.keys()].sort(), [...pacs.keys()].sort(), 'the source server holds the same instances');
  t.ok([...after].every(([k, v]) => pacs.get(k)!.equals(v)), 'with the same bytes');
});

t.test('Orthanc killed mid-run: writes retried, then counted STORE_UNAVAILABLE; after a restart --resume finishes, each instance once', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  const studies = 3;
  const perStudy = 4;
  makeStudies(path.join(samples, 'ts/CT_small.dcm'), src, studies, perStudy);
  const ops = path.join(tmp, 'ops');

  const run = spawnDeid(['dicom-store', src, orthanc.uri, '--operation-dir', ops]);
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  t.ok(await waitForRecord(path.join(ops, `${id}.json`), (r) => doneUnits(r) >= 1, () => ended), 'a study was stored before the crash');
  await orthanc.kill();
  const first = await run.done;
  t.equal(first.code, 3, 'the run completes, with failures');
  const rec = readRecord(ops, id);
  t.equal(rec.status, 'completed-with-failures');
  const c = rec.counters;
  t.equal(c.success + c.failure, studies * perStudy, 'in = out + failed');
  t.equal(c.pending, 0);
  t.ok(c.failure > 0 && c.failure <= (studies - 1) * perStudy, `${c.failure} failed after the crash`);
  t.same(rec.errors, { STORE_UNAVAILABLE: c.failure }, 'with the code of a destination that went away');
  const lines = fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  t.equal(lines.length, c.failure);
  t.ok(lines.every((l) => l.code === 'STORE_UNAVAILABLE' && String(l.file).startsWith(src)), 'each logged with its source file');
  t.ok(Object.values(rec.stores.default.units as Record<string, Json>).some((u) => u.retry === true), 'the studies with failures wait for a resume');

  await orthanc.restart();
  const kept = await orthancInstances(orthanc.http);
  t.ok(kept.size >= c.success, `what the record calls stored (${c.success}) survived the crash (${kept.size})`);
  const resumed = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', ops, '--resume', id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const done = readRecord(ops, id);
  t.equal(done.status, 'succeeded');
  t.same(done.counters, { success: studies * perStudy, failure: 0, pending: 0 }, 'every instance counted once');
  t.same(done.errors, {}, 'the failures cured by the resume are no longer counted');
  t.equal(fs.readFileSync(done.errorLog, 'utf8'), '', 'nor logged');
  const stats = (await (await fetch(`${orthanc.http}/statistics`)).json()) as { CountInstances: number };
  t.equal(stats.CountInstances, studies * perStudy, 'Orthanc holds every instance once');
  const oneShot = path.join(tmp, 'one-shot');
  t.equal((await runCli(['dicom-store', src, oneShot, '-q'])).code, 0);
  sameInstances(t, await orthancInstances(orthanc.http), folderInstances(oneShot), 'after the resume');
});
