import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { BundleStream, BundleStreamCore } from '../../src/sources/bundle-stream.js';
import { CHUNKINGS, feedChunks } from '../helpers/rechunk-bytes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');

const stream = (buf: Buffer, chunks?: Buffer[], file = 'b.json'): Item[] =>
  feedChunks(() => new BundleStreamCore({ file }), chunks ?? [buf]);

/** What the stream must give for a Bundle, computed with JSON.parse. */
function expected(doc: Record<string, unknown>, file: string): Item[] {
  const keys = Object.keys(doc);
  const at = keys.indexOf('entry');
  const head: Record<string, unknown> = {};
  const tail: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    if (k !== 'entry') (at === -1 || i < at ? head : tail)[k] = doc[k];
  });
  const entries = (doc.entry as unknown[] | undefined) ?? [];
  return [
    { kind: 'start', head, loc: { file } },
    ...entries.map((e, i): Item => ({ kind: 'ok', value: e, loc: { file, entry: i } })),
    { kind: 'end', tail, loc: { file } },
  ];
}

const synthea = fs
  .readdirSync(path.join(samples, 'synthea-transaction-bundles'))
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((n) => path.join(samples, 'synthea-transaction-bundles', n));
const hl7Bundles = fs
  .readdirSync(path.join(samples, 'hl7-r4-examples/bundles'))
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((n) => path.join(samples, 'hl7-r4-examples/bundles', n));

t.test('Synthea transaction bundles: start, one ok per entry (whole entry), end', async (t) => {
  t.equal(synthea.length, 3);
  const entryCounts: number[] = [];
  for (const f of synthea) {
    const buf = fs.readFileSync(f);
    const doc = JSON.parse(buf.toString('utf8'));
    const items = stream(buf, undefined, f);
    t.strictSame(items, expected(doc, f), path.basename(f));
    entryCounts.push(items.filter((i) => i.kind === 'ok').length);
    const first = items[1];
    t.match(first, { kind: 'ok', value: { fullUrl: /^urn:uuid:/, resource: { resourceType: String }, request: { method: 'POST' } } });
  }
  t.same(entryCounts.sort((a, b) => a - b), [28, 217, 290], 'entry counts from PROVENANCE.md');
});

t.test('every hl7-r4-examples bundle streams to what JSON.parse reads', async (t) => {
  t.equal(hl7Bundles.length, 30);
  for (const f of hl7Bundles) {
    const buf = fs.readFileSync(f);
    t.strictSame(stream(buf, undefined, f), expected(JSON.parse(buf.toString('utf8')), f), path.basename(f));
  }
});

t.test('re-chunking (1-byte, 7-byte, random) gives identical items for every bundle fixture', async (t) => {
  for (const f of [...synthea, ...hl7Bundles]) {
    const buf = fs.readFileSync(f);
    const whole = stream(buf);
    for (const c of CHUNKINGS) t.strictSame(stream(buf, c.split(buf)), whole, `${path.basename(f)} ${c.name}`);
  }
});

t.test('a document holding one non-Bundle resource is one ok item', async (t) => {
  const dir = path.join(samples, 'hl7-r4-examples/resources');
  const files = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  t.ok(files.length > 500);
  for (const n of files) {
    const buf = fs.readFileSync(path.join(dir, n));
    const items = stream(buf, undefined, n);
    t.strictSame(items, [{ kind: 'ok', value: JSON.parse(buf.toString('utf8')), loc: { file: n } }], n);
  }
  // a List has a top-level `entry` too: it is not streamed when resourceType came first
  const list = Buffer.from('{"resourceType":"List","status":"current","entry":[{"item":{"reference":"Patient/1"}}]}');
  t.strictSame(stream(list), [{ kind: 'ok', value: JSON.parse(list.toString()), loc: { file: 'b.json' } }]);
});

t.test('a Bundle without entry is start + end', async (t) => {
  const b = Buffer.from('{"resourceType":"Bundle","id":"empty","type":"searchset","total":0}');
  t.strictSame(stream(b), [
    { kind: 'start', head: { resourceType: 'Bundle', id: 'empty', type: 'searchset', total: 0 }, loc: { file: 'b.json' } },
    { kind: 'end', tail: {}, loc: { file: 'b.json' } },
  ]);
});

t.test('the Transform shell reads a file stream with backpressure', async (t) => {
  const f = synthea[synthea.length - 1];
  const items: Item[] = [];
  const s = fs.createReadStream(f, { highWaterMark: 4096 }).pipe(new BundleStream({ file: f }));
  let maxBuffered = 0;
  for await (const it of s) {
    items.push(it as Item);
    maxBuffered = Math.max(maxBuffered, s.readableLength);
    if (items.length % 10 === 0) await new Promise((r) => setImmediate(r));
  }
  t.strictSame(items, expected(JSON.parse(fs.readFileSync(f, 'utf8')), f));
  t.ok(maxBuffered < 200, `buffered items stayed bounded (${maxBuffered})`);
  // Readable.from of a string works too (objectMode false)
  const r: Item[] = [];
  for await (const it of Readable.from([Buffer.from('{"resourceType":"Patient"}')]).pipe(new BundleStream())) r.push(it as Item);
  t.strictSame(r, [{ kind: 'ok', value: { resourceType: 'Patient' }, loc: { file: '-' } }]);
});
