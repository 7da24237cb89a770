import path from 'node:path';
import t from 'tap';
import { ok, type Failed } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { startFhirServer, type Fault } from '../helpers/fhir-server.js';
import { sharedData } from '../helpers/run-cli.js';
import { collect, fails, oks, readSource, writeAll } from '../helpers/store-items.js';

type Json = Record<string, unknown>;
const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const fast = { attempts: 3, baseDelayMs: 2, maxDelayMs: 10 };

async function setup(t: { teardown(fn: () => unknown): unknown }, fault: (n: number, method: string, p: string) => Fault, n = 3) {
  const server = await startFhirServer({ fault });
  t.teardown(() => server.close());
  const store = await openFhirStore(server.base, { rest: { retry: fast, pageSize: 2 } });
  const devices = oks(await readSource(path.join(synthea, 'Practitioner.ndjson'))).slice(0, n);
  return { server, store, items: devices.map((d, i) => ok(d, { file: 'd', line: i + 1 })) };
}

async function write(store: Awaited<ReturnType<typeof openFhirStore>>, items: ReturnType<typeof ok>[], batchSize = 100) {
  const got: Failed[] = [];
  const w = store.writer({ batchSize, onFailed: (f) => got.push(f) });
  await writeAll(items, w);
  return { w, got };
}

t.test('per-entry statuses decide per record', async (t) => {
  const body = JSON.stringify({ resourceType: 'Bundle', type: 'batch-response', entry: [{ response: { status: '201 Created' } }, { response: { status: '409 Conflict' } }, { response: {} }] });
  const { store, items } = await setup(t, () => ({ status: 200, body }));
  const { w, got } = await write(store, items);
  t.equal(w.written, 1);
  t.same(got.map((f) => [f.loc.line, f.code, f.reason]), [
    [2, 'STORE_REJECTED', 'Store rejected the record: HTTP 409'],
    [3, 'STORE_BAD_RESPONSE', 'Store answered with a response that could not be understood'],
  ]);
});

t.test('a response that does not match the request fails the whole batch', async (t) => {
  for (const body of ['{"resourceType":"Bundle","type":"batch-response","entry":[]}', 'not json', '']) {
    const { store, items } = await setup(t, () => ({ status: 200, body }));
    const { w, got } = await write(store, items);
    t.equal(w.written, 0, JSON.stringify(body));
    t.same(got.map((f) => f.code), ['STORE_BAD_RESPONSE', 'STORE_BAD_RESPONSE', 'STORE_BAD_RESPONSE']);
  }
});

t.test('a refused Bundle is halved until the refused records are found', async (t) => {
  // the first request (all 10) is refused; its halves go through
  const once = await setup(t, (n) => (n === 1 ? { status: 400 } : undefined), 10);
  const r1 = await write(once.store, once.items);
  t.equal(r1.w.written, 10);
  t.equal(once.server.requests, 3);
  // refused every time: each record fails on its own after 2n-1 requests
  const always = await setup(t, () => ({ status: 422 }), 5);
  const r2 = await write(always.store, always.items);
  t.equal(r2.w.written, 0);
  t.same(r2.got.map((f) => f.reason), Array(5).fill('Store rejected the record: HTTP 422'));
  t.equal(always.server.requests, 9);
  // 401 is not about the records: no halving, no retry, and the writer stops (every further batch would be refused too)
  const denied = await setup(t, () => ({ status: 401 }), 5);
  const got: Failed[] = [];
  const w = denied.store.writer({ batchSize: 2, onFailed: (f) => got.push(f) });
  const e = (await writeAll(denied.items, w).then(() => undefined, (e: unknown) => e)) as { code?: string; message?: string } | undefined;
  t.equal(e?.code, 'STORE_UNAUTHORIZED');
  t.match(e?.message, /HTTP 401 POST \/fhir$/);
  t.same(got.map((f) => f.code), ['STORE_UNAUTHORIZED', 'STORE_UNAUTHORIZED'], 'the refused batch is counted, nothing is sent after it');
  t.equal(denied.server.requests, 1);
  // 403 may be about one type (a write scope missing): no halving, no retry, those records fail and the writer goes on
  const forbidden = await setup(t, () => ({ status: 403 }), 5);
  const r3 = await write(forbidden.store, forbidden.items, 2);
  t.equal(r3.w.written, 0);
  t.same(r3.got.map((f) => [f.loc.line, f.code, f.resourceType]), [1, 2, 3, 4, 5].map((l) => [l, 'STORE_FORBIDDEN', 'Practitioner']));
  t.match(r3.got[0]!.reason, /^Store refused access to this resource type or resource \(HTTP 403\): HTTP 403 POST \/fhir \(Practitioner\)$/);
  t.equal(forbidden.server.requests, 3, 'one request per batch');
});

t.test('persistent 5xx: retries run out, records fail STORE_UNAVAILABLE', async (t) => {
  const { server, store, items } = await setup(t, () => ({ status: 502 }));
  const { w, got } = await write(store, items);
  t.equal(w.written, 0);
  t.same(got.map((f) => f.code), ['STORE_UNAVAILABLE', 'STORE_UNAVAILABLE', 'STORE_UNAVAILABLE']);
  t.equal(server.requests, fast.attempts);
});

t.test('hostile paging links are not followed', async (t) => {
  const page = (next: string): string =>
    JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Device', id: 'd1' } }], link: [{ relation: 'next', url: next }] });
  const cases: Array<[string, string, number]> = [
    ['another origin', 'http://169.254.169.254/latest/meta-data', 1],
    ['not a URL', 'http://[::1', 1],
  ];
  for (const [what, next, oksWanted] of cases) {
    const { store } = await setup(t, () => ({ status: 200, body: page(next) }));
    const items = await collect(store.reader({ types: ['Device'] }));
    t.equal(oks(items).length, oksWanted, what);
    t.same(fails(items).map((f) => f.code), ['STORE_BAD_RESPONSE'], what);
  }
  // a link back to the same page would loop forever
  let base = '';
  const loop = await setup(t, (_n, _m, p) => ({ status: 200, body: page(`${base}${p}`) }));
  base = loop.server.base;
  const items = await collect(loop.store.reader({ types: ['Device'] }));
  t.equal(oks(items).length, 1);
  t.match(fails(items)[0]!.reason, /repeats/);
});

t.test('a search answered with something else than a Bundle of that type', async (t) => {
  const bodies: Array<[string, string]> = [
    ['OperationOutcome', '{"resourceType":"OperationOutcome"}'],
    ['wrong type inside', JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: 'p' } }, { search: { mode: 'include' }, resource: { resourceType: 'Patient', id: 'q' } }] })],
  ];
  for (const [what, body] of bodies) {
    const { store } = await setup(t, () => ({ status: 200, body }));
    const items = await collect(store.reader({ types: ['Device'] }));
    t.same(items.map((i) => (i.kind === 'failed' ? i.code : i.kind)), ['STORE_BAD_RESPONSE'], what);
    t.notMatch(JSON.stringify(items), /"p"/, 'the foreign resource is not passed on');
  }
});
