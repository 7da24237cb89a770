// A gzip input read once (stdin without contextual de-identification) cannot
// be read again: zlib's failing inflate call took with it what it had decoded
// before the bad byte (up to 16 KiB), and the byte's offset was not known.
// The current member's compressed bytes are now kept in a file on the way
// (MemberCopy), read again as a file's are.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import t from 'tap';
import { gunzipped } from '../../src/sources/gunzip.js';
import { MemberCopy } from '../../src/sources/member-copy.js';
import { corruptNear } from '../helpers/corrupt-gzip.js';
import { fixedChunks, randomChunks } from '../helpers/rechunk-bytes.js';
import { sharedData } from '../helpers/run-cli.js';

const obs = fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Observation.ndjson'));
const gz = zlib.gzipSync(obs);
const READ = 256 * 1024;

interface Drained {
  bytes: Buffer;
  code: unknown;
  at: unknown;
}

async function drain(chunks: Buffer[], how: 'copy' | 'reread', copy = new MemberCopy()): Promise<Drained> {
  const src = (): AsyncIterable<Buffer> =>
    (async function* () {
      yield* chunks;
    })();
  const out: Buffer[] = [];
  try {
    const it = how === 'copy' ? gunzipped(copy.tee(src()), { copy }) : gunzipped(src(), { reread: src });
    for await (const c of it) out.push(c);
    return { bytes: Buffer.concat(out), code: undefined, at: undefined };
  } catch (e) {
    return { bytes: Buffer.concat(out), code: (e as { code?: unknown }).code, at: (e as { gzipOffset?: unknown }).gzipOffset };
  } finally {
    copy.remove();
  }
}

/** Runs `fn` with $TMPDIR set to `dir`. */
function withTmpdir<T>(dir: string, fn: () => T): T {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

t.test('read once through a copy: every byte zlib decodes before the bad one, the error at its offset, as from a file', async (t) => {
  for (const near of [5_000, 100_000, READ + 75, gz.length - 30_000]) {
    const c = corruptNear(gz, near);
    for (const [name, chunks] of [
      ['reads of 64 KiB', fixedChunks(c.gz, 64 * 1024)],
      ['reads of 256 KiB', fixedChunks(c.gz, READ)],
      ['random reads', randomChunks(c.gz, 20240611, 100_000)],
      ['one read', [c.gz]],
    ] as const) {
      const r = await drain([...chunks], 'copy');
      t.equal(r.code, 'Z_DATA_ERROR', `${near}, ${name}: an error`);
      t.equal(r.at, c.at, `${near}, ${name}: at the byte zlib fails at`);
      t.ok(r.bytes.equals(c.decodable), `${near}, ${name}: the bytes zlib decodes before it (${r.bytes.length} of ${c.decodable.length})`);
      t.strictSame(r, await drain([...chunks], 'reread'), `${near}, ${name}: what a file gives`);
    }
  }
});

t.test('many members: the copy holds the current one only, a fault in a late member is found all the same', async (t) => {
  // 12 members (as concatenated exports make them), a fault in the 9th
  const cuts: Buffer[] = [];
  for (let from = 0, i = 0; from < obs.length; i++) {
    const to = i === 11 ? obs.length : obs.indexOf(0x0a, from + Math.floor(obs.length / 12)) + 1;
    cuts.push(obs.subarray(from, to));
    from = to;
  }
  const members = cuts.map((c) => zlib.gzipSync(c));
  const before = members.slice(0, 8);
  const offset = before.reduce((n, m) => n + m.length, 0);
  const c = corruptNear(members[8]!, Math.floor(members[8]!.length / 2));
  const input = Buffer.concat([...before, c.gz, ...members.slice(9)]);
  const copy = new MemberCopy();
  const r = await drain(fixedChunks(input, 64 * 1024), 'copy', copy);
  t.equal(r.at, offset + c.at, 'the offset in the whole input');
  t.ok(r.bytes.equals(Buffer.concat([...cuts.slice(0, 8), c.decodable])), 'every member before whole, the 9th up to the bad byte');
  // the bytes of the members before are gone from the copy
  const early = new MemberCopy();
  const it = gunzipped(early.tee((async function* () { yield* fixedChunks(input, 64 * 1024); })()), { copy: early });
  let out = 0;
  for await (const b of it) {
    out += b.length;
    if (out > cuts.slice(0, 8).reduce((n, x) => n + x.length, 0)) break;
  }
  await t.rejects(async () => {
    for await (const _ of early.readFrom(0)) void _;
  }, { code: 'ENOENT' }, 'the first member is no longer in the copy');
  early.remove();
});

t.test('the copy is never a name in $TMPDIR, and holds no more than a member and a read', { skip: !fs.existsSync('/proc/self/fd') && 'no /proc' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-copy-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  {
    // three members: twice the whole file, then a smaller one
    const small = zlib.gzipSync(obs.subarray(0, 500_000));
    const input = Buffer.concat([gz, gz, small]);
    const copy = withTmpdir(dir, () => new MemberCopy());
    const deleted = (): string[] =>
      fs.readdirSync('/proc/self/fd').map((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`);
        } catch {
          return '';
        }
      }).filter((l) => l.startsWith(dir));
    let largest = 0;
    const sizes = (): void => {
      for (const fd of fs.readdirSync('/proc/self/fd')) {
        try {
          if (fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)) largest = Math.max(largest, fs.fstatSync(Number(fd)).size);
        } catch {
          // gone meanwhile
        }
      }
    };
    const open = deleted();
    t.equal(open.length, 1, 'one file open');
    t.match(open[0], / \(deleted\)$/, 'unlinked as soon as it was made');
    t.same(fs.readdirSync(dir), [], 'nothing in $TMPDIR');
    let n = 0;
    for await (const _ of gunzipped(copy.tee((async function* () { yield* fixedChunks(input, 64 * 1024); })()), { copy })) {
      if (n++ % 8 === 0) sizes();
    }
    sizes();
    copy.remove();
    t.ok(largest > 0 && largest <= gz.length + 64 * 1024, `at most the largest member and a read (${largest} bytes, members of ${gz.length}, ${gz.length} and ${small.length})`);
    // the descriptor is closed after the operation in flight
    await new Promise((r) => setTimeout(r, 50));
    t.same(deleted(), [], 'closed after remove()');
  }
});

t.test('no copy can be made ($TMPDIR gone): the input is still read, what its failing call decoded is lost', async (t) => {
  const c = corruptNear(gz, READ + 30_000);
  const noCopy = (): MemberCopy => withTmpdir(path.join(os.tmpdir(), `deid-no-such-dir-${process.pid}`, 'x'), () => new MemberCopy());
  const copy = noCopy();
  const r = await drain(fixedChunks(c.gz, 64 * 1024), 'copy', copy);
  t.equal(r.code, 'Z_DATA_ERROR');
  t.equal(r.at, undefined, 'where zlib failed is not known');
  t.ok(r.bytes.length < c.decodable.length && c.decodable.subarray(0, r.bytes.length).equals(r.bytes), 'a prefix');
  // good input needs no copy
  const good = await drain(fixedChunks(gz, 64 * 1024), 'copy', noCopy());
  t.equal(good.code, undefined);
  t.ok(good.bytes.equals(obs));
});
