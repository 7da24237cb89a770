import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { startMisbehavingFhir, type Misbehaviour, type Request } from '../helpers/misbehaving-fhir.js';
import { runCli } from '../helpers/run-cli.js';
import { folderResources, readRecord, sleep, spawnDeid, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;
const oid = (i: number): string => `o${String(i).padStart(3, '0')}`;

/** 30 Patients and 250 Observations: Observations come in pages of 100. */
function resources(): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < 30; i++) out.push({ resourceType: 'Patient', id: `p${i}`, name: [{ family: `Fam${i}` }], birthDate: '1970-01-02' });
  for (let i = 0; i < 250; i++) out.push({ resourceType: 'Observation', id: oid(i), status: 'final', code: { text: 'visit' }, subject: { reference: `Patient/p${i % 30}` } });
  return out;
}

/**
 * Page 1 of the Observations repeats the last five of page 0, changed
 * meanwhile (status amended), as a server paging over data that changes
 * does; it also holds the hundred that belong on it.
 */
function repeatingPage(r: Request): Misbehaviour {
  if (r.type !== 'Observation' || r.page !== 1) return undefined;
  const entries: Json[] = [];
  for (let i = 95; i < 100; i++) entries.push({ resourceType: 'Observation', id: oid(i), status: 'amended', code: { text: 'visit' }, subject: { reference: `Patient/p${i % 30}` } });
  for (let i = 100; i < 200; i++) entries.push({ resourceType: 'Observation', id: oid(i), status: 'final', code: { text: 'visit' }, subject: { reference: `Patient/p${i % 30}` } });
  return { entries };
}

const ndjsonOf = (dir: string): Record<string, string> =>
  Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

t.test('a resource repeated across search pages is written once into a folder, its last version; the record counts it', async (t) => {
  const s = await startMisbehavingFhir(resources(), repeatingPage);
  t.teardown(() => s.close());
  const out = path.join(tempDir(t), 'out');
  const r = await runCli(['fhir-store', s.base, out]);
  t.equal(r.code, 0, r.stderr);
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.equal(rec.status, 'succeeded');
  // in = out + failed: 285 read, all stored; 5 of them superseded by a later read of the same id
  t.same(rec.counters, { success: 285, failure: 0, pending: 0 });
  t.same(rec.stores.default.duplicates, { Observation: 5 });
  t.match(r.stderr, /285 stored \(5 of them read again under the same id, kept once\), 0 failed/);
  const stored = folderResources(out); // throws on a duplicate
  t.equal(stored.size, 280);
  const obs = fs.readFileSync(path.join(out, 'Observation.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  t.equal(obs.length, 250);
  t.equal(obs.filter((o) => o.status === 'amended').length, 5, 'the last version read is the one kept');
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { output: Array<{ type: string; count: number }> };
  t.same(manifest.output.map((o) => [o.type, o.count]), [['Observation', 250], ['Patient', 30]], 'the manifest counts the lines written');

  // a second operation into the same folder: still once each, the duplicates counted again for this operation
  const again = await runCli(['fhir-store', s.base, out]);
  t.equal(again.code, 0, again.stderr);
  t.equal(folderResources(out).size, 280);
  t.same(readRecord(path.join(out, '.deid-operations'), idOf(again.stderr)).stores.default.duplicates, { Observation: 5 });

  // the same source into another server: one resource per id there too (upsert), the same counters
  const dst = await startMisbehavingFhir([]);
  t.teardown(() => dst.close());
  const toRest = await runCli(['fhir-store', s.base, dst.base, '--operation-dir', path.join(tempDir(t), 'ops')]);
  t.equal(toRest.code, 0, toRest.stderr);
  t.equal(dst.stored.size, 280);
  t.equal(dst.puts, 285);
});

t.test('killed (SIGKILL) while the repeating type is read, then resumed: the same files as a run that was not stopped', async (t) => {
  const tmp = tempDir(t);
  const whole = path.join(tmp, 'whole');
  const s = await startMisbehavingFhir(resources(), repeatingPage);
  t.teardown(() => s.close());
  const r = await runCli(['fhir-store', s.base, whole]);
  t.equal(r.code, 0, r.stderr);
  const wholeRec = readRecord(path.join(whole, '.deid-operations'), idOf(r.stderr));

  const state = { slow: true, sawPage2: false };
  const k = await startMisbehavingFhir(resources(), (req) => {
    if (req.type === 'Observation' && req.page === 2 && state.slow) {
      state.sawPage2 = true;
      return 'hang';
    }
    return repeatingPage(req);
  });
  t.teardown(() => k.close());
  const out = path.join(tmp, 'out');
  const run = spawnDeid(['fhir-store', k.base, out]);
  const id = await run.id;
  while (!state.sawPage2) await sleep(10);
  run.kill('SIGKILL');
  const killed = await run.done;
  t.equal(killed.signal, 'SIGKILL');
  t.notOk(fs.existsSync(path.join(out, 'Observation.ndjson')), 'nothing joined yet');
  state.slow = false;
  const resumed = await runCli(['fhir-store', k.base, out, '--resume', id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const rec = readRecord(path.join(out, '.deid-operations'), id);
  t.equal(rec.status, 'succeeded');
  t.same(rec.counters, wholeRec.counters);
  t.same(rec.stores.default.duplicates, { Observation: 5 });
  t.same(ndjsonOf(out), ndjsonOf(whole), 'byte for byte the files of the run that was not stopped');
});

t.test('a folder source whose files hold the same resource: once in the destination, the version of the later file', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  const obs = (i: number, status: string): string => JSON.stringify({ resourceType: 'Observation', id: oid(i), status, code: { text: 'visit' } });
  fs.writeFileSync(path.join(src, 'a.ndjson'), [0, 1, 2, 1].map((i) => obs(i, 'final')).join('\n') + '\n');
  fs.writeFileSync(path.join(src, 'b.ndjson'), [2, 3].map((i) => obs(i, 'amended')).join('\n') + '\n');
  const out = path.join(tmp, 'out');
  const r = await runCli(['fhir-store', src, out]);
  t.equal(r.code, 0, r.stderr);
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.same(rec.counters, { success: 6, failure: 0, pending: 0 });
  t.same(rec.stores.default.duplicates, { Observation: 2 });
  const lines = fs.readFileSync(path.join(out, 'Observation.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  t.same(lines.map((l) => l.status), ['final', 'final', 'amended', 'amended'], 'o000, o001 (its second line), then o002 and o003 of the later file');
  t.equal(new Set(lines.map((l) => l.id)).size, 4);
});
