import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { failed, ok, type Failed, type Item } from '../../src/core/record.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import type { FhirStore } from '../../src/stores/types.js';
import { sharedData } from '../helpers/run-cli.js';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { byKey, collect, fails, oks, readSource, writeAll } from '../helpers/store-items.js';

type Json = Record<string, unknown>;
const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');

async function freshStore(t: Parameters<typeof requirePostgres>[0], url: string, query = ''): Promise<{ store: FhirStore; table: string }> {
  const table = uniqueTable(t, url);
  const store = await openFhirStore(`${url}?table=${table}${query}`);
  t.teardown(() => store.close());
  await store.ensure();
  return { store, table };
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

const keyOf = (r: Json): string => `${String(r.resourceType)}/${String(r.id)}`;
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

t.test('batches upsert by (type, id) and read back in key order', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const { store, table } = await freshStore(t, url);
  const source = [
    ...(await readSource(path.join(synthea, 'Patient.ndjson'))),
    ...(await readSource(path.join(synthea, 'Organization.ndjson'))),
  ];
  const w = store.writer({ batchSize: 7 });
  await writeAll(source, w);
  t.equal(w.written, source.length);
  t.equal(w.failedCount, 0);
  await store.ensure(); // idempotent on an existing table
  const back = oks(await collect(store.reader()));
  t.same(byKey(back), byKey(oks(source)));
  const keys = back.map((r) => `${String(r.resourceType)}\u0000${String(r.id)}`);
  t.same(keys, [...keys].sort(byCodePoint), 'code-point order of (type, id)');

  const w2 = store.writer({ batchSize: 50 });
  await writeAll(source.slice(0, 10), w2);
  const rows = await sql<{ version: number; n: string }>(url, `SELECT version, count(*) AS n FROM "${table}" GROUP BY version ORDER BY version`);
  t.same(rows.map((r) => [r.version, Number(r.n)]), [[1, source.length - 10], [2, 10]], 'rewritten rows bump their version');
});

t.test('the last record of a key wins inside one batch', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const { store } = await freshStore(t, url);
  const [p] = oks(await readSource(path.join(synthea, 'Patient.ndjson')));
  const items: Item[] = [ok(p, { file: 'a', line: 1 }), ok({ ...p, gender: 'other' }, { file: 'a', line: 2 }), ok({ ...p, gender: 'unknown' }, { file: 'a', line: 3 })];
  const w = store.writer({ batchSize: 10 });
  await writeAll(items, w);
  t.equal(w.written, 3);
  const back = oks(await collect(store.reader()));
  t.equal(back.length, 1);
  t.equal(back[0]!.gender, 'unknown');
});

t.test('text that COPY or jsonb could garble reads back equal', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const { store } = await freshStore(t, url);
  const [p] = oks(await readSource(path.join(synthea, 'Patient.ndjson')));
  const tricky = [
    'tab\there', 'line\nbreak\r\n', 'back\\slash \\N \\.', '\\x41 not hex', 'quote " and \' ', '\u2028\u2029', 'emoji \ud83d\ude00 and ﷽', 'nul-free \u0001\u001f',
  ];
  const items: Item[] = tricky.map((s, i) => ok({ ...p, id: `tricky-${i}`, name: [{ text: s }], extension: [{ url: 'x', valueDecimal: 1.50 }] }, { file: 't', line: i + 1 }));
  items.push(ok({ ...p, id: 'big-number', multipleBirthInteger: 2147483647, extension: [{ url: 'y', valueDecimal: 12345678901234.5 }] }, { file: 't', line: 99 }));
  const w = store.writer({ batchSize: 4 });
  await writeAll(items, w);
  t.equal(w.written, items.length);
  const back = byKey(oks(await collect(store.reader())));
  t.same(back, byKey(oks(items)));
});

t.test('bad records fail alone; the rest of their batch is stored', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const { store } = await freshStore(t, url);
  const patients = oks(await readSource(path.join(synthea, 'Patient.ndjson'))).slice(0, 20);
  const items: Item[] = patients.map((p, i) => ok(p, { file: 'in.ndjson', line: i + 1 }));
  // jsonb cannot hold \u0000 nor a lone surrogate: SQLSTATE 22P05 / 22P02 for that row only
  items[3] = ok({ ...patients[3], name: [{ text: 'Zed\u0000Secret' }] }, { file: 'in.ndjson', line: 4 });
  items[11] = ok({ ...patients[11], name: [{ text: 'Lone\ud800Secret' }] }, { file: 'in.ndjson', line: 12 });
  items.push(ok({ resourceType: 'Patient', name: [{ text: 'NoIdSecret' }] }, { file: 'in.ndjson', line: 21 }));
  items.push(ok({ resourceType: 'Patient', id: 'bad id/..' }, { file: 'in.ndjson', line: 22 }));
  items.push(ok([1, 2], { file: 'in.ndjson', line: 23 }));
  items.push(failed('INVALID_JSON', 'Record is not valid JSON', { file: 'in.ndjson', line: 24 }));
  const got: Failed[] = [];
  const w = store.writer({ batchSize: 8, onFailed: (f) => got.push(f) });
  await writeAll(items, w);
  t.equal(w.written, 18);
  t.equal(w.written + w.failedCount, items.length, 'written + failed = input');
  const byLine = new Map(got.map((f) => [f.loc.line, f]));
  t.equal(byLine.get(4)?.code, 'STORE_REJECTED');
  t.equal(byLine.get(12)?.code, 'STORE_REJECTED');
  t.equal(byLine.get(4)?.resourceType, 'Patient');
  for (const l of [21, 22, 23]) t.equal(byLine.get(l)?.code, 'STORE_INVALID_RESOURCE', `line ${l}`);
  t.equal(byLine.get(24)?.code, 'INVALID_JSON', 'input failures are forwarded as they are');
  t.notMatch(JSON.stringify(got), /Secret/, 'no record content in failures');
  const back = byKey(oks(await collect(store.reader())));
  t.equal(back.size, 18);
  t.notOk(back.has(keyOf(patients[3]!)));
  t.ok(back.has(keyOf(patients[4]!)));
});

