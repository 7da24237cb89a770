import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import t from 'tap';
import { gunzipped } from '../../src/sources/open-inputs.js';
import { sharedData } from '../helpers/run-cli.js';

// A real bulk export file (3.4 MB): a cut in the middle of its gzip leaves
// more than a megabyte that zlib can still decode.
function sample(): Buffer {
  return fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Observation.ndjson'));
}

async function drain(gz: Buffer, readSize: number, slow: boolean): Promise<{ bytes: Buffer; code: unknown }> {
  const chunks: Buffer[] = [];
  const src = Readable.from((function* () {
    for (let i = 0; i < gz.length; i += readSize) yield gz.subarray(i, i + readSize);
  })());
  try {
    for await (const c of gunzipped(src)) {
      chunks.push(c);
      // a consumer behind the decoder: zlib fills its buffer meanwhile
      if (slow) await new Promise((r) => setTimeout(r, 1));
    }
    return { bytes: Buffer.concat(chunks), code: undefined };
  } catch (e) {
    return { bytes: Buffer.concat(chunks), code: (e as { code?: unknown }).code };
  }
}

t.test('a cut-off gzip gives the same bytes however far behind the consumer is', async (t) => {
  const plain = sample();
  const full = zlib.gzipSync(plain);
  const cut = full.subarray(0, full.length >> 1);
  for (const readSize of [16 * 1024, 64 * 1024, 256 * 1024]) {
    const fast = await drain(cut, readSize, false);
    const slow = await drain(cut, readSize, true);
    t.match(String(fast.code), /^Z_/, 'the cut is an error');
    t.equal(slow.code, fast.code);
    t.ok(fast.bytes.length > plain.length / 4, 'most of what precedes the cut is decoded');
    t.equal(slow.bytes.length, fast.bytes.length, `reads of ${readSize} bytes: a slow consumer loses nothing`);
    t.ok(slow.bytes.equals(plain.subarray(0, slow.bytes.length)), 'the decoded bytes are a prefix of the input');
  }
});

t.test('a whole gzip comes out whole, fast or slow', async (t) => {
  const plain = sample();
  const full = zlib.gzipSync(plain);
  for (const slow of [false, true]) {
    const r = await drain(full, 256 * 1024, slow);
    t.equal(r.code, undefined);
    t.ok(r.bytes.equals(plain));
  }
});

async function drainAll(gz: Buffer, readSize: number): Promise<{ bytes: Buffer; code: unknown }> {
  return drain(gz, readSize, false);
}

// reads of one byte cross every boundary (header, deflate data, trailer, next member) on their own
const READ_SIZES = [1, 4096, 64 * 1024, 256 * 1024];
const small = (b: Buffer, readSize: number): Buffer => (readSize < 4096 ? b.subarray(0, 20_000) : b);

t.test('data after the last member: every decoded byte comes out, then the error', async (t) => {
  for (const tail of ['GARBAGE', '\n', '\x1f', '\x1f\x8b\x08\x00junk', '\0\0\0x']) {
    for (const readSize of READ_SIZES) {
      const plain = small(sample(), readSize);
      const gz = Buffer.concat([zlib.gzipSync(plain), Buffer.from(tail, 'latin1')]);
      const r = await drainAll(gz, readSize);
      t.match(String(r.code), /^Z_/, `${JSON.stringify(tail)} after the member is an error (reads of ${readSize})`);
      t.ok(r.bytes.equals(plain), `${JSON.stringify(tail)}, reads of ${readSize}: the whole member comes out`);
    }
  }
});

t.test('concatenated members read like zcat; zero padding after them is accepted', async (t) => {
  const patients = fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Patient.ndjson'));
  for (const readSize of READ_SIZES) {
    const parts = [small(patients, readSize), small(sample(), readSize), Buffer.alloc(0), small(patients, readSize)];
    const gz = Buffer.concat(parts.map((p) => zlib.gzipSync(p)));
    const r = await drainAll(gz, readSize);
    t.equal(r.code, undefined, `reads of ${readSize}`);
    t.ok(r.bytes.equals(Buffer.concat(parts)), `reads of ${readSize}: every member, in order`);
  }
  const parts = [patients, sample(), patients];
  const gz = Buffer.concat(parts.map((p) => zlib.gzipSync(p)));
  const padded = await drainAll(Buffer.concat([gz, Buffer.alloc(1000)]), 4096);
  t.equal(padded.code, undefined, 'zero bytes after the last member are padding');
  t.ok(padded.bytes.equals(Buffer.concat(parts)));
  t.ok(zlib.gunzipSync(gz).equals(Buffer.concat(parts)), 'the same as zlib reads them');
});

/** A member with every optional header field (RFC 1952 2.3.1), header CRC included. */
function memberWithAllFields(data: Buffer): Buffer {
  const deflated = zlib.deflateRawSync(data);
  const head = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3]),
    Buffer.from([5, 0]),
    Buffer.from('extra'),
    Buffer.from('Observation.ndjson\0'),
    Buffer.from('a comment\0'),
  ]);
  const hcrc = Buffer.alloc(2);
  hcrc.writeUInt16LE(zlib.crc32(head) & 0xffff);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(zlib.crc32(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, hcrc, deflated, trailer]);
}

t.test('optional header fields are skipped, the header CRC checked', async (t) => {
  const plain = sample().subarray(0, 20_000);
  const member = memberWithAllFields(plain);
  t.ok(zlib.gunzipSync(member).equals(plain), 'zlib reads the crafted member');
  for (const readSize of [1, 5, 4096]) {
    const r = await drainAll(Buffer.concat([member, member]), readSize);
    t.equal(r.code, undefined);
    t.ok(r.bytes.equals(Buffer.concat([plain, plain])), `reads of ${readSize}`);
  }
  const badHcrc = Buffer.from(member);
  badHcrc[10 + 2 + 5 + 3] ^= 1; // a letter of the file name
  t.equal((await drainAll(badHcrc, 4096)).code, 'Z_DATA_ERROR');
});

t.test('a cut in the header, the deflate data or the trailer, and a bad trailer', async (t) => {
  const plain = sample().subarray(0, 300_000);
  const one = zlib.gzipSync(plain);
  const two = Buffer.concat([one, one]);
  for (const at of [0, 1, 5, 9, 10, one.length >> 1, one.length - 8, one.length - 1, one.length + 3, two.length - 1]) {
    const r = await drainAll(two.subarray(0, at), 4096);
    t.match(String(r.code), /^Z_/, `cut at ${at} is an error`);
    t.ok(r.bytes.equals(Buffer.concat([plain, plain]).subarray(0, r.bytes.length)), 'what comes out is a prefix');
    if (at >= one.length - 8) t.ok(r.bytes.length >= plain.length, `cut at ${at}: the first member's data all came out`);
  }
  for (const [at, what] of [[one.length - 6, 'CRC-32'], [one.length - 2, 'ISIZE']] as const) {
    const bad = Buffer.from(one);
    bad[at] ^= 0xff;
    const r = await drainAll(bad, 64 * 1024);
    t.equal(r.code, 'Z_DATA_ERROR', `a wrong ${what}`);
    t.ok(r.bytes.equals(plain), `a wrong ${what}: the data comes out before the error`);
  }
  t.equal((await drainAll(Buffer.alloc(0), 4096)).code, 'Z_BUF_ERROR', 'an empty .gz is cut off');
});
