import { readFile } from 'node:fs/promises';
import t, { type Test } from 'tap';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import type { DicomStoreOptions, InstanceRef, RetryInfo } from '../../../src/stores/dicom/types.js';
import { samplePath } from '../../dicom/samples.js';
import { faultProxy, requireOrthanc, type Fault } from '../../helpers/orthanc.js';
import { readAll } from './fixtures.js';

async function setup(t: Test, script: (n: number, method: string, url: string) => Fault, opts: DicomStoreOptions = {}) {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return undefined;
  const proxy = await faultProxy(orthanc, script);
  t.teardown(() => proxy.close());
  const failures: (RetryInfo & { at: number })[] = [];
  const store = openDicomStore(proxy.uri, { retry: { attempts: 4, baseDelayMs: 20 }, ...opts, onAttemptFailed: (r) => failures.push({ ...r, at: Date.now() }) });
  t.teardown(() => store.close());
  return { orthanc, proxy, store, failures };
}

const sample = () => readFile(samplePath('ts/MR_small.dcm'));
/** The n-th STOW (a write first asks where the server holds its SOPInstanceUID: those GETs pass). */
const onPost = (script: (n: number) => Fault) => {
  let posts = 0;
  return (_n: number, method: string): Fault => (method === 'POST' ? script(++posts) : 'pass');
};
const posts = (seen: string[]) => seen.filter((r) => r.startsWith('POST ')).length;
const code = (e: unknown) => (e as { code?: string }).code;

t.test('503, 429 and a dropped connection are retried, then the write goes through', async (t) => {
  const faults: Fault[] = [{ status: 503 }, { status: 429 }, 'drop'];
  const s = await setup(t, onPost((n) => faults[n - 1] ?? 'pass'));
  if (!s) return;
  const ref = await s.store.write(await sample());
  t.same(s.failures.map((f) => f.reason), ['HTTP 503', 'HTTP 429', 'connection']);
  t.equal(posts(s.proxy.seen), 4);
  const direct = openDicomStore(s.orthanc.uri);
  t.teardown(() => direct.close());
  t.ok((await readAll(await direct.read(ref))).equals(await sample()), 'stored once the server answered');
});

t.test('Retry-After wins over the backoff', async (t) => {
  const s = await setup(t, onPost((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : 'pass')));
  if (!s) return;
  const t0 = Date.now();
  await s.store.write(await sample());
  t.ok(Date.now() - t0 >= 950, 'waited the second the server asked for');
});

t.test('a timeout before the answer is retried, then reported', async (t) => {
  const s = await setup(t, onPost(() => 'hang'), { timeoutMs: 150, retry: { attempts: 2, baseDelayMs: 10 } });
  if (!s) return;
  const e = await s.store.write(await sample()).catch((e: Error) => e);
  t.equal(code(e), 'STORE_UNAVAILABLE');
  t.match((e as Error).message, /POST \/studies after 2 attempts \(last: timeout\)/);
});

t.test('a refusal is not retried', async (t) => {
  const s = await setup(t, onPost(() => ({ status: 400 })));
  if (!s) return;
  const e = await s.store.write(await sample()).catch((e: Error) => e);
  t.equal(code(e), 'STORE_REJECTED');
  t.match((e as Error).message, /HTTP 400/);
  t.equal(posts(s.proxy.seen), 1);
});

