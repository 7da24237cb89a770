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
