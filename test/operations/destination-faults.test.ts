import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadKey } from '../../src/core/key.js';
import { runOperation } from '../../src/operations/run-operation.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { DEFAULT_FHIR_PLAN } from '../../src/fhir/make-env.js';
import type { OperationRecord } from '../../src/operations/operation-record.js';
import { startFhirServer } from '../helpers/fhir-server.js';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { KEY_A, repoRoot } from '../helpers/run-cli.js';
import { collect, oks, withoutServerMeta } from '../helpers/store-items.js';
import { folderResources, pgQuery, sleep, tempDir } from '../cli/fhir-store-helpers.js';

type Json = Record<string, unknown>;
const SAMPLE = path.join(repoRoot, 'data/samples/fhir');
const key = loadKey({ env: { DEID_KEY: KEY_A } });
const config = { ...structuredClone(DEFAULT_CONFIG), fhir: { ...DEFAULT_FHIR_PLAN } };
const quiet = { update: () => undefined, stop: () => undefined };

function errorLines(rec: OperationRecord): Array<Record<string, unknown>> {
  return fs.readFileSync(rec.errorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The expected destination: a one-shot run into a folder. */
async function expected(t: { teardown(fn: () => void): void }): Promise<Map<string, Json>> {
  const dir = path.join(tempDir(t), 'expected');
  const src = await openFhirStore(SAMPLE);
  const dst = await openFhirStore(dir);
  const r = await runOperation({ command: 'fhir-store', source: 'x', destination: 'y', operationDir: path.join(dir, '.ops'), pairs: [{ name: 'default', source: src, destination: dst }], config, key, progress: quiet });
  if (r.exitStatus !== 0) throw new Error('one-shot run failed');
  return new Map([...folderResources(dir)].map(([k, v]) => [k, JSON.parse(v) as Json]));
}

t.test('FHIR server that drops every connection mid-run: retried, counted as STORE_UNAVAILABLE, resume finishes', async (t) => {
  const state = { down: false, posts: 0 };
  const server = await startFhirServer({
    fault: (_n, method) => {
      if (state.down) return 'drop';
      if (method === 'POST' && ++state.posts === 3) state.down = true;
      return undefined;
    },
  });
  t.teardown(() => server.close());
  const opDir = path.join(tempDir(t), 'ops');
  const open = async () => ({
    source: await openFhirStore(SAMPLE),
    destination: await openFhirStore(server.base, { rest: { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 }, batchSize: 50 } }),
  });
  const first = await runOperation({ command: 'fhir-store', source: SAMPLE, destination: server.base, operationDir: opDir, pairs: [{ name: 'default', ...(await open()) }], config, key, progress: quiet, saveIntervalMs: 0 });
  t.equal(first.exitStatus, 3, 'completed with failures');
  const rec = first.record;
  t.equal(rec.status, 'completed-with-failures');
  t.ok(rec.counters.success > 0 && rec.counters.failure > 0, `${rec.counters.success} stored before, ${rec.counters.failure} failed after`);
  t.equal(rec.counters.success + rec.counters.failure, 687, 'in = out + failed');
  t.equal(rec.counters.pending, 0);
  t.same(Object.keys(rec.errors), ['STORE_UNAVAILABLE'], 'one clear code');
  const lines = errorLines(rec);
  t.equal(lines.length, rec.counters.failure, 'every failed record is in the error log');
  t.ok(lines.every((l) => l.code === 'STORE_UNAVAILABLE' && typeof l.unit === 'string' && typeof l.resourceType === 'string'));
  const retry = Object.values(rec.stores.default!.units).filter((u) => u.retry);
  t.ok(retry.length > 0, 'units with failures a retry may cure are marked for resume');

  state.down = false;
  const second = await runOperation({ command: 'fhir-store', source: SAMPLE, destination: server.base, operationDir: opDir, pairs: [{ name: 'default', ...(await open()) }], config, key, progress: quiet, resume: rec.id });
  t.equal(second.exitStatus, 0);
  t.equal(second.record.status, 'succeeded');
  t.same(second.record.counters, { success: 687, failure: 0, pending: 0 }, 'redone units are counted once');
  t.equal(errorLines(second.record).length, 0, 'their old error lines are gone');
  const stored = oks(await collect((await openFhirStore(server.base)).reader({ types: [...new Set(Object.keys(second.record.stores.default!.byType))] })));
  const want = await expected(t);
  t.equal(stored.length, want.size, 'nothing lost, nothing duplicated');
  let same = 0;
  for (const r of stored) if (JSON.stringify(withoutServerMeta(r)) === JSON.stringify(withoutServerMeta(want.get(`${String(r.resourceType)}/${String(r.id)}`) ?? {}))) same++;
  t.equal(same, want.size, 'same bodies as a one-shot run');
});

t.test('PostgreSQL whose connections are terminated mid-run: failures counted, resume finishes', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const table = uniqueTable(t, url, 'op_fault');
  const app = `deid_fault_${process.pid}`;
  const destUrl = `${url}?table=${table}&application_name=${app}`;
  const opDir = path.join(tempDir(t), 'ops');
  const open = async () => ({
    source: await openFhirStore(SAMPLE),
    destination: await openFhirStore(destUrl, { postgres: { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 }, batchSize: 10 } }),
  });
  // keep killing the destination's connections from the moment the first rows are in until something failed
  let stop = false;
  let kills = 0;
  const killer = (async () => {
    for (;;) {
      if (stop) return;
      const [{ n }] = await pgQuery<{ n: string }>(url, `SELECT count(*) n FROM pg_tables WHERE tablename = $1`, [table]);
      if (Number(n) > 0) {
        const [{ rows }] = await pgQuery<{ rows: string }>(url, `SELECT count(*) rows FROM "${table}"`);
        if (Number(rows) > 0) break;
      }
      await sleep(5);
    }
    while (!stop) {
      const r = await pgQuery<{ k: boolean }>(url, `SELECT pg_terminate_backend(pid) k FROM pg_stat_activity WHERE application_name = $1`, [app]);
      kills += r.length;
      await sleep(2);
    }
  })();
  const pair = await open();
  const first = await runOperation({ command: 'fhir-store', source: SAMPLE, destination: 'pg', operationDir: opDir, pairs: [{ name: 'default', ...pair }], config, key, progress: quiet });
  stop = true;
  await killer;
  await pair.destination.close();
  t.ok(kills > 0, `${kills} connections terminated`);
  const rec = first.record;
  t.equal(rec.counters.success + rec.counters.failure, 687, 'in = out + failed');
  t.ok(rec.counters.failure > 0, `${rec.counters.failure} records failed`);
  t.equal(first.exitStatus, 3);
  t.same(Object.keys(rec.errors), ['STORE_UNAVAILABLE']);
  t.equal(errorLines(rec).length, rec.counters.failure);
  const [{ n: inTable }] = await pgQuery<{ n: string }>(url, `SELECT count(*) n FROM "${table}"`);
  t.ok(Number(inTable) >= rec.counters.success, 'what was counted stored is in the table');

  const pair2 = await open();
  const second = await runOperation({ command: 'fhir-store', source: SAMPLE, destination: 'pg', operationDir: opDir, pairs: [{ name: 'default', ...pair2 }], config, key, progress: quiet, resume: rec.id });
  await pair2.destination.close();
  t.equal(second.exitStatus, 0);
  t.same(second.record.counters, { success: 687, failure: 0, pending: 0 });
  const rows = await pgQuery<{ resource_type: string; id: string; body: Json }>(url, `SELECT resource_type, id, body FROM "${table}"`);
  const want = await expected(t);
  t.equal(rows.length, want.size, 'nothing lost, nothing duplicated');
  t.equal(rows.filter((r) => JSON.stringify(sortKeys(r.body)) === JSON.stringify(sortKeys(want.get(`${r.resource_type}/${r.id}`)))).length, want.size, 'same bodies as a one-shot run');
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

t.test('a FHIR server source that goes away mid-read: the folder shows the finished types, resume reads the rest', async (t) => {
  const state = { down: false, gets: 0 };
  const server = await startFhirServer({
    fault: (_n, method, p) => {
      if (method === 'GET' && p.startsWith('/Observation') && state.down) return 'drop';
      return undefined;
    },
  });
  t.teardown(() => server.close());
  const tmp = tempDir(t);
  // fill the server with the de-identified sample
  const fill = await runOperation({ command: 'fhir-store', source: SAMPLE, destination: server.base, operationDir: path.join(tmp, 'fill'), pairs: [{ name: 'default', source: await openFhirStore(SAMPLE), destination: await openFhirStore(server.base) }], config, key, progress: quiet });
  t.equal(fill.exitStatus, 0);
  const types = Object.keys(fill.record.stores.default!.byType);
  const dest = path.join(tmp, 'dest');
  const open = async () => ({ source: await openFhirStore(server.base, { rest: { types, retry: { attempts: 2, baseDelayMs: 5 }, pageSize: 20 } }), destination: await openFhirStore(dest) });
  state.down = true;
  const first = await runOperation({ command: 'fhir-store', source: server.base, destination: dest, operationDir: path.join(dest, '.ops'), pairs: [{ name: 'default', ...(await open()) }], config, key, progress: quiet });
  t.equal(first.exitStatus, 3);
  const units = first.record.stores.default!.units;
  t.equal(units.Observation?.retry, true, 'the type whose reading stopped waits for a resume');
  t.same(first.record.errors, { STORE_UNAVAILABLE: 1 }, 'reading stopped: one failure names it');
  const partial = folderResources(dest);
  t.ok(partial.size > 0 && ![...partial.keys()].some((k) => k.startsWith('Observation/')), 'finished types are in the folder already');
  t.ok(fs.existsSync(path.join(dest, 'manifest.json')));

  state.down = false;
  const second = await runOperation({ command: 'fhir-store', source: server.base, destination: dest, operationDir: path.join(dest, '.ops'), pairs: [{ name: 'default', ...(await open()) }], config, key, progress: quiet, resume: first.record.id });
  t.equal(second.exitStatus, 0);
  const full = folderResources(dest);
  t.equal(full.size, 687, 'every resource once');
  t.same(second.record.counters, { success: 687, failure: 0, pending: 0 });
  t.notOk(fs.existsSync(path.join(dest, '.deid-parts')), 'parts removed once complete');
  for (const [k, v] of partial) t.equal(full.get(k), v, `${k} unchanged by the resume`);
});
