import path from 'node:path';
import t from 'tap';
import { faultProxy, requireOrthanc } from '../helpers/orthanc.js';
import { runCli, sharedData } from '../helpers/run-cli.js';
import { folderInstances, makeStudies, orthancInstances } from './dataset-dicom-helpers.js';
import { readRecord, spawnDeid, tempDir } from './fhir-store-helpers.js';

const SAMPLE = path.join(sharedData, 'dicom-samples/ts/CT_small.dcm');
const STUDIES = 3;
const PER_STUDY = 4;
const N = STUDIES * PER_STUDY;

for (const side of ['destination', 'source'] as const) {
  t.test(`dicom-store with a DICOMweb ${side} that stalls: SIGTERM stops the run at once (143), --resume stores each instance once`, async (t) => {
    const orthanc = await requireOrthanc(t);
    if (!orthanc) return;
    const tmp = tempDir(t);
    const src = path.join(tmp, 'src');
    makeStudies(SAMPLE, src, STUDIES, PER_STUDY);
    const state = { stall: true, requests: 0, stalled: false };
    // the fifth request of the kind the side makes never gets an answer (Orthanc has it, or it never reaches Orthanc)
    const proxy = await faultProxy(orthanc, (_n, method, url) => {
      const mine = side === 'destination' ? method === 'POST' : method === 'GET' && url.includes('/instances/');
      if (!state.stall || !mine || ++state.requests < 5) return 'pass';
      state.stalled = true;
      return 'hang';
    });
    t.teardown(() => proxy.close());
    let from = src;
    let to = proxy.uri;
    if (side === 'source') {
      // the source is an Orthanc filled beforehand; the destination a folder
      const fill = await runCli(['dicom-store', src, orthanc.uri, '--operation-dir', path.join(tmp, 'fill-ops'), '-q']);
      t.equal(fill.code, 0, fill.stderr);
      from = proxy.uri;
      to = path.join(tmp, 'out');
    }
    const ops = path.join(tmp, 'ops');
    const run = spawnDeid(['dicom-store', from, to, '--operation-dir', ops]);
    const id = await run.id;
    while (!state.stalled) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    const at = Date.now();
    run.kill('SIGTERM');
    const done = await run.done;
    const took = Date.now() - at;
    t.equal(done.code, 143, done.stderr);
    t.ok(took < 5000, `ended ${took} ms after the signal (a request may wait 60 s, four times)`);
    const rec = readRecord(ops, id);
    t.equal(rec.status, 'cancelled');
    t.equal(rec.counters.failure, 0, 'the aborted request is no failure of its instance');
    state.stall = false;
    const again = await runCli(['dicom-store', from, to, '--operation-dir', ops, '--resume', id]);
    t.equal(again.code, 0, again.stderr);
    t.same(readRecord(ops, id).counters, { success: N, failure: 0, pending: 0 });
    if (side === 'destination') {
      const stats = (await (await fetch(`${orthanc.http}/statistics`)).json()) as { CountInstances: number };
      t.equal(stats.CountInstances, N, 'Orthanc holds each instance once');
      t.equal((await orthancInstances(orthanc.http)).size, N);
    } else t.equal(folderInstances(to).size, N);
  });
}
