import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import t from 'tap';
import { boundaryOf, MultipartCore } from '../../../src/stores/dicom/multipart-core.js';
import { singleDicomPart } from '../../../src/stores/dicom/multipart-stream.js';
import { samplePath } from '../../dicom/samples.js';
import { fixedChunks, randomChunks } from '../../helpers/rechunk-bytes.js';
import { readAll } from './fixtures.js';

const B = '5cdd73a7-baac-4e85-aa0f-7ba29779f4cb';
const part = (body: Buffer, type = 'application/dicom'): Buffer[] => [
  Buffer.from(`--${B}\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\nMIME-Version: 1.0\r\n\r\n`), body,
];
const close = Buffer.from(`\r\n--${B}--\r\n`);

/** Part bodies as the core sees them, for a given chunking. */
function parts(chunks: Buffer[]): Buffer[] {
  const core = new MultipartCore(B);
  const out: Buffer[][] = [];
  for (const c of chunks) {
    for (const ev of core.feed(c)) {
      if (ev.type === 'part') out.push([]);
      else if (ev.type === 'data') out[out.length - 1]!.push(ev.bytes);
    }
  }
  core.end();
  return out.map((p) => Buffer.concat(p));
}

t.test('boundary from a Content-Type', async (t) => {
  t.equal(boundaryOf(`multipart/related; type="application/dicom"; boundary=${B}`), B);
  t.equal(boundaryOf('multipart/related; boundary="a b;c"; type="application/dicom"'), 'a b;c');
  t.equal(boundaryOf('application/dicom'), undefined);
  t.equal(boundaryOf('multipart/related; type="application/dicom"'), undefined);
  t.equal(boundaryOf(`multipart/related; boundary=${'x'.repeat(71)}`), undefined, 'longer than RFC 2046 allows');
  t.equal(boundaryOf(null), undefined);
});

t.test('a WADO-RS answer gives the instance back byte for byte, in any chunking', async (t) => {
  const dcm = await readFile(samplePath('ts/MR_small.dcm'));
  const body = Buffer.concat([...part(dcm), close]);
  for (const [name, chunks] of [
    ['whole', [body]], ['1-byte', fixedChunks(body, 1)], ['7-byte', fixedChunks(body, 7)],
    ['random', randomChunks(body, 42, 300)], ['random big', randomChunks(body, 7, 5000)],
  ] as const) {
    const got = parts([...chunks]);
    t.equal(got.length, 1, name);
    t.ok(got[0]!.equals(dcm), `${name}: same bytes`);
  }
});

t.test('near-delimiters inside a part and several parts', async (t) => {
  const tricky = Buffer.from(`\r\n--${B.slice(0, 10)}\r\n--${B.slice(0, -1)}X--${B}`); // delimiters need CRLF before them
  const second = Buffer.from('second part');
  const body = Buffer.concat([Buffer.from('preamble to ignore\r\n'), ...part(tricky), Buffer.from('\r\n'), ...part(second), close, Buffer.from('epilogue')]);
  for (const chunks of [[body], fixedChunks(body, 1), randomChunks(body, 3, 11)]) {
    const got = parts(chunks);
    t.equal(got.length, 2);
    t.ok(got[0]!.equals(tricky), 'first part kept whole');
    t.ok(got[1]!.equals(second));
  }
});

t.test('malformed bodies throw', async (t) => {
  const dcm = Buffer.from('DICM-ish body');
  const cases: [string, Buffer][] = [
    ['cut in the part', Buffer.concat(part(dcm))],
    ['no delimiter at all', Buffer.from('x'.repeat(70_000))],
    ['garbage after the delimiter', Buffer.from(`--${B}garbage\r\n\r\nxx${close}`)],
    ['endless headers', Buffer.from(`--${B}\r\n${'X-A: b\r\n'.repeat(3000)}`)],
    ['empty', Buffer.alloc(0)],
  ];
  for (const [name, body] of cases) {
    t.throws(() => {
      const core = new MultipartCore(B);
      core.feed(body);
      core.end();
    }, { name: 'MultipartError' }, name);
  }
});

t.test('the stream shell refuses anything but one application/dicom part', async (t) => {
  const dcm = await readFile(samplePath('rt/rtplan.dcm'));
  const run = (chunks: Buffer[]) => readAll(Readable.from(chunks).pipe(singleDicomPart(B)));
  t.ok((await run(randomChunks(Buffer.concat([...part(dcm), close]), 9, 512))).equals(dcm));
  const bad: [string, Buffer][] = [
    ['two parts', Buffer.concat([...part(dcm), Buffer.from('\r\n'), ...part(dcm), close])],
    ['other media type', Buffer.concat([...part(dcm, 'application/dicom+json'), close])],
    ['cut short', Buffer.concat(part(dcm)).subarray(0, 5000)],
    ['no part', Buffer.from(`--${B}--\r\n`)],
  ];
  for (const [name, body] of bad) {
    const e = await run(fixedChunks(body, 997)).then(() => undefined, (e: unknown) => e) as { code?: string } | undefined;
    t.equal(e?.code, 'STORE_BAD_RESPONSE', name);
  }
});
