import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { openInputs, sniffFormat, type OpenInputsOptions } from '../../src/sources/open-inputs.js';
import { CHUNKINGS } from '../helpers/rechunk-bytes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const patientFile = path.join(samples, 'bulk-synthea-30-patients/Patient.ndjson');
const bundleFile = path.join(samples, 'hl7-r4-examples/bundles/Bundle-bundle-transaction.json');
const resourceFile = path.join(samples, 'hl7-r4-examples/resources/Patient-example.json');

async function fromStdin(chunks: Buffer[], opts: OpenInputsOptions = {}): Promise<Item[]> {
  const out: Item[] = [];
  for await (const it of openInputs(['-'], { ...opts, stdin: Readable.from(chunks, { objectMode: false }) })) out.push(it as Item);
  return out;
}
async function fromFiles(files: string[]): Promise<Item[]> {
  const out: Item[] = [];
  for await (const it of openInputs(files)) out.push(it as Item);
  return out;
}
const withFile = (items: Item[], file: string): Item[] => items.map((i) => ({ ...i, loc: { ...i.loc, file } }));

t.test('stdin NDJSON is read line by line, whatever the chunking', async (t) => {
  const buf = fs.readFileSync(patientFile);
  const want = withFile(await fromFiles([patientFile]), '-');
  t.equal(want.length, 30);
  for (const c of CHUNKINGS) t.strictSame(await fromStdin(c.split(buf)), want, c.name);
  // blank lines and a BOM before the first record do not change the verdict
  const padded = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n  \r\n'), buf]);
  const items = await fromStdin([padded]);
  t.equal(items.length, 30);
  t.equal(items[0].loc.line, 3);
});

t.test('stdin holding one JSON document: a pretty-printed Bundle, a one-line resource without newline', async (t) => {
  const buf = fs.readFileSync(bundleFile);
  const want = withFile(await fromFiles([bundleFile]), '-');
  t.equal(want[0].kind, 'start');
  for (const c of CHUNKINGS) t.strictSame(await fromStdin(c.split(buf)), want, c.name);

  const oneLine = Buffer.from(JSON.stringify(JSON.parse(fs.readFileSync(resourceFile, 'utf8'))));
  t.strictSame(await fromStdin([oneLine]), [{ kind: 'ok', value: JSON.parse(oneLine.toString()), loc: { file: '-' } }]);
  // the same line followed by a newline is NDJSON: one record, with its line number
  t.match(await fromStdin([oneLine, Buffer.from('\n')]), [{ kind: 'ok', loc: { file: '-', line: 1, offset: 0 } }]);
});

t.test('gzip on stdin is recognised by its magic bytes', async (t) => {
  const gz = gzipSync(fs.readFileSync(patientFile));
  const items = await fromStdin(CHUNKINGS[1].split(gz));
  t.equal(items.filter((i) => i.kind === 'ok').length, 30);
  const bgz = gzipSync(fs.readFileSync(bundleFile));
  const b = await fromStdin([bgz]);
  t.equal(b[0].kind, 'start');
  t.equal(b[b.length - 1].kind, 'end');
});

t.test('empty stdin gives no items; broken stdin gives a failed item', async (t) => {
  t.same(await fromStdin([]), []);
  t.same(await fromStdin([Buffer.from('\n\n  \n')]), []);
  const broken = await fromStdin([Buffer.from('{\n  "resourceType": "Patient",\n  "name": [')]);
  t.match(broken, [{ kind: 'failed', code: 'TRUNCATED_JSON', loc: { file: '-' } }]);
  const garbage = await fromStdin([Buffer.from('not json at all\n{"resourceType":"Patient"}\n')]);
  t.match(garbage, [{ kind: 'failed', code: 'INVALID_JSON' }]);
});

t.test('a first line longer than the sniff limit makes it one record', async (t) => {
  const long = Buffer.from(`{"resourceType":"Binary","data":"${'A'.repeat(5000)}"}`);
  t.match(await fromStdin([long], { sniffLimit: 1000 }), [{ kind: 'ok', loc: { file: '-' } }]);
  t.equal(sniffFormat(long.subarray(0, 500), false, 1000, true), undefined, 'needs more bytes below the limit');
  // a resource that is not a Bundle: read as NDJSON, so that lines after it are records too
  t.equal(sniffFormat(long.subarray(0, 1000), false, 1000, true), 'ndjson');
  t.equal(sniffFormat(Buffer.from(`{"resourceType":"Bundle","id":"${'b'.repeat(2000)}"`), false, 1000, true), 'json');
  t.equal(sniffFormat(Buffer.from('{"a":1}\n'), false, 1000, true), 'ndjson');
  t.equal(sniffFormat(Buffer.from('{\n'), false, 1000, true), 'json');
  t.equal(sniffFormat(Buffer.from([0x1f, 0x8b, 8]), false, 1000, true), 'gzip');
});

t.test('a file whose name does not say its format is sniffed the same way', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-sniff-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = path.join(dir, 'export.txt');
  const b = path.join(dir, 'bundle.dat');
  fs.copyFileSync(patientFile, a);
  fs.copyFileSync(bundleFile, b);
  const items = await fromFiles([a, b]);
  t.equal(items.filter((i) => i.loc.file === a && i.kind === 'ok' && i.loc.line !== undefined).length, 30);
  t.strictSame(items.filter((i) => i.loc.file === b), withFile(await fromFiles([bundleFile]), b));
});