t.test('reader: paging, resources filter, not-found, skipModifiedAfter', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const table = uniqueTable(t, url);
  const store = await openFhirStore(`${url}?table=${table}`, { postgres: { pageSize: 3 } });
  t.teardown(() => store.close());
  await store.ensure();
  const orgs = oks(await readSource(path.join(synthea, 'Organization.ndjson')));
  const devices = oks(await readSource(path.join(synthea, 'Device.ndjson')));
  await writeAll(orgs.map((r, i) => ok(r, { file: 'o', line: i + 1 })), store.writer());
  await new Promise((r) => setTimeout(r, 50));
  const cutoff = new Date();
  await new Promise((r) => setTimeout(r, 50));
  await writeAll(devices.map((r, i) => ok(r, { file: 'd', line: i + 1 })), store.writer());

  const all = await collect(store.reader());
  t.equal(oks(all).length, orgs.length + devices.length, 'pages of 3 cover everything');
  t.match(all[0]!.loc.file, new RegExp(`^postgres://[^@]+@127\\.0\\.0\\.1:5432/test\\?table=${table}#Device/`));

  const onlyDevices = oks(await collect(store.reader({ types: ['Device', 'Basic'] })));
  t.same(onlyDevices.map(keyOf).sort(), devices.map(keyOf).sort(), 'types filter');
  const old = oks(await collect(store.reader({ skipModifiedAfter: cutoff })));
  t.same(old.map(keyOf).sort(), orgs.map(keyOf).sort(), 'resources written after the cutoff are skipped');

  const want = [keyOf(devices[0]!), keyOf(orgs[2]!), 'Organization/missing-1', keyOf(orgs[2]!)];
  const picked = await collect(store.reader({ resources: want }));
  t.same(oks(picked).map(keyOf).sort(), [keyOf(devices[0]!), keyOf(orgs[2]!)].sort());
  t.same(fails(picked).map((f) => [f.code, f.loc.file.split('#')[1]]), [['STORE_RESOURCE_NOT_FOUND', 'Organization/missing-1']]);
  const pickedOld = oks(await collect(store.reader({ resources: want, skipModifiedAfter: cutoff })));
  t.same(pickedOld.map(keyOf), [keyOf(orgs[2]!)], 'filters combine');
});

t.test('streamed Bundle entries are stored as their resources; schema from the URI', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const schema = `deid_s_${process.pid}_${Date.now().toString(36)}`;
  t.teardown(() => sql(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  const { store } = await freshStore(t, url, `&schema=${schema}`);
  const dir = path.join(sharedData, 'fhir-samples/synthea-transaction-bundles');
  const file = (await import('node:fs')).readdirSync(dir).filter((f) => f.endsWith('.json')).sort()[0]!;
  const items = await readSource(path.join(dir, file));
  const entries = items.filter((i) => i.kind === 'ok' && i.loc.entry !== undefined);
  t.ok(entries.length > 10);
  const w = store.writer();
  await writeAll(items, w);
  t.equal(w.written, entries.length);
  const n = await sql<{ n: string }>(url, `SELECT count(*) AS n FROM "${schema}"."${(store as unknown as { table: { table: string } }).table.table}"`);
  t.equal(Number(n[0]!.n), entries.length);
});

t.test('reader: a named resource that is absent comes in key order, so a resume after the last settled key skips nothing', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const table = uniqueTable(t, url);
  const store = await openFhirStore(`${url}?table=${table}`, { postgres: { pageSize: 10 } });
  t.teardown(() => store.close());
  await store.ensure();
  const orgs = oks(await readSource(path.join(synthea, 'Organization.ndjson'))).slice(0, 3);
  await writeAll(orgs.map((r, i) => ok(r, { file: 'o', line: i + 1 })), store.writer());
  // 'Organization/zzz-missing' sorts after every stored id: a not-found failure first would move the checkpoint past them
  const want = ['Organization/zzz-missing', ...orgs.map(keyOf), 'Organization/0-missing'];
  const picked = await collect(store.reader({ resources: want }));
  const refs = picked.map((i) => i.loc.file.slice(i.loc.file.lastIndexOf('#') + 1));
  t.same(refs, [...new Set(want)].sort(byCodePoint), 'found and not-found resources in (type, id) order');
  t.same(fails(picked).map((f) => f.loc.file.split('#')[1]), ['Organization/0-missing', 'Organization/zzz-missing']);
});
