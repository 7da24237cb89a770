import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { checksumTree } from '../helpers/store-items.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { BULK, doneUnits, folderResources, readRecord, replicateBulk, spawnDeid, tempDir, waitForRecord } from './fhir-store-helpers.js';

const SAMPLE = path.join(repoRoot, 'data/samples/fhir');
const idOf = (stderr: string): string => /operation (\d{8}T\d{6}Z-[0-9a-f]{8})/.exec(stderr)![1]!;

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from).filter((n) => n.endsWith('.ndjson'))) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

t.test('every FHIR store of a dataset into a new dataset, with one operation record', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  copyDir(BULK, path.join(src, 'fhir', 'synthea'));
  copyDir(SAMPLE, path.join(src, 'fhir', 'sample'));
  const before = checksumTree(src);
  const dest = path.join(tmp, 'dest');
  const r = await runCli(['dataset', src, dest]);
  t.equal(r.code, 0, r.stderr);
  t.same(fs.readdirSync(path.join(dest, 'fhir')).sort(), ['sample', 'synthea']);
  t.equal(folderResources(path.join(dest, 'fhir', 'synthea')).size, 10994);
  t.equal(folderResources(path.join(dest, 'fhir', 'sample')).size, 687);
  const rec = readRecord(path.join(dest, '.deid-operations'), idOf(r.stderr));
  t.equal(rec.command, 'dataset');
  t.same(Object.keys(rec.stores).sort(), ['fhir/sample', 'fhir/synthea']);
  t.same(rec.stores['fhir/synthea'].counters, { success: 10994, failure: 0, pending: 0 });
  t.same(rec.counters, { success: 10994 + 687, failure: 0, pending: 0 });
  // the same key gives the same pseudonyms as deid fhir (free text may differ: the patients of every
  // store of the dataset are scrubbed from every store's text)
  const single = path.join(tmp, 'single');
  const f = await runCli(['fhir', path.join(src, 'fhir', 'sample'), '-o', single, '-q']);
  t.equal(f.code, 0);
  t.same([...folderResources(path.join(dest, 'fhir', 'sample')).keys()].sort(), [...folderResources(single).keys()].sort(), 'same pseudonymous (type, id)');
  t.same(checksumTree(src), before, 'the source dataset is unchanged');
});

t.test('a destination that exists is refused with OUTPUT_EXISTS (73) and left untouched', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  copyDir(SAMPLE, path.join(src, 'fhir'));
  const dest = path.join(tmp, 'dest');
  fs.mkdirSync(dest);
  fs.writeFileSync(path.join(dest, 'keep.txt'), 'mine');
  const r = await runCli(['dataset', src, dest]);
  t.equal(r.code, 73);
  t.match(r.stderr, /OUTPUT_EXISTS/);
  t.same(fs.readdirSync(dest), ['keep.txt'], 'nothing written');
  const inside = await runCli(['dataset', src, path.join(src, 'out')]);
  t.equal(inside.code, 64, 'a destination inside the source is refused');
  t.notOk(fs.existsSync(path.join(src, 'out')));
  const none = await runCli(['dataset', path.join(tmp, 'missing'), path.join(tmp, 'd2')]);
  t.equal(none.code, 66);
  t.notOk(fs.existsSync(path.join(tmp, 'd2')));
});

t.test('a bare fhir/ folder is the store `default`; a config without a fhir part leaves FHIR out', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  copyDir(SAMPLE, path.join(src, 'fhir'));
  const d1 = path.join(tmp, 'd1');
  const r = await runCli(['dataset', src, d1]);
  t.equal(r.code, 0, r.stderr);
  t.equal(folderResources(path.join(d1, 'fhir')).size, 687);
  const single = path.join(tmp, 'single');
  t.equal((await runCli(['fhir', path.join(src, 'fhir'), '-o', single, '-q'])).code, 0);
  for (const name of fs.readdirSync(single).filter((n) => n.endsWith('.ndjson'))) {
    t.ok(fs.readFileSync(path.join(single, name)).equals(fs.readFileSync(path.join(d1, 'fhir', name))), `${name} as deid fhir writes it`);
  }
  t.same(Object.keys(readRecord(path.join(d1, '.deid-operations'), idOf(r.stderr)).stores), ['fhir/default']);

  const d2 = path.join(tmp, 'd2');
  const dicomOnly = path.join(repoRoot, 'data/configs/v1-dicom.json');
  const r2 = await runCli(['dataset', src, d2, '-c', dicomOnly]);
  t.equal(r2.code, 0, r2.stderr);
  t.notOk(fs.existsSync(path.join(d2, 'fhir')), 'no FHIR store written');
  t.same(readRecord(path.join(d2, '.deid-operations'), idOf(r2.stderr)).stores, {});

  const d3 = path.join(tmp, 'd3');
  const r3 = await runCli(['dataset', src, d3, '-c', path.join(repoRoot, 'data/configs/request-body.json')]);
  t.equal(r3.code, 0, 'a request body wrapping a fhir config processes FHIR');
  t.equal(folderResources(path.join(d3, 'fhir')).size, 687);
});

t.test('a dataset run interrupted with SIGTERM resumes into the same dataset a one-shot run makes', async (t) => {
  const tmp = tempDir(t);
  const src = path.join(tmp, 'src');
  replicateBulk(path.join(src, 'fhir', 'big'), 3);
  copyDir(SAMPLE, path.join(src, 'fhir', 'small'));
  const dest = path.join(tmp, 'dest');
  const run = spawnDeid(['dataset', src, dest]);
  const id = await run.id;
  let ended = false;
  void run.done.then(() => (ended = true));
  t.ok(await waitForRecord(path.join(dest, '.deid-operations', `${id}.json`), (r) => doneUnits(r) >= 2, () => ended), 'interrupted after two units');
  run.kill('SIGTERM');
  t.equal((await run.done).code, 143);
  t.equal(readRecord(path.join(dest, '.deid-operations'), id).status, 'cancelled');
  const again = await runCli(['dataset', src, dest]);
  t.equal(again.code, 73, 'without --resume the existing destination is refused');
  const resumed = await runCli(['dataset', src, dest, '--resume', id]);
  t.equal(resumed.code, 0, resumed.stderr);
  const one = path.join(tmp, 'one');
  t.equal((await runCli(['dataset', src, one, '-q'])).code, 0);
  for (const store of ['big', 'small']) {
    const a = folderResources(path.join(dest, 'fhir', store));
    const b = folderResources(path.join(one, 'fhir', store));
    t.equal(a.size, b.size, `${store}: same number of resources`);
    t.ok([...a].every(([k, v]) => b.get(k) === v), `${store}: same resources and bodies`);
  }
  t.same(readRecord(path.join(dest, '.deid-operations'), id).counters, { success: 10994 * 3 + 687, failure: 0, pending: 0 });
});
