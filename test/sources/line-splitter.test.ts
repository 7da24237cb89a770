import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Failed } from '../../src/core/record.js';
import { LineSplitter, LineSplitterCore, type SplitLine } from '../../src/sources/line-splitter.js';
import { CHUNKINGS, feedChunks } from '../helpers/rechunk-bytes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');

type Out = SplitLine | Failed;
const split = (chunks: Buffer[], opts = {}): Out[] => feedChunks(() => new LineSplitterCore({ file: 'x', ...opts }), chunks);
const text = (items: Out[]): Array<[number, number, string]> =>
  items.map((i) => {
    if ('kind' in i) throw new Error(`unexpected ${i.code}`);
    return [i.lineNo, i.offset, i.line.toString()];
  });

/** Independent reference: split on '\n', drop a trailing '\r', skip blank lines. */
function reference(buf: Buffer): Array<[number, number, string]> {
  const out: Array<[number, number, string]> = [];
  let start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let lineNo = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    const next = end === -1 ? buf.length : end + 1;
    if (end === -1) end = buf.length;
    lineNo++;
    let s = buf.subarray(start, end).toString('utf8');
    if (s.endsWith('\r')) s = s.slice(0, -1);
    if (s.trim() !== '') out.push([lineNo, start, s]);
    start = next;
  }
  return out;
}

t.test('\\n and \\r\\n endings, blank lines counted but skipped, final line without newline', async (t) => {
  const input = Buffer.from('{"a":1}\r\n\n   \n\t\r\n{"b":2}\n{"c":3}');
  const got = text(split([input]));
  t.same(got, [
    [1, 0, '{"a":1}'],
    [5, 17, '{"b":2}'],
    [6, 25, '{"c":3}'],
  ]);
  t.same(got, reference(input));
});

t.test('a UTF-8 BOM at the start is dropped, also when split across chunks; offsets count it', async (t) => {
  const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n{"b":2}\n')]);
  for (const c of CHUNKINGS) {
    t.same(text(split(c.split(input))), [
      [1, 3, '{"a":1}'],
      [2, 11, '{"b":2}'],
    ], c.name);
  }
  // a BOM later in the input is content, not a marker
  const mid = Buffer.concat([Buffer.from('{"a":1}\n'), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"b":2}\n')]);
  t.equal(text(split([mid]))[1][2], '\ufeff{"b":2}');
  // input shorter than a BOM that starts like one
  t.same(text(split([Buffer.from([0xef, 0xbb])])), [[1, 0, Buffer.from([0xef, 0xbb]).toString()]]);
});

t.test('multi-byte UTF-8 characters split across chunks come out whole', async (t) => {
  const input = Buffer.from('{"name":"Zoë Ångström 山田 😀"}\n{"x":"é"}\n');
  for (const c of CHUNKINGS) t.same(text(split(c.split(input))), reference(input), c.name);
  t.equal(text(split(CHUNKINGS[0].split(input)))[0][2], '{"name":"Zoë Ångström 山田 😀"}');
});

t.test('lines are Buffers by default, strings with asString', async (t) => {
  const [a] = split([Buffer.from('{"a":1}\n')]);
  t.ok(Buffer.isBuffer((a as SplitLine).line));
  const [b] = split([Buffer.from('{"a":1}\n')], { asString: true });
  t.equal((b as SplitLine).line, '{"a":1}');
});

const bulkFiles = ['bulk-smart-10-patients', 'bulk-synthea-30-patients'].flatMap((d) =>
  fs
    .readdirSync(path.join(samples, d))
    .filter((n) => n.endsWith('.ndjson'))
    .sort()
    .map((n) => path.join(samples, d, n)),
);

t.test('every bulk fixture: same lines as the reference, whatever the chunking', async (t) => {
  t.ok(bulkFiles.length >= 30, 'both bulk folders found');
  for (const f of bulkFiles) {
    const buf = fs.readFileSync(f);
    const want = reference(buf);
    const whole = text(split([buf]));
    t.same(whole, want, `${path.basename(f)} whole`);
    for (const c of CHUNKINGS) {
      // 1-byte chunking of the multi-megabyte files is slow and adds nothing over 7-byte
      if (c.name === '1-byte' && buf.length > 600_000) continue;
      t.same(text(split(c.split(buf))), want, `${path.basename(f)} ${c.name}`);
    }
  }
});

t.test('the Transform gives the same lines as the core and respects backpressure', async (t) => {
  const f = bulkFiles.find((x) => x.endsWith('Patient.ndjson'))!;
  const buf = fs.readFileSync(f);
  const splitter = new LineSplitter({ file: f });
  const src = Readable.from(CHUNKINGS[1].split(buf), { objectMode: false });
  src.pipe(splitter);
  const got: Out[] = [];
  // read slowly: the splitter must hold back instead of buffering the whole input
  let maxBuffered = 0;
  for await (const item of splitter) {
    got.push(item as Out);
    maxBuffered = Math.max(maxBuffered, splitter.readableLength);
    await new Promise((r) => setImmediate(r));
  }
  t.same(text(got), reference(buf));
  t.ok(maxBuffered <= 16 + 64, `readable buffer stayed small (${maxBuffered})`);
});

// `deid fhir --threads` reads each file into one reused buffer (read-into.ts):
// a line cut by a chunk boundary, and a BOM cut after its first bytes, must
// survive the next read overwriting what the splitter held.
t.test('chunks read into one reused buffer give the same lines', async (t) => {
  const file = fs.readFileSync(path.join(samples, 'bulk-synthea-30-patients/Patient.ndjson'));
  const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file.subarray(0, 20_000), Buffer.from('\r\n')]);
  for (const buf of [file, withBom]) {
    const want = reference(buf);
    for (const size of [1, 2, 7, 4096, 65_536]) {
      const shared = Buffer.alloc(size);
      const core = new LineSplitterCore({ file: 'x' });
      const got: Array<[number, number, string]> = [];
      const out: Out[] = [];
      for (let at = 0; at < buf.length; at += size) {
        const n = buf.copy(shared, 0, at, at + size);
        core.push(shared.subarray(0, n), out);
        got.push(...text(out));
        out.length = 0;
        shared.fill(0x7a);
      }
      core.end(out);
      got.push(...text(out));
      t.strictSame(got, want, `${buf === file ? 'plain' : 'BOM'}, ${size}-byte reads`);
    }
  }
});
