import { readFile } from 'node:fs/promises';
import t from 'tap';
import type { Failed } from '../../../src/core/record.js';
import { openDicomStore } from '../../../src/stores/dicom/open-dicom-store.js';
import type { InstanceRef } from '../../../src/stores/dicom/types.js';
import { samplePath } from '../../dicom/samples.js';
import { faultProxy, requireOrthanc, type Fault } from '../../helpers/orthanc.js';
import { readAll } from './fixtures.js';

const json = (v: unknown): Fault => ({ status: 200, headers: { 'content-type': 'application/dicom+json' }, body: JSON.stringify(v) });
const study = (uid: unknown) => ({ '0020000D': { vr: 'UI', Value: [uid] }, '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE' }] } });

t.test('UIDs a server answers are checked before they become URLs', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const proxy = await faultProxy(orthanc, (_n, m, url) =>
    m === 'GET' && url.startsWith('/dicom-web/studies?')
      ? json([study('../../../system'), study('1.2.3/series/9/instances/9?'), {}, study(42), study('DOE^JANE')])
      : 'pass');
  t.teardown(() => proxy.close());
  const store = openDicomStore(proxy.uri, { retry: { attempts: 1 } });
  const failures: Failed[] = [];
  const refs: InstanceRef[] = [];
  for await (const r of store.list(undefined, { onFailed: (f) => failures.push(f) })) refs.push(r);
  t.same(refs, []);
  t.same(failures.map((f) => f.code), Array(5).fill('STORE_UID_INVALID'));
  t.ok(failures.every((f) => !/DOE|system|\?/.test(JSON.stringify(f))), 'no value of the answer is repeated');
  t.same(proxy.seen.filter((s) => !s.startsWith('GET /dicom-web/studies?')), [], 'no request was made from a bad UID');
  const e = await (async () => {
    for await (const _ of store.list()) void _;
  })().catch((e) => e) as { code: string };
  t.equal(e.code, 'STORE_UID_INVALID', 'without onFailed it is thrown');
});

t.test('a server that ignores offset is refused, not listed forever', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const proxy = await faultProxy(orthanc, (_n, m, url) => (m === 'GET' && url.startsWith('/dicom-web/studies?') ? json([study('1.2.3'), study('1.2.4')]) : 'pass'));
  t.teardown(() => proxy.close());
  const store = openDicomStore(proxy.uri, { pageSize: 2, retry: { attempts: 1 } });
  const e = await (async () => {
    for await (const _ of store.list(undefined, { onFailed: () => undefined })) void _;
  })().catch((e) => e) as { code: string };
  t.equal(e.code, 'STORE_BAD_RESPONSE');
  t.ok(proxy.seen.length < 10, `${proxy.seen.length} requests`);
});

t.test('answers that are not what was asked for', async (t) => {
  const orthanc = await requireOrthanc(t);
  if (!orthanc) return;
  const direct = openDicomStore(orthanc.uri);
  t.teardown(() => direct.close());
  const ref = await direct.write(await readFile(samplePath('ts/MR_small.dcm')));
  const answers: [string, Fault, string][] = [
    ['QIDO not JSON', { status: 200, body: '<html>' }, 'STORE_BAD_RESPONSE'],
    ['QIDO not an array', json({ a: 1 }), 'STORE_BAD_RESPONSE'],
    ['QIDO of all studies forbidden', { status: 403 }, 'STORE_UNAUTHORIZED'],
    ['QIDO unauthorized', { status: 401 }, 'STORE_UNAUTHORIZED'],
    ['QIDO payment required', { status: 402 }, 'STORE_REJECTED'],
  ];
  for (const [name, fault, code] of answers) {
    const proxy = await faultProxy(orthanc, (_n, m, url) => (m === 'GET' && url.includes('?') ? fault : 'pass'));
    const store = openDicomStore(proxy.uri, { retry: { attempts: 1 } });
    const e = await (async () => {
      for await (const _ of store.list()) void _;
    })().catch((e) => e) as { code: string };
    t.equal(e.code, code, name);
    await proxy.close();
  }
  const wado: [string, Fault, string][] = [
    ['WADO as JSON', json([]), 'STORE_BAD_RESPONSE'],
    ['WADO multipart without a boundary', { status: 200, headers: { 'content-type': 'multipart/related; type="application/dicom"' }, body: 'x' }, 'STORE_BAD_RESPONSE'],
    ['WADO not acceptable', { status: 406 }, 'STORE_REJECTED'],
    ['WADO forbidden (this instance only)', { status: 403 }, 'STORE_FORBIDDEN'],
  ];
  for (const [name, fault, code] of wado) {
    const proxy = await faultProxy(orthanc, (_n, m) => (m === 'GET' ? fault : 'pass'));
    const store = openDicomStore(proxy.uri, { retry: { attempts: 1 } });
    const e = await store.read(ref).then(readAll).catch((e) => e) as { code: string };
    t.equal(e.code, code, name);
    await proxy.close();
  }
});
