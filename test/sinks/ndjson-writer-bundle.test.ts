import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Failed, Item } from '../../src/core/record.js';
import { NdjsonWriter } from '../../src/sinks/ndjson-writer.js';
import { openInputs } from '../../src/sources/open-inputs.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const bundleFiles = [
  ...fs
    .readdirSync(path.join(samples, 'synthea-transaction-bundles'))
    .sort()
    .map((n) => path.join(samples, 'synthea-transaction-bundles', n)),
  ...fs
    .readdirSync(path.join(samples, 'hl7-r4-examples/bundles'))
    .sort()
    .map((n) => path.join(samples, 'hl7-r4-examples/bundles', n)),
];

async function writeAll(src: Readable, opts = {}): Promise<{ text: string; failed: Failed[] }> {
  const failed: Failed[] = [];
  const chunks: Buffer[] = [];
  await pipeline(
    src,
    new NdjsonWriter({ ...opts, onFailed: (f) => failed.push(f) }),
    new Writable({
      write(c, _e, cb) {
        chunks.push(c);
        cb();
      },
    }),
  );
  return { text: Buffer.concat(chunks).toString('utf8'), failed };
}

t.test('every Bundle fixture streamed through bundle-stream comes out as ONE line equal to the input', async (t) => {
  t.equal(bundleFiles.length, 33);
  for (const f of bundleFiles) {
    const { text, failed } = await writeAll(openInputs([f]));
    t.equal(failed.length, 0);
    t.ok(text.endsWith('\n') && text.indexOf('\n') === text.length - 1, `${path.basename(f)}: one line`);
    // same members in the same order, same entries in the same order
    t.equal(text, JSON.stringify(JSON.parse(fs.readFileSync(f, 'utf8'))) + '\n', path.basename(f));
  }
});

t.test('the Bundle is written incrementally: head on start, each entry on arrival', async (t) => {
  const w = new NdjsonWriter();
  const out: string[] = [];
  w.on('data', (c: Buffer) => out.push(c.toString()));
  const flush = () => new Promise((r) => setImmediate(r));
  w.write({ kind: 'start', head: { resourceType: 'Bundle', id: 'b1', type: 'collection' }, loc: { file: 'f' } });
  await flush();
  t.same(out, ['{"resourceType":"Bundle","id":"b1","type":"collection"']);
  w.write({ kind: 'ok', value: { resource: { resourceType: 'Patient', id: 'p' } }, loc: { file: 'f', entry: 0 } });
  await flush();
  t.equal(out.length, 2, 'first entry written before the Bundle ends');
  t.equal(out[1], ',"entry":[{"resource":{"resourceType":"Patient","id":"p"}}', 'entry is opened with the first entry');
  w.write({ kind: 'failed', code: 'TRANSFORM_FAILED', reason: 'x', loc: { file: 'f', entry: 1 } });
  w.write({ kind: 'ok', value: { resource: { resourceType: 'Patient', id: 'q' } }, loc: { file: 'f', entry: 2 } });
  w.write({ kind: 'end', tail: { total: 2, signature: { type: [] } }, loc: { file: 'f' } });
  w.end();
  await flush();
  const line = out.join('');
  t.equal(
    line,
    '{"resourceType":"Bundle","id":"b1","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p"}},{"resource":{"resourceType":"Patient","id":"q"}}],"total":2,"signature":{"type":[]}}\n',
  );
});

