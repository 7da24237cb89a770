// A fhir-store run reading a large PostgreSQL table stops promptly on SIGTERM
// (143 within a couple of seconds), leaves no temporary file in $TMPDIR or the
// destination, lets its connections go, and a --resume ends with the output
// of one uninterrupted run, byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import t from 'tap';
import { requirePostgres } from '../helpers/services.js';
import { runCli } from '../helpers/run-cli.js';
import { pgQuery, readRecord, sleep, spawnDeid, tempDir, waitForRecord } from './fhir-store-helpers.js';

// three runs over 200k rows: longer than the default 300 s per file on a busy machine
t.setTimeout(900_000);

const ROWS = 200_000;
// past 20,000 patients their context values go to a file in $TMPDIR, which a signal must remove too
const PATIENTS = 30_000;

/** Every file below `dir` (relative), hidden ones included. */
function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => !d.isDirectory()).map((d) => path.relative(dir, path.join(d.parentPath, d.name))).sort();
}

t.test(`postgres (${ROWS} rows) → folder: SIGTERM mid-read stops within 2 s, leaves no temporary file, releases its connections; the resume equals one run`, { timeout: 900_000 }, async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const schema = `deid_sig_${process.pid}_${Date.now().toString(36)}`;
  const app = `${schema}_app`;
  t.teardown(() => pgQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  await pgQuery(url, `CREATE SCHEMA "${schema}"`);
  await pgQuery(url, `CREATE TABLE "${schema}".src (resource_type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, version int NOT NULL DEFAULT 1, last_updated timestamptz NOT NULL DEFAULT now(), body jsonb NOT NULL, PRIMARY KEY (resource_type, id))`);
  await pgQuery(url, `INSERT INTO "${schema}".src (resource_type, id, body)
    SELECT 'Patient', 'p' || i, jsonb_build_object('resourceType', 'Patient', 'id', 'p' || i,
      'name', jsonb_build_array(jsonb_build_object('family', 'Family' || i, 'given', jsonb_build_array('Given' || i))),
      'birthDate', '1970-01-01', 'identifier', jsonb_build_array(jsonb_build_object('system', 'urn:mrn', 'value', 'MRN' || i)))
    FROM generate_series(1, ${PATIENTS}) i`);
  await pgQuery(url, `INSERT INTO "${schema}".src (resource_type, id, body)
    SELECT 'Observation', 'o' || i, jsonb_build_object('resourceType', 'Observation', 'id', 'o' || i, 'status', 'final',
      'code', jsonb_build_object('text', 'heart rate'), 'subject', jsonb_build_object('reference', 'Patient/p' || (i % ${PATIENTS} + 1)),
      'effectiveDateTime', '2020-02-03T04:05:06Z', 'valueQuantity', jsonb_build_object('value', i % 200, 'unit', '/min'))
    FROM generate_series(1, ${ROWS - PATIENTS}) i`);
  const source = `${url}?application_name=${app}&schema=${schema}&table=src`;
  const tmp = tempDir(t);
  const tmpdir = path.join(tmp, 'tmpdir');
  fs.mkdirSync(tmpdir);
  const dest = path.join(tmp, 'dest');
  const opDir = path.join(tmp, 'ops');
  const connections = async () => Number((await pgQuery<{ n: string }>(url, `SELECT count(*) n FROM pg_stat_activity WHERE application_name = $1`, [app]))[0]!.n);

  const run = spawnDeid(['fhir-store', source, dest, '--operation-dir', opDir], { TMPDIR: tmpdir });
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  // Observation sorts first: signalled a while after its unit started, the run is inside the table's largest type
  const started = await waitForRecord(path.join(opDir, `${id}.json`), (r) => r.stores?.default?.units?.Observation !== undefined, () => ended);
  t.ok(started, 'the main pass started');
  await sleep(3_000);
  t.notOk(ended, 'still running');
  t.ok(files(tmpdir).length > 0, 'with its patients spilled to $TMPDIR');
  t.ok((await connections()) > 0, 'it had connections open');
  const sent = Date.now();
  run.kill('SIGTERM');
  const first = await run.done;
  const took = Date.now() - sent;
  t.equal(first.code, 143, first.stderr);
  t.ok(took < 2_000, `exited ${took} ms after SIGTERM`);
  const rec = readRecord(opDir, id);
  t.equal(rec.status, 'cancelled');
  t.equal(rec.stores.default.units.Observation.done, false, 'stopped inside the Observation unit');
  t.same(files(tmpdir), [], 'nothing left in $TMPDIR');
  t.same(files(dest).filter((f) => !f.startsWith('.deid-parts/')), [], 'nothing but the kept unit parts in the destination');
  t.same(files(dest).filter((f) => /tmp/i.test(f)), [], 'no temporary file among them');
  let open = await connections();
  for (let i = 0; i < 20 && open > 0; i++) {
    await sleep(100);
    open = await connections();
  }
  t.equal(open, 0, 'no server connection outlives the process');

  const resumed = await runCli(['fhir-store', source, dest, '--operation-dir', opDir, '--resume', id, '-q'], { env: { TMPDIR: tmpdir } });
  t.equal(resumed.code, 0, resumed.stderr);
  const done = readRecord(opDir, id);
  t.equal(done.status, 'succeeded');
  t.same(done.counters, { success: ROWS, failure: 0, pending: 0 });

  const oneShot = path.join(tmp, 'one-shot');
  const single = await runCli(['fhir-store', source, oneShot, '--operation-dir', opDir, '-q'], { env: { TMPDIR: tmpdir } });
  t.equal(single.code, 0, single.stderr);
  const names = files(oneShot).filter((f) => f.endsWith('.ndjson'));
  t.same(names, ['Observation.ndjson', 'Patient.ndjson']);
  t.same(files(dest).filter((f) => f.endsWith('.ndjson')), names);
  for (const f of names) t.ok(fs.readFileSync(path.join(dest, f)).equals(fs.readFileSync(path.join(oneShot, f))), `${f}: resumed = one run, byte for byte`);
  t.same(files(tmpdir), [], 'nothing left in $TMPDIR after the runs');
});

