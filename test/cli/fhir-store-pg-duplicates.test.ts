import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { runCli } from '../helpers/run-cli.js';
import { pgQuery, readRecord, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

// A postgres table upserts by (type, id), so a resource read twice under one
// id (two files of a folder holding it, a server whose paging repeats it) is
// one row; the operation record counted both reads as `success` and said
// nothing of it, as it does for a folder (`duplicates`), so the table held
// fewer rows than the record's counters with nothing to tell why.
function source(dir: string): void {
  fs.mkdirSync(dir);
  const obs = (i: number, status: string): string => JSON.stringify({ resourceType: 'Observation', id: `o${i}`, status, code: { text: 'visit' } });
  const pat = (i: number): string => JSON.stringify({ resourceType: 'Patient', id: `p${i}`, gender: 'female' });
  fs.writeFileSync(path.join(dir, 'a.ndjson'), [obs(0, 'final'), obs(1, 'final'), obs(2, 'final'), obs(1, 'final'), pat(1)].join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'b.ndjson'), [obs(2, 'amended'), obs(3, 'amended'), pat(2)].join('\n') + '\n');
}

t.test('records stored over an id the operation wrote already are counted as duplicates, in this operation only', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  source(src);
  const table = uniqueTable(t, url, 'op_dups');
  const dest = `${url}?table=${table}`;
  const ops = path.join(tmp, 'ops');
  const r = await runCli(['fhir-store', src, dest, '--operation-dir', ops]);
  t.equal(r.code, 0, r.stderr);
  const rec = readRecord(ops, idOf(r.stderr));
  t.same(rec.counters, { success: 8, failure: 0, pending: 0 });
  t.same(rec.stores.default.duplicates, { Observation: 2 });
  t.match(r.stderr, /8 stored \(2 of them read again under the same id, kept once\), 0 failed/);
  const rows = await pgQuery<{ resource_type: string; n: string }>(url, `SELECT resource_type, count(*) n FROM "${table}" GROUP BY 1 ORDER BY 1`);
  t.same(rows.map((x) => [x.resource_type, Number(x.n)]), [['Observation', 4], ['Patient', 2]], 'success − duplicates rows per type');
  t.match(rec.stores.default.since as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

  // again into the same table: every row is upserted once more, the duplicates are this operation's own
  const again = await runCli(['fhir-store', src, dest, '--operation-dir', ops]);
  t.equal(again.code, 0, again.stderr);
  const rec2 = readRecord(ops, idOf(again.stderr));
  t.same(rec2.stores.default.duplicates, { Observation: 2 });
  t.not(rec2.stores.default.since, rec.stores.default.since, 'a new operation reads the clock again');

  // rows another writer left in the table are not this operation's
  await pgQuery(url, `INSERT INTO "${table}" (resource_type, id, body) VALUES ('Observation', 'other', '{}'::jsonb)`);
  const single = path.join(tmp, 'single');
  fs.mkdirSync(single);
  fs.writeFileSync(path.join(single, 'a.ndjson'), JSON.stringify({ resourceType: 'Observation', id: 'o9', status: 'final', code: { text: 'x' } }) + '\n');
  const third = await runCli(['fhir-store', single, dest, '--operation-dir', ops]);
  t.equal(third.code, 0, third.stderr);
  const rec3 = readRecord(ops, idOf(third.stderr));
  t.equal(rec3.stores.default.duplicates, undefined, 'none: the record says nothing');
  t.match(third.stderr, /1 stored, 0 failed/);
  t.notMatch(third.stderr, /read again/);
});

t.test('a FHIR server destination is not asked: no duplicates, no clock', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  source(src);
  const { startFhirServer } = await import('../helpers/fhir-server.js');
  const server = await startFhirServer();
  t.teardown(() => server.close());
  const ops = path.join(tmp, 'ops');
  const r = await runCli(['fhir-store', src, server.base, '--operation-dir', ops]);
  t.equal(r.code, 0, r.stderr);
  const st = readRecord(ops, idOf(r.stderr)).stores.default as Json;
  t.equal(st.duplicates, undefined);
  t.equal(st.since, undefined);
});