t.test('a STOW answer listing the instance as failed, or not confirming it, is an error', async (t) => {
  const failedSop = JSON.stringify({ '00081198': { vr: 'SQ', Value: [{ '00081197': { vr: 'US', Value: [49152] } }] } });
  const answers: Fault[] = [
    { status: 409, headers: { 'content-type': 'application/dicom+json' }, body: failedSop },
    { status: 200, headers: { 'content-type': 'application/dicom+json' }, body: failedSop },
    { status: 200, headers: { 'content-type': 'application/dicom+json' }, body: '{"00081199":{"vr":"SQ"}}' },
    { status: 200, headers: { 'content-type': 'application/dicom+json' }, body: '<html>' },
  ];
  const s = await setup(t, onPost((n) => answers[n - 1] ?? 'pass'));
  if (!s) return;
  const got: [string | undefined, string][] = [];
  for (let i = 0; i < answers.length; i++) {
    const e = await s.store.write(await sample()).catch((e: Error) => e) as Error;
    got.push([code(e), e.message.replace(/^.*: /, '')]);
  }
  t.same(got.map((g) => g[0]), ['STORE_REJECTED', 'STORE_REJECTED', 'STORE_BAD_RESPONSE', 'STORE_BAD_RESPONSE']);
  t.match(got[0]![1], /failure reason 49152/);
  t.equal(s.failures.length, 0, 'none of these is retried');
});

t.test('a WADO answer cut short errors the stream: never a partial instance taken for whole', async (t) => {
  let reads = 0;
  const s = await setup(t, (_n, m, url) => (m === 'GET' && !url.includes('?') && ++reads === 1 ? { cutAfter: 3000 } : 'pass'));
  if (!s) return;
  const ref: InstanceRef = await s.store.write(await sample());
  const e = await readAll(await s.store.read(ref)).catch((e: Error) => e);
  t.match(code(e), /^STORE_(READ_FAILED|BAD_RESPONSE)$/);
  t.ok((await readAll(await s.store.read(ref))).equals(await sample()), 'the next read is whole');
});

t.test('a WADO or QIDO answer that stalls mid-body errors after the timeout instead of waiting forever', async (t) => {
  const stall = { on: false };
  const s = await setup(t, (_n, m, url) => (stall.on && m === 'GET' ? { stallAfter: url.includes('?') ? 10 : 3000 } : 'pass'), { timeoutMs: 400, retry: { attempts: 2, baseDelayMs: 10 } });
  if (!s) return;
  const ref: InstanceRef = await s.store.write(await sample());
  stall.on = true;
  const t0 = Date.now();
  const e = await readAll(await s.store.read(ref)).catch((e: Error) => e);
  t.ok(e instanceof Error, 'the read fails');
  t.match(code(e), /^STORE_(READ_FAILED|BAD_RESPONSE)$/);
  t.ok(Date.now() - t0 < 5000, `after ${Date.now() - t0} ms`);
  // a listing whose page stalls mid-body: a listing error, not a hang
  const t1 = Date.now();
  const e2 = await (async () => {
    for await (const _ of s.store.list()) void _;
  })().catch((e: Error) => e);
  t.ok(e2 instanceof Error, 'the listing fails');
  t.ok(Date.now() - t1 < 5000, `after ${Date.now() - t1} ms`);
  stall.on = false;
  t.ok((await readAll(await s.store.read(ref))).equals(await sample()), 'the next read is whole');
});

t.test('QIDO pages that fail are retried; the listing is complete', async (t) => {
  let qido = 0;
  const s = await setup(t, (_n, m, url) => (m === 'GET' && url.includes('/instances?') && ++qido === 2 ? { status: 502 } : 'pass'), { pageSize: 1 });
  if (!s) return;
  const direct = openDicomStore(s.orthanc.uri);
  t.teardown(() => direct.close());
  for (const n of ['encapsulated/SC_rgb_jpeg_dcmtk.dcm', 'multiframe/SC_rgb_rle_2frame.dcm']) await direct.write(await readFile(samplePath(n)));
  const refs: InstanceRef[] = [];
  for await (const r of s.store.list()) refs.push(r);
  t.equal(refs.length, 2);
  t.same(s.failures.map((f) => f.reason), ['HTTP 502']);
  t.match(s.failures[0]!.path, /^\/studies\/[0-9.]+\/series\/[0-9.]+\/instances\?limit=1&offset=\d$/);
});
