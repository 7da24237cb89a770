import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { openInputs } from '../../src/sources/open-inputs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const obsFile = path.join(samples, 'bulk-synthea-30-patients/Observation.ndjson');
const patientFile = path.join(samples, 'bulk-synthea-30-patients/Patient.ndjson');
const bundleFile = path.join(samples, 'synthea-transaction-bundles/Racheal_Kirlin_cde6eb49-a760-4f65-bdf7-007ba3b87076.json');

async function collect(src: AsyncIterable<unknown>): Promise<Item[]> {
  const out: Item[] = [];
  for await (const it of src) out.push(it as Item);
  return out;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-gzip-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

const obs = fs.readFileSync(obsFile);
const obsLines = obs.toString('utf8').split('\n').filter(Boolean);
const obsGz = gzipSync(obs);

t.test('.ndjson.gz and .json.gz read like their plain forms', async (t) => {
  const gz = path.join(dir, 'Observation.ndjson.gz');
  fs.writeFileSync(gz, obsGz);
  const plain = await collect(openInputs([obsFile]));
  const unzipped = await collect(openInputs([gz]));
  t.equal(unzipped.length, 4622);
  t.strictSame(
    unzipped.map((i) => [i.kind, i.loc.line, i.loc.offset]),
    plain.map((i) => [i.kind, i.loc.line, i.loc.offset]),
  );
  t.strictSame(unzipped.map((i) => (i as { value: unknown }).value), plain.map((i) => (i as { value: unknown }).value));

  const jgz = path.join(dir, 'bundle.json.gz');
  fs.writeFileSync(jgz, gzipSync(fs.readFileSync(bundleFile)));
  const b = await collect(openInputs([jgz]));
  const want = await collect(openInputs([bundleFile]));
  t.strictSame(b.map((i) => ({ ...i, loc: { ...i.loc, file: 'x' } })), want.map((i) => ({ ...i, loc: { ...i.loc, file: 'x' } })));
  t.equal(b.filter((i) => i.kind === 'ok').length, want.filter((i) => i.kind === 'ok').length);
});

t.test('a truncated gzip: GZIP_CORRUPT with the line reached, lines before it kept, the run goes on', async (t) => {
  const cut = path.join(dir, 'cut.ndjson.gz');
  fs.writeFileSync(cut, obsGz.subarray(0, Math.floor(obsGz.length / 2)));
  const items = await collect(openInputs([cut, patientFile]));
  const fromCut = items.filter((i) => i.loc.file === cut);
  const oks = fromCut.filter((i) => i.kind === 'ok');
  const fails = fromCut.filter((i) => i.kind === 'failed');
  t.equal(fails.length, 1);
  t.match(fails[0], { kind: 'failed', code: 'GZIP_CORRUPT', loc: { file: cut, line: oks.length + 1 } });
  t.equal(fromCut[fromCut.length - 1], fails[0], 'the failure comes after the lines read');
  t.ok(oks.length > 100 && oks.length < obsLines.length, `${oks.length} complete lines before the cut`);
  t.strictSame(oks.map((i) => (i as { value: unknown }).value), obsLines.slice(0, oks.length).map((l) => JSON.parse(l)));
  t.equal(items.filter((i) => i.loc.file === patientFile && i.kind === 'ok').length, 30, 'next file read in full');
});

t.test('corrupt gzip data and a .gz that is not gzip at all', async (t) => {
  const flipped = Buffer.from(obsGz);
  for (let i = 2000; i < 2100; i++) flipped[i] ^= 0x5a;
  const bad = path.join(dir, 'flipped.ndjson.gz');
  fs.writeFileSync(bad, flipped);
  const notGz = path.join(dir, 'plain.ndjson.gz');
  fs.writeFileSync(notGz, obs.subarray(0, 5000));
  const jsonCut = path.join(dir, 'cut.json.gz');
  const bundleGz = gzipSync(fs.readFileSync(bundleFile));
  fs.writeFileSync(jsonCut, bundleGz.subarray(0, bundleGz.length - 40));
  const items = await collect(openInputs([bad, notGz, jsonCut, patientFile]));
  const codes = (f: string) => items.filter((i) => i.loc.file === f && i.kind === 'failed').map((i) => (i as { code: string }).code);
  t.same(codes(bad), ['GZIP_CORRUPT']);
  t.same(codes(notGz), ['GZIP_CORRUPT']);
  t.same(codes(jsonCut), ['GZIP_CORRUPT']);
  const jsonItems = items.filter((i) => i.loc.file === jsonCut);
  t.equal(jsonItems[0].kind, 'start');
  t.equal(jsonItems[jsonItems.length - 1].kind, 'end', 'the Bundle opened is closed');
  t.match(jsonItems.find((i) => i.kind === 'failed'), { loc: { offset: Number } });
  t.equal(items.filter((i) => i.loc.file === patientFile).length, 30);
});

t.test('a bad gzip trailer: one GZIP_CORRUPT, the Bundle closed once, lines reconcile', async (t) => {
  const gz = Buffer.from(gzipSync(fs.readFileSync(bundleFile)));
  gz[gz.length - 6] ^= 0xff; // the CRC-32 in the trailer
  const f = path.join(dir, 'badcrc.json.gz');
  fs.writeFileSync(f, gz);
  const nd = Buffer.from(obsGz);
  nd[nd.length - 6] ^= 0xff;
  const g = path.join(dir, 'badcrc.ndjson.gz');
  fs.writeFileSync(g, nd);
  const items = await collect(openInputs([f, g]));
  const kinds = (file: string) => items.filter((i) => i.loc.file === file).map((i) => (i.kind === 'failed' ? i.code : i.kind));
  const k = kinds(f);
  t.equal(k.filter((x) => x === 'start').length, 1);
  t.equal(k.filter((x) => x === 'end').length, 1, 'one end');
  t.equal(k.filter((x) => x === 'GZIP_CORRUPT').length, 1);
  // decompressed data zlib had not handed over when it found the bad CRC is not read
  const fromG = items.filter((i) => i.loc.file === g);
  const oks = fromG.filter((i) => i.kind === 'ok').length;
  t.match(fromG[fromG.length - 1], { kind: 'failed', code: 'GZIP_CORRUPT', loc: { line: oks + 1 } }, 'the failure names the first line not read');
  t.equal(fromG.length, oks + 1);
});

t.test('data after the gzip member: every record comes out, then one GZIP_CORRUPT after the last line', async (t) => {
  const nd = path.join(dir, 'trailing.ndjson.gz');
  fs.writeFileSync(nd, Buffer.concat([obsGz, Buffer.from('not gzip\n')]));
  const bundle = fs.readFileSync(bundleFile);
  const js = path.join(dir, 'trailing.json.gz');
  fs.writeFileSync(js, Buffer.concat([gzipSync(bundle), Buffer.from('XX')]));
  const items = await collect(openInputs([nd, js, patientFile]));
  const fromNd = items.filter((i) => i.loc.file === nd);
  t.equal(fromNd.length, obsLines.length + 1);
  t.strictSame(fromNd.slice(0, -1).map((i) => (i as { value: unknown }).value), obsLines.map((l) => JSON.parse(l)), 'every record, as read from the plain file');
  t.match(fromNd[fromNd.length - 1], { kind: 'failed', code: 'GZIP_CORRUPT', loc: { file: nd, line: obsLines.length + 1 } });
  const fromJs = items.filter((i) => i.loc.file === js);
  const want = await collect(openInputs([bundleFile]));
  t.equal(fromJs.filter((i) => i.kind === 'ok').length, want.filter((i) => i.kind === 'ok').length, 'every Bundle entry');
  t.same(fromJs.filter((i) => i.kind === 'failed').map((i) => (i as { code: string }).code), ['GZIP_CORRUPT']);
  t.equal(items.filter((i) => i.loc.file === patientFile && i.kind === 'ok').length, 30, 'next file read in full');
});

t.test('concatenated gzip members are one input, read in full', async (t) => {
  const f = path.join(dir, 'members.ndjson.gz');
  const patients = fs.readFileSync(patientFile);
  fs.writeFileSync(f, Buffer.concat([gzipSync(patients), obsGz, gzipSync(patients)]));
  const items = await collect(openInputs([f]));
  const plain = await collect(openInputs([patientFile, obsFile, patientFile]));
  t.equal(items.length, 30 + obsLines.length + 30);
  t.ok(items.every((i) => i.kind === 'ok'));
  t.strictSame(items.map((i) => (i as { value: unknown }).value), plain.map((i) => (i as { value: unknown }).value));
  t.strictSame(items.map((i) => i.loc.line), items.map((_, k) => k + 1), 'lines numbered across members');
});
