import t from 'tap';
import { ok, type Failed } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { MAX_EMPTY_PAGES } from '../../src/stores/rest-reader.js';
import { startMisbehavingFhir, type Misbehaviour, type Request } from '../helpers/misbehaving-fhir.js';
import { collect, fails, oks, writeAll } from '../helpers/store-items.js';

type Json = Record<string, unknown>;
const fast = { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 };
const devices = (n: number): Json[] => Array.from({ length: n }, (_, i) => ({ resourceType: 'Device', id: `d${String(i).padStart(3, '0')}` }));

async function serve(t: { teardown(fn: () => unknown): unknown }, resources: Json[], how: (r: Request) => Misbehaviour) {
  const s = await startMisbehavingFhir(resources, how);
  t.teardown(() => s.close());
  return s;
}

const ids = (items: Json[]): string[] => items.map((r) => String(r.id));

t.test('a server that stalls or hangs up mid-body is timed out / retried; every resource is read once', async (t) => {
  for (const fault of ['hang-mid-body', 'cut-mid-body'] as const) {
    let faults = 0;
    const s = await serve(t, devices(25), (r) => (r.page === 1 && faults++ === 0 ? fault : undefined));
    const store = await openFhirStore(s.base, { rest: { retry: fast, timeoutMs: 400, pageSize: 10, types: ['Device'] } });
    const start = Date.now();
    const items = await collect(store.reader());
    t.same(fails(items), [], fault);
    t.same(ids(oks(items)), ids(devices(25)), `${fault}: all, in order, once`);
    t.ok(Date.now() - start < 5000, `${fault}: bounded by the timeout`);
    t.equal(s.requests.filter((r) => r.page === 1).length, 2, `${fault}: the page was asked again once`);
  }
});

t.test('a slow server within the timeout is waited for, not retried', async (t) => {
  const s = await serve(t, devices(5), () => ({ delayMs: 700 }));
  const store = await openFhirStore(s.base, { rest: { retry: fast, timeoutMs: 5000, types: ['Device'] } });
  const items = await collect(store.reader());
  t.equal(oks(items).length, 5);
  t.equal(s.requests.length, 1);
});

t.test('a read that breaks off mid-type ends with a `stopped` failure naming the type, never silently', async (t) => {
  const cases: Array<[string, (r: Request) => Misbehaviour, RegExp, string]> = [
    ['page answered 410 (paging cursor expired)', (r) => (r.page === 1 ? { status: 410 } : undefined), /HTTP 410/, 'STORE_REJECTED'],
    ['page answered 200 with an HTML error page', (r) => (r.page === 1 ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' } : undefined), /not a Bundle/, 'STORE_BAD_RESPONSE'],
    ['page answered 200 with JSON cut short', (r) => (r.page === 1 ? { status: 200, body: '{"resourceType":"Bundle","entry":[{"resource":' } : undefined), /not a Bundle/, 'STORE_BAD_RESPONSE'],
    ['page that keeps failing 503', (r) => (r.page === 1 ? { status: 503 } : undefined), /stopped/, 'STORE_UNAVAILABLE'],
  ];
  for (const [what, how, reason, code] of cases) {
    const s = await serve(t, devices(25), how);
    const store = await openFhirStore(s.base, { rest: { retry: fast, pageSize: 10, types: ['Device'] } });
    const items = await collect(store.reader());
    t.equal(oks(items).length, 10, `${what}: the first page`);
    const f = fails(items);
    t.equal(f.length, 1, what);
    t.equal(f[0]!.code, code, what);
    t.equal(f[0]!.stopped, true, what);
    t.equal(f[0]!.resourceType, 'Device', what);
    t.match(f[0]!.reason, reason, what);
    t.notMatch(f[0]!.reason, /gateway|<html/, `${what}: the body is not quoted`);
  }
});

t.test('paging that goes round in circles with links that differ ends; so do endless empty pages', async (t) => {
  // from the second page on, the next link leads to the second page again under a fresh link: a loop the links alone do not show
  let base = '';
  const s = await serve(t, devices(30), (r) => ((r.page ?? 0) >= 1 ? { next: `${base}/Device?_count=10&_page=1&_s=${r.n}` } : undefined));
  base = s.base;
  const store = await openFhirStore(s.base, { rest: { retry: fast, pageSize: 10, types: ['Device'] } });
  const items = await collect(store.reader());
  t.equal(s.requests.length, 3, 'stopped when the second page came again');
  t.same(ids(oks(items)), ids(devices(20)), 'each page once');
  t.same(fails(items).map((f) => [f.code, f.stopped]), [['STORE_BAD_RESPONSE', true]]);
  t.match(fails(items)[0]!.reason, /repeats a page/);

  const empty = await serve(t, devices(10), (r) => ({ next: `/fhir/Device?_count=10&_page=${(r.page ?? 0) + 1}` }));
  const items2 = await collect((await openFhirStore(empty.base, { rest: { retry: fast, pageSize: 10, types: ['Device'] } })).reader());
  t.equal(oks(items2).length, 10);
  t.match(fails(items2).map((f) => f.reason), [/does not advance/]);
  t.equal(empty.requests.length, MAX_EMPTY_PAGES + 2, 'the first page, then the empty ones up to the bound');
});

t.test('an aborted reader gives up a stalled request and its retries at once', async (t) => {
  const s = await serve(t, devices(25), (r) => (r.page === 1 ? 'hang' : undefined));
  const store = await openFhirStore(s.base, { rest: { retry: { attempts: 4, baseDelayMs: 10_000, maxDelayMs: 10_000 }, timeoutMs: 60_000, pageSize: 10, types: ['Device'] } });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  const start = Date.now();
  const items = await collect(store.reader({ signal: ac.signal }));
  t.ok(Date.now() - start < 3000, `ended ${Date.now() - start} ms after the start`);
  t.equal(oks(items).length, 10);
  t.same(fails(items), [], 'an abort is not a store failure: the run is cancelled');
});

t.test('a writer torn down while the store stalls abandons the batch in flight (counted), not minutes later', async (t) => {
  const s = await serve(t, [], (r) => (r.method === 'POST' ? 'hang' : undefined));
  const store = await openFhirStore(s.base, { rest: { retry: { attempts: 4, baseDelayMs: 10_000 }, timeoutMs: 60_000 } });
  const got: Failed[] = [];
  const w = store.writer({ batchSize: 5, onFailed: (f) => got.push(f) });
  const items = devices(12).map((d, i) => ok(d, { file: 'x', line: i + 1 }));
  const done = writeAll(items, w).catch(() => undefined);
  setTimeout(() => w.destroy(), 300);
  const start = Date.now();
  await done;
  await new Promise((r) => setTimeout(r, 50));
  t.ok(Date.now() - start < 3000, `${Date.now() - start} ms`);
  t.equal(w.written, 0);
  t.ok(got.length >= 5, `${got.length} records accounted for`);
  t.ok(got.every((f) => f.code === 'STORE_ABORTED'), JSON.stringify([...new Set(got.map((f) => f.code))]));
});