t.test('a page query waiting on a lock does not hold a SIGTERM up: 143 within 2 s, and the resume completes', { timeout: 300_000 }, async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const schema = `deid_lock_${process.pid}_${Date.now().toString(36)}`;
  const app = `${schema}_app`;
  // enough rows that the main pass is still reading when the lock is taken (40,000 could be read in under 2 s)
  const rows = 200_000;
  t.teardown(() => pgQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  await pgQuery(url, `CREATE SCHEMA "${schema}"`);
  await pgQuery(url, `CREATE TABLE "${schema}".src (resource_type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, version int NOT NULL DEFAULT 1, last_updated timestamptz NOT NULL DEFAULT now(), body jsonb NOT NULL, PRIMARY KEY (resource_type, id))`);
  await pgQuery(url, `INSERT INTO "${schema}".src (resource_type, id, body)
    SELECT 'Observation', 'o' || i, jsonb_build_object('resourceType', 'Observation', 'id', 'o' || i, 'status', 'final',
      'code', jsonb_build_object('text', 'heart rate'), 'effectiveDateTime', '2020-02-03T04:05:06Z')
    FROM generate_series(1, ${rows}) i`);
  const source = `${url}?application_name=${app}&schema=${schema}&table=src`;
  const tmp = tempDir(t);
  const dest = path.join(tmp, 'dest');
  const opDir = path.join(tmp, 'ops');

  const run = spawnDeid(['fhir-store', source, dest, '--operation-dir', opDir]);
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  t.ok(await waitForRecord(path.join(opDir, `${id}.json`), (r) => r.stores?.default?.units?.Observation !== undefined, () => ended), 'the main pass started');
  // another session takes the table: the reader's next page waits for it
  const locker = new pg.Client({ connectionString: url });
  locker.on('error', () => undefined);
  await locker.connect();
  t.teardown(() => locker.end().catch(() => undefined));
  await locker.query('BEGIN');
  await locker.query(`LOCK TABLE "${schema}".src IN ACCESS EXCLUSIVE MODE`);
  let waiting = 0;
  for (let i = 0; i < 100 && waiting === 0 && !ended; i++) {
    await sleep(100);
    waiting = Number((await pgQuery<{ n: string }>(url, `SELECT count(*) n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [app]))[0]!.n);
  }
  t.equal(waiting, 1, 'the reader waits on the lock');
  const sent = Date.now();
  run.kill('SIGTERM');
  const first = await Promise.race([run.done, sleep(15_000).then(() => undefined)]);
  const took = Date.now() - sent;
  await locker.query('ROLLBACK');
  const result = first ?? (await run.done);
  t.equal(result.code, 143, result.stderr);
  t.ok(took < 2_000, `exited ${took} ms after SIGTERM`);
  t.equal(readRecord(opDir, id).status, 'cancelled');

  const resumed = await runCli(['fhir-store', source, dest, '--operation-dir', opDir, '--resume', id, '-q']);
  t.equal(resumed.code, 0, resumed.stderr);
  t.same(readRecord(opDir, id).counters, { success: rows, failure: 0, pending: 0 });
  t.equal(fs.readFileSync(path.join(dest, 'Observation.ndjson'), 'utf8').split('\n').filter(Boolean).length, rows);
});
