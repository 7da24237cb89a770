import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { MarkedLines } from '../../src/sources/marked-lines.js';
import { CHUNKINGS, feedChunks, fixedChunks } from '../helpers/rechunk-bytes.js';
import { repoRoot, sharedData } from '../helpers/run-cli.js';

const MARK = Buffer.from('"Patient"');
const find = (chunks: Buffer[], max = 1 << 20): string[] =>
  feedChunks(() => new MarkedLines(MARK, max), chunks).map((b) => b.toString('utf8'));

/** Independent reference: split on '\n', keep the lines holding the marker and no longer than max. */
function reference(buf: Buffer, max = 1 << 20): string[] {
  const out: string[] = [];
  let start = 0;
  while (start <= buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    const line = buf.subarray(start, end);
    if (line.indexOf(MARK) >= 0 && line.length <= max) out.push(line.toString('utf8'));
    start = end + 1;
  }
  return out;
}

t.test('real bulk exports: the same lines as the reference, whatever the chunking', async (t) => {
  const files = [
    path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Patient.ndjson'),
    path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Encounter.ndjson'),
    path.join(repoRoot, 'data/samples/fhir/Patient.ndjson'),
  ];
  for (const f of files) {
    const buf = fs.readFileSync(f);
    const want = reference(buf);
    if (path.basename(f) === 'Patient.ndjson') t.ok(want.length > 0, `${path.basename(f)} has marked lines`);
    t.strictSame(find([buf]), want, `${path.basename(f)} whole`);
    for (const c of CHUNKINGS) if (buf.length < 4_000_000 || c.name !== '1-byte') t.strictSame(find(c.split(buf)), want, `${path.basename(f)} ${c.name}`);
  }
});

t.test('a marker cut by every possible chunk boundary is found', async (t) => {
  const buf = Buffer.from('{"a":1}\n{"resourceType":"Patient","id":"p"}\n{"b":2}');
  for (let cut = 1; cut < buf.length; cut++) {
    t.strictSame(find([buf.subarray(0, cut), buf.subarray(cut)]), ['{"resourceType":"Patient","id":"p"}'], `cut at ${cut}`);
  }
});

t.test('line forms: first and last line, no final newline, CRLF, blank lines, empty input', async (t) => {
  t.strictSame(find([Buffer.from('"Patient"')]), ['"Patient"'], 'a single line with no newline');
  t.strictSame(find([Buffer.from('x"Patient"\r\n\n\ny\n"Patient"z')]), ['x"Patient"\r', '"Patient"z'], 'CR stays for JSON.parse to skip');
  t.strictSame(find([Buffer.from('a\nb\nc\n')]), [], 'no marker');
  t.strictSame(find([]), [], 'no input');
  t.strictSame(find([Buffer.from('"Patient""Patient"\n"Patient"\n')]), ['"Patient""Patient"', '"Patient"'], 'two markers in one line give the line once');
});

t.test('a line longer than the limit is dropped, in one chunk or spread over many, and the next line is still found', async (t) => {
  const long = `{"resourceType":"Patient","x":"${'a'.repeat(200)}"}`;
  const buf = Buffer.from(`${long}\n{"resourceType":"Patient","id":"ok"}\n${long}`);
  const want = reference(buf, 100);
  t.strictSame(want, ['{"resourceType":"Patient","id":"ok"}']);
  t.strictSame(find([buf], 100), want, 'whole');
  for (const size of [1, 7, 64, 99, 100, 101, 150]) t.strictSame(find(fixedChunks(buf, size), 100), want, `chunks of ${size}`);
});

// The first pass reads a file again and again into one buffer
// (collect-patient-context.ts): a line cut by a chunk boundary must survive
// the next read overwriting the part it held.
t.test('chunks read into one reused buffer give the same lines', async (t) => {
  const buf = fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Patient.ndjson'));
  const want = reference(buf);
  for (const size of [7, 4096, 65_536]) {
    const shared = Buffer.alloc(size);
    const finder = new MarkedLines(MARK, 1 << 20);
    const got: string[] = [];
    const out: Buffer[] = [];
    for (let at = 0; at < buf.length; at += size) {
      const n = buf.copy(shared, 0, at, at + size);
      finder.push(shared.subarray(0, n), out);
      for (const b of out) got.push(b.toString('utf8'));
      out.length = 0;
      shared.fill(0x7a);
    }
    finder.end(out);
    for (const b of out) got.push(b.toString('utf8'));
    t.strictSame(got, want, `${size}-byte reads`);
  }
});
