// 403 from a DICOMweb server: the refused study, series or instance fails
// STORE_FORBIDDEN and the rest goes on; a 403 on the first check of the server
// (ensure) or on the list of all studies, and any 401, stop with
// STORE_UNAUTHORIZED as before.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import type { Failed } from '../../../src/core/record.js';
import { copyInstances } from '../../../src/stores/dicom/copy-instances.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import type { InstanceRef } from '../../../src/stores/dicom/types.js';
import { makeStudies, testUid } from '../../cli/dataset-dicom-helpers.js';
import { faultProxy, requireOrthanc, type Fault } from '../../helpers/orthanc.js';
import { sharedData } from '../../helpers/run-cli.js';
import { tempDir } from './fixtures.js';

const SAMPLE = path.join(sharedData, 'dicom-samples/ts/CT_small.dcm');
const FORBIDDEN: Fault = { status: 403, body: '{"error":"scope"}' };
const code = (e: unknown) => (e as { code?: string }).code;

async function setup(t: Test, script: (method: string, url: string) => Fault) {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return undefined;
  const proxy = await faultProxy(orthanc, (_n, m, url) => script(m, url));
  t.teardown(() => proxy.close());
  const store = openDicomStore(proxy.uri, { retry: { attempts: 3, baseDelayMs: 10 } });
  t.teardown(() => store.close());
  return { orthanc, proxy, store };
}

t.test('a STOW refused with 403 fails that instance STORE_FORBIDDEN, not retried; the others are stored', async (t) => {
  let posts = 0;
  const s = await setup(t, (m) => (m === 'POST' && ++posts === 2 ? FORBIDDEN : 'pass'));
  if (!s) return;
  const dir = await tempDir(t);
  makeStudies(SAMPLE, dir, 2, 2);
  const failures: Failed[] = [];
  const stats = await copyInstances(openDicomStore(dir), s.store, { onFailed: (f) => failures.push(f) });
  t.same(stats, { listed: 4, written: 3, failed: 1 });
  t.same(failures.map((f) => f.code), ['STORE_FORBIDDEN']);
  t.ok(failures[0]!.loc.file.startsWith(dir), 'named by its source location');
  t.equal(posts, 4, 'four STOWs: the refused one is not retried');
  const held = await (await fetch(`${s.orthanc.http}/instances`)).json() as string[];
  t.equal(held.length, 3);
  const e = await s.store.write(readFileSync(path.join(dir, 's00/i00.dcm'))).then(() => undefined);
  t.equal(e, undefined, 'the store goes on writing');
});

t.test('a 403 on the list of one study\'s series or one series\' instances fails just that; the rest is listed', async (t) => {
  const study1 = testUid('1:study');
  const series20 = testUid('2:0:series');
  const s = await setup(t, (m, url) => (m === 'GET' && (url.startsWith(`/dicom-web/studies/${study1}/series?`) || url.startsWith(`/dicom-web/studies/${testUid('2:study')}/series/${series20}/instances?`)) ? FORBIDDEN : 'pass'));
  if (!s) return;
  const dir = await tempDir(t);
  makeStudies(SAMPLE, dir, 3, 2);
  await copyInstances(openDicomStore(dir), openDicomStore(s.orthanc.uri));

  const failures: Failed[] = [];
  const refs: InstanceRef[] = [];
  for await (const r of s.store.list(undefined, { onFailed: (f) => failures.push(f) })) refs.push(r);
  t.same(refs.map((r) => r.instance).sort(), [testUid('0:0:sop'), testUid('0:1:sop'), testUid('2:1:sop')].sort(), 'the instances not refused');
  t.same(failures.map((f) => [f.code, f.loc.file]).sort(), [
    ['STORE_FORBIDDEN', `${s.proxy.uri}/studies/${study1}/series`],
    ['STORE_FORBIDDEN', `${s.proxy.uri}/studies/${testUid('2:study')}/series/${series20}/instances`],
  ].sort());
  t.ok(failures.every((f) => /^Store refused access .*\(HTTP 403\): HTTP 403 GET \/dicom-web\/studies\/[0-9.]+\/series(\/[0-9.]+\/instances)?$/.test(f.reason)), 'the reason names the status and the path, no query');
  t.notMatch(JSON.stringify(failures), /PAT-|scope/, 'nothing of the answer or the instances');

  // filter entries: the refused one fails STORE_FORBIDDEN once (not also as matching nothing), the next is listed
  const filtered: Failed[] = [];
  const got: InstanceRef[] = [];
  for await (const r of s.store.list([`/studies/${study1}`, `/studies/${testUid('2:study')}/series/${series20}`, `/studies/${testUid('0:study')}`], { onFailed: (f) => filtered.push(f) })) got.push(r);
  t.same(filtered.map((f) => f.code), ['STORE_FORBIDDEN', 'STORE_FORBIDDEN']);
  t.equal(got.length, 2, 'the allowed study is listed');

  // without onFailed it is thrown, with its code
  const e = await (async () => {
    for await (const _ of s.store.list([`/studies/${study1}`])) void _;
  })().catch((e: unknown) => e);
  t.equal(code(e), 'STORE_FORBIDDEN');
  t.equal(s.proxy.seen.filter((r) => r.startsWith(`GET /dicom-web/studies/${study1}/series?`)).length, 3, 'each refusal asked once, never retried');
});

t.test('a WADO read refused with 403 fails that instance STORE_FORBIDDEN', async (t) => {
  const s = await setup(t, (m, url) => (m === 'GET' && !url.includes('?') ? FORBIDDEN : 'pass'));
  if (!s) return;
  const dir = await tempDir(t);
  makeStudies(SAMPLE, dir, 1, 1);
  const ref = await openDicomStore(s.orthanc.uri).write(readFileSync(path.join(dir, 's00/i00.dcm')));
  const e = await s.store.read(ref).catch((e: unknown) => e);
  t.equal(code(e), 'STORE_FORBIDDEN');
});

t.test('a 403 on ensure or on the list of all studies, and a 401 anywhere, stop with STORE_UNAUTHORIZED', async (t) => {
  let answer: Fault = FORBIDDEN;
  const s = await setup(t, (m, url) => (m === 'GET' && url.startsWith('/dicom-web/studies?') ? answer : 'pass'));
  if (!s) return;
  const e1 = await s.store.ensure().catch((e: unknown) => e) as Error;
  t.equal(code(e1), 'STORE_UNAUTHORIZED', 'ensure');
  t.match(e1.message, /: HTTP 403 GET \/dicom-web\/studies$/);
  const e2 = await (async () => {
    for await (const _ of s.store.list(undefined, { onFailed: () => undefined })) void _;
  })().catch((e: unknown) => e) as Error;
  t.equal(code(e2), 'STORE_UNAUTHORIZED', 'the list of all studies');
  t.match(e2.message, /: HTTP 403 GET \/dicom-web\/studies$/);
  answer = { status: 401 };
  t.equal(code(await s.store.ensure().catch((e: unknown) => e)), 'STORE_UNAUTHORIZED', '401 on ensure');
  const dir = await tempDir(t);
  makeStudies(SAMPLE, dir, 1, 1);
  const bytes = readFileSync(path.join(dir, 's00/i00.dcm'));
  const p401 = await setup(t, (m) => (m === 'POST' ? { status: 401 } : 'pass'));
  if (!p401) return;
  t.equal(code(await p401.store.write(bytes).catch((e: unknown) => e)), 'STORE_UNAUTHORIZED', '401 on a STOW');
});
