import t from 'tap';
import type { Failed } from '../../src/core/record.js';
import { DEFAULT_MAX_LINE_LENGTH, LineSplitterCore, type SplitLine } from '../../src/sources/line-splitter.js';
import { parseLine } from '../../src/sources/ndjson-records.js';
import { CHUNKINGS, feedChunks } from '../helpers/rechunk-bytes.js';

type Out = SplitLine | Failed;
const MiB = 1024 * 1024;

/** A valid NDJSON line of `size` bytes: a resource with one long string. */
function bigLine(size: number): Buffer {
  const head = Buffer.from('{"resourceType":"Binary","data":"');
  const tail = Buffer.from('"}');
  const b = Buffer.alloc(size, 0x41);
  head.copy(b, 0);
  tail.copy(b, size - tail.length);
  return b;
}

t.test('a runaway line becomes LINE_TOO_LONG with its line number; splitting resumes after its newline', async (t) => {
  const input = Buffer.from('{"a":1}\n' + 'x'.repeat(100) + '\n{"b":2}\r\n' + 'y'.repeat(40) + '\n{"c":3}');
  for (const c of CHUNKINGS) {
    const out = feedChunks(() => new LineSplitterCore({ file: 'f.ndjson', maxLineLength: 32 }), c.split(input));
    t.same(
      out.map((o) => ('kind' in o ? [o.code, o.loc.line, o.loc.offset, o.loc.file] : [o.lineNo, o.line.toString()])),
      [
        [1, '{"a":1}'],
        ['LINE_TOO_LONG', 2, 8, 'f.ndjson'],
        [3, '{"b":2}'],
        ['LINE_TOO_LONG', 4, 118, 'f.ndjson'],
        [5, '{"c":3}'],
      ],
      c.name,
    );
  }
});

t.test('the limit is inclusive, and a \\r before the newline does not count', async (t) => {
  const line = 'z'.repeat(16);
  const out = feedChunks(() => new LineSplitterCore({ maxLineLength: 16 }), [Buffer.from(`${line}\r\n${line}z\n${line}`)]);
  t.same(
    out.map((o) => ('kind' in o ? o.code : o.line.toString())),
    [line, 'LINE_TOO_LONG', line],
  );
});

t.test('a runaway final line without newline is reported once', async (t) => {
  const out = feedChunks(() => new LineSplitterCore({ maxLineLength: 8 }), CHUNKINGS[1].split(Buffer.from('{"a":1}\n' + 'q'.repeat(50))));
  t.same(
    out.map((o) => ('kind' in o ? [o.code, o.loc.line] : o.lineNo)),
    [1, ['LINE_TOO_LONG', 2]],
  );
});

t.test('a 50 MB line: LINE_TOO_LONG under a 1 MiB limit with memory bounded, accepted under the default', async (t) => {
  const size = 50 * 1000 * 1000;
  const line = bigLine(size);
  const input = [line, Buffer.from('\n{"resourceType":"Patient","id":"after"}\n')];
  const chunks = input.flatMap(splitLarge);

  // small limit: the bytes of the line are dropped as they arrive
  const small = new LineSplitterCore({ maxLineLength: MiB });
  const out: Out[] = [];
  let maxBuffered = 0;
  for (const c of chunks) {
    small.push(c, out);
    maxBuffered = Math.max(maxBuffered, small.buffered);
  }
  small.end(out);
  t.equal(out.length, 2);
  t.match(out[0], { kind: 'failed', code: 'LINE_TOO_LONG', loc: { line: 1, offset: 0 } });
  t.match(out[1], { lineNo: 2, offset: size + 1 });
  t.ok(maxBuffered <= MiB + 1, `held at most the limit (${maxBuffered} bytes)`);

  // default limit (64 MiB): the line is a record like any other
  t.ok(size < DEFAULT_MAX_LINE_LENGTH);
  const big = new LineSplitterCore();
  const out2: Out[] = [];
  for (const c of chunks) big.push(c, out2);
  big.end(out2);
  t.equal(out2.length, 2);
  const first = out2[0] as SplitLine;
  t.equal(first.line.length, size);
  const item = parseLine(first.line, { file: '-', line: first.lineNo });
  t.match(item, { kind: 'ok', value: { resourceType: 'Binary' } });
  t.match(parseLine((out2[1] as SplitLine).line, { file: '-' }), { kind: 'ok', value: { id: 'after' } });
});

/** 64 KiB chunks, like a file stream gives. */
function splitLarge(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += 65536) out.push(b.subarray(i, i + 65536));
  return out;
}
