// Corrupt deflate data in the middle of a gzip member. zlib fails the whole
// inflate call that meets the bad byte, so what that call had decoded before
// it (up to 16 KiB: a dozen records) was lost. Read from a file, the member is
// inflated again up to the byte that fails: every byte zlib can decode before
// it comes out, then one GZIP_CORRUPT with the byte's offset.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { gunzipped } from '../../src/sources/gunzip.js';
import { openInputs } from '../../src/sources/open-inputs.js';
import { fixedChunks, randomChunks } from '../helpers/rechunk-bytes.js';
import { sharedData } from '../helpers/run-cli.js';
import { corruptNear } from '../helpers/corrupt-gzip.js';

const obs = fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Observation.ndjson'));
const patients = fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Patient.ndjson'));

async function drain(chunks: Buffer[], reread: boolean): Promise<{ bytes: Buffer; code: unknown; at: unknown }> {
  const src = (): AsyncIterable<Buffer> => (async function* () {
    yield* chunks;
  })();
  const out: Buffer[] = [];
  try {
    for await (const c of gunzipped(src(), reread ? { reread: src } : {})) out.push(c);
    return { bytes: Buffer.concat(out), code: undefined, at: undefined };
  } catch (e) {
    return { bytes: Buffer.concat(out), code: (e as { code?: unknown }).code, at: (e as { gzipOffset?: unknown }).gzipOffset };
  }
}

const gz = zlib.gzipSync(obs);
const READ = 256 * 1024;
// early, in the middle of the first 256 KiB read, just after a read boundary (the bad bits taken in by
// the last inflate call of the read before), well inside the last (short) read, and near the end
const NEAR = [5_000, 100_000, 200_000, READ + 75, READ + 30_000, gz.length - 30_000, gz.length - 2_000];

t.test('corrupt deflate data: every byte zlib decodes before the bad one comes out, then the error at its offset', async (t) => {
  t.ok(gz.length > READ + 60_000, 'the last 256 KiB read is a large one');
  for (const near of NEAR) {
    const c = corruptNear(gz, near);
    t.ok(c.decodable.length > 1000 && obs.subarray(0, 1000).equals(c.decodable.subarray(0, 1000)));
    for (const [name, chunks] of [
      ['reads of 256 KiB', fixedChunks(c.gz, READ)],
      ['reads of 64 KiB', fixedChunks(c.gz, 64 * 1024)],
      ['reads of 7 bytes', fixedChunks(c.gz, 7)],
      ['random reads', randomChunks(c.gz, 20240611, 100_000)],
      ['one read', [c.gz]],
    ] as const) {
      if (name === 'reads of 7 bytes' && near > 5_000) continue; // 7-byte reads of the whole file take long
      const r = await drain(chunks as Buffer[], true);
      t.equal(r.code, 'Z_DATA_ERROR', `${near}, ${name}: an error`);
      t.equal(r.at, c.at, `${near}, ${name}: at the byte zlib fails at`);
      t.equal(r.bytes.length, c.decodable.length, `${near}, ${name}: as many bytes as zlib decodes before it`);
      t.ok(r.bytes.equals(c.decodable), `${near}, ${name}: the same bytes`);
    }
  }
});

t.test('read once (stdin), the output is still a prefix, without an offset', async (t) => {
  const c = corruptNear(gz, READ + 30_000);
  const r = await drain(fixedChunks(c.gz, READ), false);
  t.equal(r.code, 'Z_DATA_ERROR');
  t.equal(r.at, undefined, 'where zlib failed is not known');
  t.ok(c.decodable.subarray(0, r.bytes.length).equals(r.bytes));
});

t.test('in the second member: the first whole, the second up to its bad byte', async (t) => {
  const first = zlib.gzipSync(patients);
  const both = Buffer.concat([first, gz]);
  const c = corruptNear(both, first.length + 150_000, first.length + 10);
  const r = await drain(fixedChunks(c.gz, READ), true);
  t.equal(r.at, c.at);
  t.ok(r.bytes.equals(Buffer.concat([patients, c.decodable])));
});

