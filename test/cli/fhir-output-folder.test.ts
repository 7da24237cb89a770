import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, parseNdjson, repoRoot } from '../helpers/run-cli.js';

const sample = path.join(repoRoot, 'data/samples/fhir');

t.test('a folder output has the bulk layout and a manifest with counts', async (t) => {
  const out = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-out-'));
  const dest = path.join(out, 'result');
  const r = await runCli(['fhir', sample, '-o', dest]);
  t.equal(r.code, 0);
  const manifest = JSON.parse(fs.readFileSync(path.join(dest, 'manifest.json'), 'utf8'));
  const inputs = fs.readdirSync(sample).filter((f) => f.endsWith('.ndjson'));
  t.equal(manifest.output.length, inputs.length);
  for (const o of manifest.output) {
    const lines = parseNdjson(fs.readFileSync(path.join(dest, o.url)));
    t.equal(lines.length, o.count, `${o.type} count`);
    t.ok(lines.every((l) => l.resourceType === o.type), `${o.type} file holds only ${o.type}`);
    const src = fs.readFileSync(path.join(sample, `${o.type}.ndjson`), 'utf8').trim().split('\n').length;
    t.equal(o.count, src, `${o.type}: as many out as in`);
  }
  t.same(fs.readdirSync(dest).filter((f) => !f.endsWith('.ndjson') && f !== 'manifest.json'), [], 'no temp files left');
});

t.test('an output folder that holds an input is refused before anything is written: the source is never modified', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-inplace-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(sample, 'Patient.ndjson'), path.join(dir, 'Patient.ndjson'));
  const before = fs.readFileSync(path.join(dir, 'Patient.ndjson'));
  for (const args of [[dir, '-o', dir], [path.join(dir, 'Patient.ndjson'), '-o', path.join(dir, '.')], [dir, '-o', path.join(dir, '..', path.basename(dir))]]) {
    const r = await runCli(['fhir', ...args]);
    t.equal(r.code, 64, args.join(' '));
    t.match(r.stderr, /USAGE/);
    t.ok(fs.readFileSync(path.join(dir, 'Patient.ndjson')).equals(before), 'the input is untouched');
    t.same(fs.readdirSync(dir), ['Patient.ndjson'], 'nothing written beside it');
  }
});

t.test('a re-run into the same folder leaves no file of the previous run that its manifest does not list', async (t) => {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-rerun-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'out');
  t.equal((await runCli(['fhir', sample, '-o', out])).code, 0);
  t.ok(fs.existsSync(path.join(out, 'Observation.ndjson')));
  fs.writeFileSync(path.join(out, 'NOTES.txt'), 'mine');
  fs.writeFileSync(path.join(out, 'Other.ndjson'), '');
  t.equal((await runCli(['fhir', path.join(sample, 'Patient.ndjson'), '-o', out])).code, 0);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  t.same(manifest.output.map((o: { url: string }) => o.url), ['Patient.ndjson']);
  t.same(fs.readdirSync(out).sort(), ['NOTES.txt', 'Other.ndjson', 'Patient.ndjson', 'manifest.json'], 'files the previous manifest listed are gone; others stay');
});
