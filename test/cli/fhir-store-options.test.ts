import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { startFhirServer } from '../helpers/fhir-server.js';
import { requirePostgres, uniqueTable } from '../helpers/services.js';
import { checksumTree, collect, oks, withoutServerMeta } from '../helpers/store-items.js';
import { KEY_B, repoRoot, runCli } from '../helpers/run-cli.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { BULK, folderResources, pgQuery, readRecord, tempDir } from './fhir-store-helpers.js';

type Json = Record<string, unknown>;
const SAMPLE = path.join(repoRoot, 'data/samples/fhir');
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

t.test('folder → FHIR server → postgres → folder: same resources as folder → folder; sources unchanged', async (t) => {
  const server = await startFhirServer();
  t.teardown(() => server.close());
  const url = await requirePostgres(t);
  if (!url) return;
  const tmp = tempDir(t);
  const ops = path.join(tmp, 'ops');
  const before = checksumTree(SAMPLE);
  const r1 = await runCli(['fhir-store', SAMPLE, server.base, '--operation-dir', ops]);
  t.equal(r1.code, 0, r1.stderr);
  t.match(r1.stderr, /succeeded: 687 stored, 0 failed/);
  t.equal(r1.stdout.length, 0, 'nothing on stdout');
  t.notMatch(r1.stderr, /\u001b\[|█|░/, 'no progress bar when stderr is not a terminal');
  // the FHIR server now holds de-identified data; de-identify it again into postgres, then into a folder
  const table = uniqueTable(t, url, 'op_chain');
  const types = Object.keys(readRecord(ops, idOf(r1.stderr)).stores.default.byType as Json);
  const onServer = oks(await collect((await openFhirStore(server.base)).reader({ types })));
  t.equal(onServer.length, 687);
  const srvBefore = JSON.stringify(onServer.map(withoutServerMeta));
  // named resources of several types, interleaved: each type is still one unit
  const pick = (type: string, i: number) => `${type}/${String(onServer.filter((r) => r.resourceType === type)[i]!.id)}`;
  const named = [pick('Patient', 0), pick('Organization', 0), pick('Patient', 1), pick('Observation', 3)];
  const sel = path.join(tmp, 'selected');
  const rs = await runCli(['fhir-store', server.base, sel, '--resources', named.join(',')]);
  t.equal(rs.code, 0, rs.stderr);
  const selRec = readRecord(path.join(sel, '.deid-operations'), idOf(rs.stderr));
  t.same(Object.keys(selRec.stores.default.units), ['Observation', 'Organization', 'Patient']);
  t.same(selRec.counters, { success: 4, failure: 0, pending: 0 });
  const r2 = await runCli(['fhir-store', server.base, `${url}?table=${table}`, '--operation-dir', ops, '-c', path.join(repoRoot, 'data/configs/keep-all.json')]);
  t.equal(r2.code, 0, r2.stderr);
  const [{ n }] = await pgQuery<{ n: string }>(url, `SELECT count(*) n FROM "${table}"`);
  t.equal(Number(n), 687);
  const after = oks(await collect((await openFhirStore(server.base)).reader({ types })));
  t.equal(JSON.stringify(after.map(withoutServerMeta)), srvBefore, 'the FHIR server source is unchanged');
  const out = path.join(tmp, 'out');
  const r3 = await runCli(['fhir-store', `${url}?table=${table}`, out]);
  t.equal(r3.code, 0, r3.stderr);
  t.equal(folderResources(out).size, 687);
  t.same(checksumTree(SAMPLE), before, 'the folder source is unchanged');
});

t.test('--resources, --resources-file and --skip-modified-after select records; absent ones fail as not found', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  const patients = fs.readFileSync(path.join(BULK, 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  // dated copies: half modified in 2020, half in 2030
  fs.writeFileSync(path.join(src, 'Patient.ndjson'), patients.map((p, i) => JSON.stringify({ ...p, meta: { lastUpdated: i % 2 ? '2030-01-01T00:00:00Z' : '2020-01-01T00:00:00Z' } })).join('\n') + '\n');
  fs.copyFileSync(path.join(BULK, 'Organization.ndjson'), path.join(src, 'Organization.ndjson'));
  const wanted = [`Patient/${String(patients[0]!.id)}`, `Patient/${String(patients[1]!.id)}`, 'Patient/does-not-exist'];
  const list = path.join(tmp, 'list.txt');
  fs.writeFileSync(list, `# wanted\n${wanted[1]}\n\nOrganization/nope\n`);
  const out = path.join(tmp, 'out');
  const r = await runCli(['fhir-store', src, out, '--resources', `${wanted[0]},${wanted[2]}`, '--resources-file', list]);
  t.equal(r.code, 3, 'missing resources make it complete with failures');
  const rec = readRecord(path.join(out, '.deid-operations'), idOf(r.stderr));
  t.same(rec.counters, { success: 2, failure: 2, pending: 0 });
  t.same(rec.errors, { STORE_RESOURCE_NOT_FOUND: 2 });
  t.same(rec.options.resources.sort(), [...wanted, 'Organization/nope'].sort());
  t.equal(folderResources(out).size, 2);

  const out2 = path.join(tmp, 'out2');
  const r2 = await runCli(['fhir-store', src, out2, '--skip-modified-after', '2025-01-01T00:00:00Z']);
  t.equal(r2.code, 0, r2.stderr);
  const kept = [...folderResources(out2).keys()].filter((k) => k.startsWith('Patient/'));
  t.equal(kept.length, Math.ceil(patients.length / 2), 'only the resources modified before the instant');

  for (const bad of ['yesterday', '2024-13-45', '']) {
    const b = await runCli(['fhir-store', src, path.join(tmp, 'bad'), '--skip-modified-after', bad]);
    t.equal(b.code, 64, `--skip-modified-after ${JSON.stringify(bad)} is a usage error`);
  }
  t.notOk(fs.existsSync(path.join(tmp, 'bad')), 'nothing written on a usage error');
});

t.test('refusals: same store, missing source, bad or foreign operation ids, another key or config on resume', async (t) => {
  const tmp = tempDir(t);
  const same = await runCli(['fhir-store', SAMPLE, SAMPLE]);
  t.equal(same.code, 64, 'source = destination is refused');
  const missing = await runCli(['fhir-store', path.join(tmp, 'nope'), path.join(tmp, 'o')]);
  t.equal(missing.code, 66);
  t.notOk(fs.existsSync(path.join(tmp, 'o')));
  const out = path.join(tmp, 'out');
  const ok = await runCli(['fhir-store', SAMPLE, out, '-q']);
  t.equal(ok.code, 0);
  const id = fs.readdirSync(path.join(out, '.deid-operations')).find((f) => f.endsWith('.json'))!.slice(0, -5);
  for (const bad of ['../../etc/passwd', 'x', `${id}/../x`]) {
    const r = await runCli(['fhir-store', SAMPLE, out, '--resume', bad]);
    t.equal(r.code, 64, `--resume ${bad} is refused`);
  }
  const unknown = await runCli(['fhir-store', SAMPLE, out, '--resume', '20200101T000000Z-00000000']);
  t.equal(unknown.code, 66, 'an unknown operation id');
  // an unfinished operation, made so by editing its record: resumable only with the same key and config
  const file = path.join(out, '.deid-operations', `${id}.json`);
  const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  fs.writeFileSync(file, JSON.stringify({ ...rec, status: 'cancelled' }));
  const otherKey = await runCli(['fhir-store', SAMPLE, out, '--resume', id], { key: KEY_B });
  t.equal(otherKey.code, 78, 'another key is refused');
  t.match(otherKey.stderr, /KEY_INVALID/);
  const sameAgain = await runCli(['fhir-store', SAMPLE, out, '--resume', id]);
  t.equal(sameAgain.code, 0, 'same key and config: resumes (nothing left to do)');
  t.same(folderResources(out).size, 687, 'the destination is whole');
  fs.writeFileSync(path.join(tmp, 'c.json'), '{"fhir":{"defaultKeepExtensions":true}}');
  fs.writeFileSync(file, JSON.stringify({ ...rec, status: 'cancelled' }));
  const cfg = await runCli(['fhir-store', SAMPLE, out, '--resume', id, '-c', path.join(tmp, 'c.json')]);
  t.equal(cfg.code, 64, 'another config is refused');
  t.match(cfg.stderr, /config differs/);
  // the error log of an operation is the one it started with
  fs.writeFileSync(file, JSON.stringify({ ...rec, status: 'cancelled' }));
  const elsewhere = path.join(tmp, 'other-errors.ndjson');
  const errs = await runCli(['fhir-store', SAMPLE, out, '--resume', id, '--errors', elsewhere]);
  t.equal(errs.code, 64, 'another --errors on resume is a usage error');
  t.match(errs.stderr, /keeps the operation's error log/);
  t.notOk(fs.existsSync(elsewhere), 'and the other file is not created');
  t.equal((JSON.parse(fs.readFileSync(file, 'utf8')) as Json).status, 'cancelled', 'nor is the operation touched');
  const sameLog = await runCli(['fhir-store', SAMPLE, out, '--resume', id, '--errors', String(rec.errorLog)]);
  t.equal(sameLog.code, 0, 'naming the operation\'s own log is accepted');
  const finished = await runCli(['fhir-store', SAMPLE, out, '--resume', id, '--errors', elsewhere]);
  t.equal(finished.code, 64, 'refused on a finished operation too');
});

t.test('deid operation show prints the record; unknown ids fail cleanly', async (t) => {
  const tmp = tempDir(t);
  const out = path.join(tmp, 'out');
  const r = await runCli(['fhir-store', SAMPLE, out]);
  const id = idOf(r.stderr);
  const show = await runCli(['operation', 'show', id, '--operation-dir', path.join(out, '.deid-operations')]);
  t.equal(show.code, 0);
  const rec = JSON.parse(show.stdout.toString()) as Json;
  t.equal(rec.id, id);
  t.equal(rec.status, 'succeeded');
  t.match(rec, { counters: { success: 687, failure: 0, pending: 0 }, configDigest: /^[0-9a-f]{64}$/, startTime: String, endTime: String, errorLog: String });
  const byType = (rec.stores as Record<string, { byType: Record<string, { success: number }> }>).default!.byType;
  t.equal(byType.Patient!.success, 3);
  t.equal(Object.values(byType).reduce((a, c) => a + c.success, 0), 687);
  const none = await runCli(['operation', 'show', '20200101T000000Z-00000000', '--operation-dir', path.join(out, '.deid-operations')]);
  t.equal(none.code, 66);
  const bad = await runCli(['operation', 'show', '../x']);
  t.equal(bad.code, 64);
  // no PHI in the record: no patient name of the source appears in it
  const names = fs.readFileSync(path.join(SAMPLE, 'Patient.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => ((JSON.parse(l) as Json).name as Json[])[0]!.family as string);
  for (const n of names) t.notOk(show.stdout.toString().includes(n), 'no source name in the record');
});
