import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { checksumTree } from '../helpers/store-items.js';
import { runCli } from '../helpers/run-cli.js';
import { doneUnits, folderResources, pgQuery, readRecord, replicateBulk, spawnDeid, tempDir, waitForRecord } from './fhir-store-helpers.js';

t.test('folder → folder: SIGTERM mid-run, then --resume, equals a one-shot run', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  replicateBulk(src, 4);
  const before = checksumTree(src);
  const dest = path.join(tmp, 'dest');
  const opDir = path.join(dest, '.deid-operations');

  const run = spawnDeid(['fhir-store', src, dest]);
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  const midway = await waitForRecord(path.join(opDir, `${id}.json`), (r) => doneUnits(r) >= 2, () => ended);
  t.ok(midway, 'two units were finished before the signal');
  run.kill('SIGTERM');
  const first = await run.done;
  t.equal(first.code, 143, 'exit status 128 + SIGTERM');
  const cancelled = readRecord(opDir, id);
  t.equal(cancelled.status, 'cancelled');
  t.equal(cancelled.signal, 'SIGTERM');
  const units = Object.values(cancelled.stores.default.units) as Array<{ done: boolean }>;
  t.ok(units.some((u) => !u.done) || units.length < 17, 'the operation stopped before the end');
  t.notOk(fs.existsSync(path.join(dest, 'manifest.json')), 'an unfinished folder has no manifest yet');

  const resumed = await runCli(['fhir-store', src, dest, '--resume', id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const rec = readRecord(opDir, id);
  t.equal(rec.status, 'succeeded');
  t.equal(rec.resumed, 1);
  t.same(rec.counters, { success: 10994 * 4, failure: 0, pending: 0 }, 'every record counted once');
  t.notOk(fs.existsSync(path.join(dest, '.deid-parts')), 'unit parts are cleaned up');

  const oneShot = path.join(tmp, 'one-shot');
  const single = await runCli(['fhir-store', src, oneShot, '-q']);
  t.equal(single.code, 0, single.stderr);
  const a = folderResources(dest);
  const b = folderResources(oneShot);
  t.equal(a.size, 10994 * 4);
  t.same([...a.keys()].sort(), [...b.keys()].sort(), 'same (type, id) set');
  let same = 0;
  for (const [k, v] of a) if (b.get(k) === v) same++;
  t.equal(same, a.size, 'same bodies');
  for (const f of fs.readdirSync(oneShot).filter((n) => n.endsWith('.ndjson'))) {
    t.ok(fs.readFileSync(path.join(dest, f)).equals(fs.readFileSync(path.join(oneShot, f))), `${f} byte-identical`);
  }
  t.same(checksumTree(src), before, 'the source is unchanged');

  const again = await runCli(['fhir-store', src, dest, '--resume', id]);
  t.equal(again.code, 0, 'resuming a finished operation does nothing');
  t.same(folderResources(dest), a);
});

t.test('postgres → postgres: SIGINT mid-type, resume after the last settled key, nothing written twice', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  // big enough that each large type takes seconds, so a mid-type checkpoint is seen even on a loaded machine
  replicateBulk(src, 6);
  const [srcT, aT, bT] = [uniqueTable(t, url, 'op_src'), uniqueTable(t, url, 'op_a'), uniqueTable(t, url, 'op_b')];
  const opDir = path.join(tmp, 'ops');
  const load = await runCli(['fhir-store', src, `${url}?table=${srcT}`, '--operation-dir', opDir, '-q']);
  t.equal(load.code, 0, load.stderr);
  const srcSum = await pgQuery<{ n: string; h: string }>(url, `SELECT count(*) n, md5(string_agg(resource_type||id||body::text||version::text||last_updated::text, ',' ORDER BY resource_type, id)) h FROM "${srcT}"`);

  const run = spawnDeid(['fhir-store', `${url}?table=${srcT}`, `${url}?table=${aT}`, '--operation-dir', opDir]);
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  const midway = await waitForRecord(
    path.join(opDir, `${id}.json`),
    (r) => doneUnits(r) >= 1 && Object.values(r.stores.default.units as Record<string, { done: boolean; lastDone?: string }>).some((u) => !u.done && u.lastDone),
    () => ended,
  );
  t.ok(midway, 'stopped inside a type, after some of its records were settled');
  run.kill('SIGINT');
  const first = await run.done;
  t.equal(first.code, 130, 'exit status 128 + SIGINT');
  const cancelled = readRecord(opDir, id);
  t.equal(cancelled.status, 'cancelled');
  const [{ n: storedAtCancel }] = await pgQuery<{ n: string }>(url, `SELECT count(*) n FROM "${aT}"`);
  t.equal(Number(storedAtCancel), cancelled.counters.success, 'what the record calls stored is in the table');

  const resumed = await runCli(['fhir-store', `${url}?table=${srcT}`, `${url}?table=${aT}`, '--operation-dir', opDir, '--resume', id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const rec = readRecord(opDir, id);
  t.equal(rec.status, 'succeeded');
  t.same(rec.counters, { success: 10994 * 6, failure: 0, pending: 0 });
  const [{ v }] = await pgQuery<{ v: number }>(url, `SELECT max(version) v FROM "${aT}"`);
  t.equal(v, 1, 'no row was written twice: the settled prefix was skipped');
  t.equal(rec.stores.default.since, cancelled.stores.default.since, "the table's clock is read once per operation");
  t.equal(rec.stores.default.duplicates, undefined, 'rows written before the stop count as this operation\'s: no duplicates');

  const single = await runCli(['fhir-store', `${url}?table=${srcT}`, `${url}?table=${bT}`, '--operation-dir', opDir, '-q']);
  t.equal(single.code, 0, single.stderr);
  const [{ diff, na, nb }] = await pgQuery<{ diff: string; na: string; nb: string }>(
    url,
    `SELECT (SELECT count(*) FROM "${aT}" a FULL JOIN "${bT}" b USING (resource_type, id) WHERE a.body IS DISTINCT FROM b.body) diff,
            (SELECT count(*) FROM "${aT}") na, (SELECT count(*) FROM "${bT}") nb`,
  );
  t.equal(Number(na), 10994 * 6);
  t.equal(Number(nb), 10994 * 6);
  t.equal(Number(diff), 0, 'same (type, id) rows with the same bodies as a one-shot run');
  t.same(await pgQuery(url, `SELECT count(*) n, md5(string_agg(resource_type||id||body::text||version::text||last_updated::text, ',' ORDER BY resource_type, id)) h FROM "${srcT}"`), srcSum, 'the source table is unchanged');
});

t.test('--resume of an operation that is still running is refused (64); the running one finishes alone', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  replicateBulk(src, 6);
  const dest = path.join(tmp, 'dest');
  const opDir = path.join(dest, '.deid-operations');
  const run = spawnDeid(['fhir-store', src, dest]);
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  t.ok(await waitForRecord(path.join(opDir, `${id}.json`), (r) => doneUnits(r) >= 1, () => ended), 'the first run is under way');
  const second = await runCli(['fhir-store', src, dest, '--resume', id]);
  t.notOk(ended, 'and was still going when the resume was refused');
  const first = await run.done;
  t.equal(second.code, 64, second.stderr);
  t.match(second.stderr, new RegExp(`operation ${id} is running in process \\d+`));
  t.equal(first.code, 0, first.stderr);
  const rec = readRecord(opDir, id);
  t.equal(rec.status, 'succeeded');
  t.notOk(rec.resumed, 'the refused resume left the record alone');
  t.same(rec.counters, { success: 10994 * 6, failure: 0, pending: 0 });
  t.equal(folderResources(dest).size, 10994 * 6);
  t.same(fs.readdirSync(opDir).filter((f) => f.endsWith('.lock')), [], 'no lock left behind');
  const after = await runCli(['fhir-store', src, dest, '--resume', id]);
  t.equal(after.code, 0, 'once it has ended, a resume is accepted (and has nothing to do)');
});