t.test('memory does not grow with the Bundle: 200k entries pass through a bounded buffer', async (t) => {
  const n = 200_000;
  function* items(): Generator<Item> {
    yield { kind: 'start', head: { resourceType: 'Bundle', type: 'collection' }, loc: { file: 'g' } };
    for (let i = 0; i < n; i++) {
      yield { kind: 'ok', value: { resource: { resourceType: 'Observation', id: `o${i}`, status: 'final' } }, loc: { file: 'g', entry: i } };
    }
    yield { kind: 'end', tail: {}, loc: { file: 'g' } };
  }
  const writer = new NdjsonWriter();
  let bytes = 0;
  let chunks = 0;
  let maxChunk = 0;
  let maxBuffered = 0;
  let lastEntry = -1;
  let ordered = true;
  await pipeline(
    Readable.from(items()),
    writer,
    new Writable({
      highWaterMark: 1024,
      write(c: Buffer, _e, cb) {
        bytes += c.length;
        chunks++;
        maxChunk = Math.max(maxChunk, c.length);
        maxBuffered = Math.max(maxBuffered, writer.readableLength + writer.writableLength);
        for (const m of c.toString().matchAll(/"id":"o(\d+)"/g)) {
          if (Number(m[1]) !== lastEntry + 1) ordered = false;
          lastEntry = Number(m[1]);
        }
        setImmediate(cb);
      },
    }),
  );
  // ASCII records: bytes = characters. A chunk is one batch: at most BATCH_CHARS plus the record that filled it.
  t.ok(maxChunk <= NdjsonWriter.BATCH_CHARS + 200, `chunks of at most ${maxChunk} bytes`);
  t.ok(chunks < n / 100, `${chunks} chunks for ${n} entries: batched`);
  t.ok(ordered && lastEntry === n - 1, 'entries in order');
  t.ok(bytes > 10_000_000, `${bytes} bytes written`);
  t.ok(maxBuffered < 64 * 1024, `the writer held at most ${maxBuffered} units at a time`);
});

t.test('an input that ends inside a Bundle still gives valid JSON, and a failure', async (t) => {
  const items: Item[] = [
    { kind: 'start', head: { resourceType: 'Bundle', type: 'batch' }, loc: { file: 'x.json' } },
    { kind: 'ok', value: { resource: { resourceType: 'Patient' } }, loc: { file: 'x.json', entry: 0 } },
  ];
  const { text, failed } = await writeAll(Readable.from(items));
  t.same(JSON.parse(text), { resourceType: 'Bundle', type: 'batch', entry: [{ resource: { resourceType: 'Patient' } }] });
  t.match(failed, [{ code: 'INVALID_BUNDLE', loc: { file: 'x.json' } }]);
  // structure errors are reported, never thrown
  const odd = await writeAll(
    Readable.from([
      { kind: 'end', tail: {}, loc: { file: 'y' } },
      { kind: 'start', head: {}, loc: { file: 'y' } },
      { kind: 'start', head: {}, loc: { file: 'y' } },
      { kind: 'end', tail: {}, loc: { file: 'y' } },
    ]),
  );
  t.equal(odd.text, '{"resourceType":"Bundle"}\n', 'no empty entry array (FHIR JSON has no empty arrays)');
  t.same(odd.failed.map((f) => f.code), ['INVALID_BUNDLE', 'INVALID_BUNDLE']);
});

t.test('head and tail members named resourceType or entry are not duplicated', async (t) => {
  const { text } = await writeAll(
    Readable.from([
      { kind: 'start', head: { id: 'late' }, loc: { file: 'z' } },
      { kind: 'end', tail: { resourceType: 'Bundle', entry: [{ sneaky: true }] }, loc: { file: 'z' } },
    ]),
  );
  t.equal(text, '{"resourceType":"Bundle","id":"late"}\n');
});

t.test('an entry de-identified to nothing is left out of the Bundle; with none left there is no entry member', async (t) => {
  const entry = (i: number, value: unknown): Item => ({ kind: 'ok', value, loc: { file: 'e', entry: i } });
  const start: Item = { kind: 'start', head: { resourceType: 'Bundle', type: 'collection' }, loc: { file: 'e' } };
  const end: Item = { kind: 'end', tail: { total: 3 }, loc: { file: 'e' } };
  const some = await writeAll(Readable.from([start, entry(0, {}), entry(1, { fullUrl: 'urn:uuid:x' }), entry(2, {}), end]));
  t.same(JSON.parse(some.text), { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'urn:uuid:x' }], total: 3 });
  const none = await writeAll(Readable.from([start, entry(0, {}), entry(1, {}), end]));
  t.same(JSON.parse(none.text), { resourceType: 'Bundle', type: 'collection', total: 3 });
  t.same([...some.failed, ...none.failed], []);
});
