import path from 'node:path';
import t from 'tap';
import type { Failed } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { startFhirServer, type FhirServerOptions, type TestFhirServer } from '../helpers/fhir-server.js';
import { sharedData } from '../helpers/run-cli.js';
import { byKey, collect, fails, oks, readSource, withoutMeta, writeAll } from '../helpers/store-items.js';

type Json = Record<string, unknown>;
const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const fast = { attempts: 4, baseDelayMs: 5, maxDelayMs: 2000 };
const noMeta = (m: Map<string, Json>): Map<string, Json> => new Map([...m].map(([k, v]) => [k, withoutMeta(v)]));

async function server(t: { teardown(fn: () => unknown): unknown }, o: FhirServerOptions): Promise<TestFhirServer> {
  const s = await startFhirServer(o);
  t.teardown(() => s.close());
  return s;
}

t.test('503 on the first requests: retried, everything stored and read', async (t) => {
  const s = await server(t, { fault: (n) => (n <= 3 ? { status: 503 } : undefined) });
  const store = await openFhirStore(s.base, { rest: { retry: fast, types: ['Organization'] } });
  const source = await readSource(path.join(synthea, 'Organization.ndjson'));
  const w = store.writer({ batchSize: 20 });
  await writeAll(source, w);
  t.equal(w.written, source.length);
  t.equal(w.failedCount, 0);
  const batches = Math.ceil(source.length / 20);
  t.equal(s.requests, batches + 3, 'one extra request per fault');
  t.same(noMeta(byKey(oks(await collect(store.reader())))), noMeta(byKey(oks(source))));
});

t.test('429 with Retry-After: reads and writes wait and go on', async (t) => {
  const s = await server(t, { fault: (n) => (n % 4 === 1 ? { status: 429, headers: { 'retry-after': '0' } } : undefined) });
  const store = await openFhirStore(s.base, { rest: { retry: { attempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 }, pageSize: 10 } });
  const source = await readSource(path.join(synthea, 'Device.ndjson'), path.join(synthea, 'Practitioner.ndjson'));
  const w = store.writer({ batchSize: 25 });
  // a 60 s backoff would time the test out: only Retry-After: 0 lets it finish
  await writeAll(source, w);
  t.equal(w.written, source.length);
  const back = await collect(store.reader({ types: ['Device', 'Practitioner'] }));
  t.same(fails(back), []);
  t.same(noMeta(byKey(oks(back))), noMeta(byKey(oks(source))));
});

t.test('a Retry-After of 1 s is honoured', async (t) => {
  const s = await server(t, { fault: (n) => (n === 1 ? { status: 503, headers: { 'retry-after': '1' } } : undefined) });
  const store = await openFhirStore(s.base, { rest: { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5000 } } });
  const source = await readSource(path.join(synthea, 'Device.ndjson'));
  const start = Date.now();
  const w = store.writer();
  await writeAll(source, w);
  t.equal(w.written, source.length);
  t.ok(Date.now() - start >= 950, 'waited for the server, not the 1 ms backoff');
});

t.test('a request that never answers times out and is retried', async (t) => {
  const s = await server(t, { fault: (n) => (n === 1 ? 'hang' : n === 2 ? 'drop' : undefined) });
  const store = await openFhirStore(s.base, { rest: { retry: fast, timeoutMs: 300 } });
  const source = await readSource(path.join(synthea, 'Device.ndjson'));
  const w = store.writer();
  await writeAll(source, w);
  t.equal(w.written, source.length);
  t.equal(s.requests, 3);
});

t.test('server stopped mid-run: the rest fail STORE_UNAVAILABLE, nothing silently lost', async (t) => {
  let stopped: Promise<void> | undefined;
  const holder: { s?: TestFhirServer } = {};
  const s = await server(t, {
    fault: (n) => {
      if (n < 5) return undefined;
      stopped ??= holder.s!.close();
      return 'drop';
    },
  });
  holder.s = s;
  const store = await openFhirStore(s.base, { rest: { retry: fast } });
  const source = await readSource(path.join(synthea, 'Observation.ndjson'));
  t.ok(source.length > 500);
  const got: Failed[] = [];
  const w = store.writer({ batchSize: 100, onFailed: (f) => got.push(f) });
  await writeAll(source, w);
  await stopped;
  t.equal(w.written, 400, 'the four batches the server answered');
  t.equal(w.written + got.length, source.length, 'written + failed = input');
  t.same([...new Set(got.map((f) => f.code))], ['STORE_UNAVAILABLE']);
  t.same(got.map((f) => f.loc), source.slice(400).map((i) => i.loc));
  const read = await collect(store.reader());
  t.same(read.map((i) => (i.kind === 'failed' ? i.code : i.kind)), ['STORE_UNAVAILABLE']);
});
