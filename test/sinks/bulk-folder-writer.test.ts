import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Failed, Item } from '../../src/core/record.js';
import { BulkFolderWriter, type BulkFolderWriterOptions } from '../../src/sinks/bulk-folder-writer.js';
import { openInputs } from '../../src/sources/open-inputs.js';
import { seededRandom } from '../helpers/rechunk-bytes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const synthea30 = path.join(samples, 'bulk-synthea-30-patients');
const bundlesDir = path.join(samples, 'synthea-transaction-bundles');
const TIME = '2026-01-01T00:00:00Z';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-bulk-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

async function run(src: Readable, opts: BulkFolderWriterOptions): Promise<{ writer: BulkFolderWriter; failed: Failed[]; maxOpen: number }> {
  const failed: Failed[] = [];
  const writer = new BulkFolderWriter({ transactionTime: TIME, ...opts, onFailed: (f) => failed.push(f) });
  let maxOpen = 0;
  const probe = setInterval(() => (maxOpen = Math.max(maxOpen, writer.openFileCount)), 1);
  try {
    await pipeline(src, writer);
  } finally {
    clearInterval(probe);
  }
  return { writer, failed, maxOpen };
}

const normalize = (file: string): string[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.stringify(JSON.parse(l)));

t.test('a bulk export and three Bundles → Type.ndjson per type, Bundle.ndjson, manifest.json', async (t) => {
  const out = path.join(tempDir(t), 'out');
  const bundleFiles = fs.readdirSync(bundlesDir).sort().map((n) => path.join(bundlesDir, n));
  const { writer, failed } = await run(openInputs([synthea30, ...bundleFiles]), { dir: out });
  t.equal(failed.length, 0);

  const inputTypes = fs.readdirSync(synthea30).filter((n) => n.endsWith('.ndjson')).map((n) => n.split('.')[0]).sort();
  t.same(fs.readdirSync(out).sort(), [...[...inputTypes, 'Bundle'].sort().map((x) => `${x}.ndjson`), 'manifest.json'].sort(), 'only final files, no temp files');
  for (const type of inputTypes) {
    t.strictSame(normalize(path.join(out, `${type}.ndjson`)), normalize(path.join(synthea30, `${type}.ndjson`)), type);
  }
  t.strictSame(
    normalize(path.join(out, 'Bundle.ndjson')),
    bundleFiles.map((f) => JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8')))),
    'each Bundle whole, on one line, in input order',
  );

  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  const example = JSON.parse(fs.readFileSync(path.join(synthea30, 'export-manifest.example.json'), 'utf8'));
  t.strictSame(Object.keys(manifest), ['transactionTime', 'request', 'requiresAccessToken', 'output', 'error']);
  t.equal(manifest.transactionTime, TIME);
  t.equal(manifest.requiresAccessToken, false);
  t.same(manifest.error, []);
  const expectedOutput = [
    ...example.output.map((o: { type: string; count: number }) => ({ type: o.type, url: `${o.type}.ndjson`, count: o.count })),
    { type: 'Bundle', url: 'Bundle.ndjson', count: 3 },
  ].sort((a, b) => (a.type < b.type ? -1 : 1));
  t.strictSame(manifest.output, expectedOutput, 'counts match the example manifest of the input');
  t.strictSame(writer.manifest, manifest);

  // the folder reads back through its manifest
  const back: Item[] = [];
  for await (const it of openInputs([out])) back.push(it as Item);
  // an NDJSON line holding a Bundle is one record: the 3 Bundles come back whole
  t.equal(back.filter((i) => i.kind === 'ok').length, 10994 + 3);
});

t.test('only a bounded number of file handles is open, even with types interleaved', async (t) => {
  const out = path.join(tempDir(t), 'out');
  const items: Item[] = [];
  for await (const it of openInputs([synthea30])) items.push(it as Item);
  const rnd = seededRandom(99);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  const { maxOpen } = await run(Readable.from(items), { dir: out, maxOpenFiles: 2 });
  t.ok(maxOpen <= 2, `at most 2 open (${maxOpen})`);
  for (const type of ['Observation', 'Claim', 'Patient']) {
    const want = items.filter((i) => (i as { value: { resourceType: string } }).value.resourceType === type).map((i) => JSON.stringify((i as { value: unknown }).value));
    t.strictSame(normalize(path.join(out, `${type}.ndjson`)), want, `${type}: lines in arrival order after reopening`);
  }
});

t.test('an output folder holding results is OUTPUT_EXISTS unless overwrite', async (t) => {
  const out = path.join(tempDir(t), 'out');
  const patient = path.join(synthea30, 'Patient.ndjson');
  await run(openInputs([patient]), { dir: out });
  await t.rejects(run(openInputs([patient]), { dir: out }), { code: 'OUTPUT_EXISTS' });
  await run(openInputs([path.join(synthea30, 'Device.ndjson')]), { dir: out, overwrite: true });
  const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  t.same(m.output, [{ type: 'Device', url: 'Device.ndjson', count: 2 }]);
});

t.test('failed items go to onFailed; a resourceType that is not a plain name never names a file', async (t) => {
  const out = path.join(tempDir(t), 'out');
  const { failed } = await run(
    Readable.from([
      { kind: 'ok', value: { resourceType: '../../escape', id: 'x' }, loc: { file: 'f', line: 1 } },
      { kind: 'ok', value: { resourceType: 'Patient/..', id: 'y' }, loc: { file: 'f', line: 2 } },
      { kind: 'failed', code: 'INVALID_JSON', reason: 'Record is not valid JSON', loc: { file: 'f', line: 3 } },
      { kind: 'ok', value: { resourceType: 'Patient', id: 'z' }, loc: { file: 'f', line: 4 } },
    ]),
    { dir: out },
  );
  t.same(failed.map((f) => [f.code, f.loc.line]), [
    ['UNKNOWN_RESOURCE_TYPE', 1],
    ['UNKNOWN_RESOURCE_TYPE', 2],
    ['INVALID_JSON', 3],
  ]);
  t.same(fs.readdirSync(out).sort(), ['Patient.ndjson', 'manifest.json']);
  t.notOk(fs.existsSync(path.resolve(out, '../../escape.ndjson')));
});
