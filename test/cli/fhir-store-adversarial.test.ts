import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { checksumTree } from '../helpers/store-items.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { folderResources, pgQuery, readRecord, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const SAMPLE = path.join(repoRoot, 'data/samples/fhir');
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

/** 3 good patients, then garbage of every kind; a truncated gzip file; a huge line. */
function hostileSource(dir: string): { good: number; bad: number } {
  fs.mkdirSync(dir, { recursive: true });
  const patients = fs.readFileSync(path.join(SAMPLE, 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean);
  const lines = [
    ...patients,
    '{"resourceType":"Patient","id":"p-trunc","name":[{"family":"Sm',
    '[1,2,3]',
    '{"id":"no-type"}',
    '{"resourceType":"NotAType","id":"x"}',
    '\u0000\u0001binary',
    '{"resourceType":"Patient","id":"deep","extension":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
  ];
  fs.writeFileSync(path.join(dir, 'Patient.ndjson'), lines.join('\n') + '\n');
  const obs = fs.readFileSync(path.join(SAMPLE, 'Observation.ndjson'));
  const gz = gzipSync(obs);
  fs.writeFileSync(path.join(dir, 'Observation.ndjson.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
  return { good: patients.length, bad: 6 };
}

t.test('hostile source → folder: bad records and a cut gzip are counted failures with codes, never contents', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  const { good, bad } = hostileSource(src);
  const before = checksumTree(src);
  const out = path.join(tmp, 'out');
  const r = await runCli(['fhir-store', src, out]);
  t.equal(r.code, 3, 'completed with failures');
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.equal(rec.status, 'completed-with-failures');
  const stored = folderResources(out);
  t.equal(rec.counters.success, stored.size, 'stored = lines in the destination');
  t.ok(rec.counters.success >= good, 'the good patients and the readable part of the gzip are stored');
  t.ok(rec.counters.failure >= bad + 1, `${rec.counters.failure} failures: the ${bad} bad lines and the cut gzip`);
  t.equal(rec.counters.pending, 0);
  t.ok(rec.errors.INVALID_JSON >= 1 && rec.errors.GZIP_CORRUPT === 1, JSON.stringify(rec.errors));
  const log = fs.readFileSync(rec.errorLog, 'utf8');
  const lines = log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  t.equal(lines.length, rec.counters.failure, 'one log line per failure');
  t.ok(lines.every((l) => typeof l.code === 'string' && typeof l.file === 'string' && l.store === 'default'));
  t.notMatch(log, /Sm|p-trunc|binary|no-type/, 'no record content in the log');
  t.same(checksumTree(src), before, 'the source is unchanged');
});

t.test('hostile source → postgres: resources without a storable id fail as STORE_INVALID_RESOURCE', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  const orgs = fs.readFileSync(path.join(SAMPLE, 'Organization.ndjson'), 'utf8').split('\n').filter(Boolean);
  const noId = { resourceType: 'Organization', name: 'No Id Clinic' };
  fs.writeFileSync(path.join(src, 'Organization.ndjson'), [...orgs, JSON.stringify(noId)].join('\n') + '\n');
  const table = uniqueTable(t, url, 'op_hostile');
  const r = await runCli(['fhir-store', src, `${url}?table=${table}`, '--operation-dir', path.join(tmp, 'ops')]);
  t.equal(r.code, 3);
  const rec = readRecord(path.join(tmp, 'ops'), idOf(r.stderr));
  t.same(rec.counters, { success: orgs.length, failure: 1, pending: 0 });
  t.same(rec.errors, { STORE_INVALID_RESOURCE: 1 });
  const [{ n }] = await pgQuery<{ n: string }>(url, `SELECT count(*) n FROM "${table}"`);
  t.equal(Number(n), orgs.length);
});

t.test('an unusable destination or operation folder fails the run cleanly', async (t) => {
  const tmp = tempDir(t);
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');
  const r = await runCli(['fhir-store', SAMPLE, path.join(tmp, 'out'), '--operation-dir', path.join(file, 'ops')]);
  t.equal(r.code, 73, 'operation folder under a file');
  t.match(r.stderr, /WRITE_FAILED/);
  const bad = await runCli(['fhir-store', SAMPLE, 'ftp://example.org/x']);
  t.equal(bad.code, 78, 'unknown store scheme');
  t.match(bad.stderr, /STORE_URI_INVALID/);
  const down = await runCli(['fhir-store', SAMPLE, 'postgres://nobody@127.0.0.1:1/none', '--operation-dir', path.join(tmp, 'ops')]);
  t.equal(down.code, 73, 'a destination that cannot be reached at all');
  t.match(down.stderr, /STORE_UNAVAILABLE/);
  const id = /operation (\S+)/.exec(down.stderr)?.[1];
  if (id) t.equal(readRecord(path.join(tmp, 'ops'), id).status, 'failed', 'the record says failed');
});

t.test('postgres source whose body names another key than its row: a counted failure, never a lost or misplaced record', async (t) => {
  const url = await requirePostgres(t);
  if (!url) return;
  const tmp = tempDir(t);
  const table = uniqueTable(t, url, 'op_rowkey');
  const patient = (id: string) => JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'ZZLEAKZZ' }] });
  // rows in key order: Patient/a, Patient/b (an Observation body), Patient/c (id zzz in its body), Patient/d
  await pgQuery(url, `CREATE TABLE "${table}" (resource_type text COLLATE "C" NOT NULL, id text COLLATE "C" NOT NULL, version int NOT NULL DEFAULT 1, last_updated timestamptz NOT NULL DEFAULT now(), body jsonb NOT NULL, PRIMARY KEY (resource_type, id))`);
  await pgQuery(url, `INSERT INTO "${table}" (resource_type, id, body) VALUES ('Patient', 'a', $1), ('Patient', 'b', $2), ('Patient', 'c', $3), ('Patient', 'd', $4)`, [
    patient('a'),
    JSON.stringify({ resourceType: 'Observation', id: 'b', status: 'final', code: { text: 'ZZLEAKZZ' } }),
    patient('zzz'),
    patient('d'),
  ]);
  const out = path.join(tmp, 'out');
  const r = await runCli(['fhir-store', `${url}?table=${table}`, out]);
  t.equal(r.code, 3, r.stderr);
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.same(rec.counters, { success: 2, failure: 2, pending: 0 }, 'in = out + failed');
  t.equal(folderResources(out).size, 2, 'Patient/a and Patient/d are stored');
  t.same(rec.errors, { STORE_BAD_RESPONSE: 2 });
  const log = fs.readFileSync(rec.errorLog, 'utf8');
  t.same(log.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Json).file).map((f) => String(f).split('#')[1]), ['Patient/b', 'Patient/c']);
  t.notMatch(log + r.stderr, /ZZLEAKZZ|zzz/, 'no record content in the log or on stderr');
});