t.test('a file that changed since it was read: nothing more comes out, the error stands', async (t) => {
  const c = corruptNear(gz, 200_000);
  const other = corruptNear(zlib.gzipSync(Buffer.concat([patients, obs])), 200_000);
  const out: Buffer[] = [];
  let err: { code?: unknown; gzipOffset?: unknown } | undefined;
  try {
    for await (const b of gunzipped((async function* () { yield* fixedChunks(c.gz, READ); })(), { reread: async function* () { yield other.gz; } })) out.push(b);
  } catch (e) {
    err = e as typeof err;
  }
  t.equal(err?.code, 'Z_DATA_ERROR');
  t.equal(err?.gzipOffset, undefined);
  const got = Buffer.concat(out);
  t.ok(got.length < c.decodable.length && c.decodable.subarray(0, got.length).equals(got), 'only what the first read decoded');
  // a copy that cannot be read at all
  out.length = 0;
  err = undefined;
  try {
    for await (const b of gunzipped((async function* () { yield* fixedChunks(c.gz, READ); })(), { reread: () => { throw Object.assign(new Error('gone'), { code: 'ENOENT' }); } })) out.push(b);
  } catch (e) {
    err = e as typeof err;
  }
  t.equal(err?.code, 'Z_DATA_ERROR', 'the gzip error, not the read error');
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-gz-middle-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

t.test('openInputs: every line decoded before the bad byte, in order, then one GZIP_CORRUPT with the offset', async (t) => {
  for (const near of [100_000, gz.length - 30_000]) {
    const c = corruptNear(gz, near);
    const file = path.join(dir, `Observation-${near}.ndjson.gz`);
    fs.writeFileSync(file, c.gz);
    // what zlib decodes up to the last line end, as a plain file: the lines before the bad byte (the
    // last of them may be garbage decoded from it before zlib noticed: it fails as any such line does)
    const plain = path.join(dir, `Observation-${near}.ndjson`);
    fs.writeFileSync(plain, c.decodable.subarray(0, c.decodable.lastIndexOf(0x0a) + 1));
    const want: Item[] = [];
    for await (const it of openInputs([plain])) want.push(it as Item);
    const oks = want.filter((i) => i.kind === 'ok').length;
    t.ok(oks > 1000 && oks < 4622, `${oks} records before the bad byte`);
    const wantLines = c.decodable.subarray(0, c.decodable.lastIndexOf(0x0a) + 1).toString('utf8').split('\n').length - 1;
    for (const readSize of [256 * 1024, 64 * 1024]) {
      const items: Item[] = [];
      for await (const it of openInputs([file], { readSize })) items.push(it as Item);
      t.equal(items.length, wantLines + 1, `${near}, reads of ${readSize}: a record for every complete line, then the failure`);
      t.strictSame(items.slice(0, -1).map((i) => ({ ...i, loc: { ...i.loc, file: 'x' } })), want.map((i) => ({ ...i, loc: { ...i.loc, file: 'x' } })), 'the same items, in order');
      t.strictSame(items[items.length - 1], {
        kind: 'failed',
        code: 'GZIP_CORRUPT',
        reason: 'Compressed input is corrupt or truncated',
        loc: { file, line: wantLines + 1, gzipOffset: c.at },
      });
    }
  }
});

t.test('openInputs, a Bundle .json.gz: every entry decoded before the bad byte, the failure with the offset', async (t) => {
  const synthea = path.join(sharedData, 'fhir-samples/synthea-transaction-bundles');
  // the sample Bundles' entries in one Bundle of 1 MB, indented
  const bundles = fs.readdirSync(synthea).sort().map((f) => JSON.parse(fs.readFileSync(path.join(synthea, f), 'utf8')) as { entry: unknown[] });
  const bgz = zlib.gzipSync(JSON.stringify({ ...bundles[0], entry: bundles.flatMap((b) => b.entry) }, null, 1));
  const c = corruptNear(bgz, Math.floor(bgz.length * 0.7));
  const file = path.join(dir, 'bundle.json.gz');
  fs.writeFileSync(file, c.gz);
  const items: Item[] = [];
  for await (const it of openInputs([file])) items.push(it as Item);
  const fails = items.filter((i) => i.kind === 'failed');
  t.equal(fails.length, 1);
  t.match(fails[0], { code: 'GZIP_CORRUPT', loc: { file, gzipOffset: c.at } });
  // the entries complete in what zlib decodes: the same Bundle text cut there, read as a plain file
  const cut = path.join(dir, 'bundle-cut.json');
  fs.writeFileSync(cut, c.decodable);
  const want: Item[] = [];
  for await (const it of openInputs([cut])) want.push(it as Item);
  const entries = (xs: Item[]) => xs.filter((i) => i.kind === 'ok').map((i) => (i as { value: unknown }).value);
  t.ok(entries(want).length > 10);
  t.strictSame(entries(items), entries(want), 'the same entries');
  t.equal(items[items.length - 1]!.kind, 'end', 'the Bundle is closed');
});
