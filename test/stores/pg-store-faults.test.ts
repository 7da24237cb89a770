import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import type { Failed } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { sharedData } from '../helpers/run-cli.js';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { byKey, collect, fails, oks, readSource, writeAll } from '../helpers/store-items.js';

const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const fast = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

t.test('no server: every record fails STORE_UNAVAILABLE, none is lost', async (t) => {
  // port 1 on loopback: connection refused at once
  const store = await openFhirStore('postgres://postgres:pw@127.0.0.1:1/test?table=x', { postgres: { retry: fast, connectTimeoutMs: 2000 } });
  t.teardown(() => store.close());
  await t.rejects(store.ensure(), { code: 'STORE_UNAVAILABLE' });
  const source = await readSource(path.join(synthea, 'Organization.ndjson'));
  const got: Failed[] = [];
  const w = store.writer({ batchSize: 10, onFailed: (f) => got.push(f) });
  await writeAll(source, w);
  t.equal(w.written, 0);
  t.equal(got.length, source.length, 'written + failed = input');
  t.same([...new Set(got.map((f) => f.code))], ['STORE_UNAVAILABLE']);
  t.same(got.map((f) => f.loc), source.map((i) => i.loc), 'each failure points at its input record');
  t.notMatch(JSON.stringify(got), /pw/);
  const read = await collect(store.reader());
  t.same(read.map((i) => i.kind), ['failed']);
  t.equal(fails(read)[0]!.code, 'STORE_UNAVAILABLE');
  t.notMatch(fails(read)[0]!.loc.file, /pw/);
});

t.test('a login the server refuses stops the run loudly, the held records counted', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const bad = url.replace(/\/\/[^@]+@/, '//deid_no_such_role@');
  const store = await openFhirStore(`${bad}?table=x`, { postgres: { retry: fast } });
  t.teardown(() => store.close());
  await t.rejects(store.ensure(), { code: 'STORE_REJECTED', message: /SQLSTATE 28000/ });
  const source = await readSource(path.join(synthea, 'Organization.ndjson'));
  const got: Failed[] = [];
  const w = store.writer({ batchSize: 10, onFailed: (f) => got.push(f) });
  await t.rejects(writeAll(source, w), { code: 'STORE_REJECTED' });
  t.equal(w.written, 0);
  t.same(got.map((f) => f.loc), source.slice(0, 10).map((i) => i.loc), 'the batch in hand is reported');
  await t.rejects(collect(store.reader()), { code: 'STORE_REJECTED' });
});

t.test('connections killed by the server mid-run (57P01) are retried; nothing is lost', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const table = uniqueTable(t, url);
  const app = `deid_fault_${process.pid}`;
  const store = await openFhirStore(`${url}?table=${table}&application_name=${app}`, { postgres: { retry: { attempts: 8, baseDelayMs: 10 } } });
  t.teardown(() => store.close());
  await store.ensure();
  const source = await readSource(path.join(synthea, 'Observation.ndjson'));
  const killer = new pg.Client({ connectionString: url });
  await killer.connect();
  t.teardown(() => killer.end());
  let killed = 0;
  let stop = false;
  // a few kills spread over the run: each one must cost a retry, not a record
  const loop = (async () => {
    for (let round = 0; !stop && round < 8; round++) {
      const r = await killer.query(`SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`, [app]);
      killed += r.rows.filter((x: { k: boolean }) => x.k).length;
      await new Promise((res) => setTimeout(res, 40));
    }
  })();
  const got: Failed[] = [];
  const w = store.writer({ batchSize: 100, onFailed: (f) => got.push(f) });
  try {
    await writeAll(source, w);
  } finally {
    stop = true;
    await loop;
  }
  t.ok(killed > 0, `the server killed ${killed} connections during the run`);
  t.same(got, []);
  t.equal(w.written, source.length);

  // the same while reading, page by page
  const reader = await openFhirStore(`${url}?table=${table}&application_name=${app}`, { postgres: { retry: { attempts: 8, baseDelayMs: 10 }, pageSize: 50 } });
  t.teardown(() => reader.close());
  let killedReading = 0;
  stop = false;
  const loop2 = (async () => {
    for (let round = 0; !stop && round < 8; round++) {
      const r = await killer.query(`SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`, [app]);
      killedReading += r.rows.filter((x: { k: boolean }) => x.k).length;
      await new Promise((res) => setTimeout(res, 25));
    }
  })();
  let back;
  try {
    back = await collect(reader.reader());
  } finally {
    stop = true;
    await loop2;
  }
  t.ok(killedReading > 0, `the server killed ${killedReading} connections while reading`);
  t.same(fails(back), []);
  t.same(byKey(oks(back)), byKey(oks(source)));
});
