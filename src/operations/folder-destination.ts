import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { DeidError } from '../core/errors.js';
import type { Failed } from '../core/record.js';
import { BulkFolderWriter, MANIFEST_NAME, type BulkManifest } from '../sinks/bulk-folder-writer.js';
import { AtomicFile } from '../sinks/atomic-file.js';
import { writeItem, type Destination, type UnitWriter } from './destination.js';
import type { UnitLedger } from './unit-ledger.js';

export const PARTS_DIR = '.deid-parts';

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : 'error';
}

function idOf(line: string): string | undefined {
  try {
    const id = (JSON.parse(line) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

async function* linesOf(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== '') yield line;
}

/** Ids held in memory at once by the join; above this it goes through bucket files. */
export const JOIN_IDS_IN_MEMORY = 250_000;

/** FNV-1a over the UTF-16 units of a string. */
function hash32(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function bucketOf(id: string, buckets: number): number {
  return hash32(id) % buckets;
}

/** Bits of the hash filter: about one a byte of the parts, 2^16 at least and 2^27 (16 MiB) at most. */
function filterBits(files: string[]): number {
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(f).size;
  let bits = 16;
  while (bits < 27 && 2 ** bits < bytes) bits++;
  return bits;
}

/**
 * One pass over the parts: their line count and the (masked) hashes of the
 * ids seen more than once. Two lines of one id always share a hash, so an id
 * whose hash is not in the set occurs once; a few unique ids share a hash
 * by chance (about 1 % at a million ids) and are looked at exactly later.
 * undefined when more than `limit` hashes repeat (then every id is looked at).
 */
async function repeatedHashes(files: string[], limit: number, filter: boolean): Promise<{ count: number; mask: number; maybeRepeated: Set<number> | undefined }> {
  const bits = filter ? filterBits(files) : 3;
  const mask = 2 ** bits - 1;
  const seen = new Uint8Array(2 ** (bits - 3));
  let repeated: Set<number> | undefined = filter ? new Set<number>() : undefined;
  let count = 0;
  for (const f of files) for await (const line of linesOf(f)) {
    count++;
    if (repeated === undefined) continue;
    const id = idOfPartLine(line);
    if (id === undefined) continue;
    const h = hash32(id) & mask;
    const bit = 1 << (h & 7);
    if ((seen[h >>> 3]! & bit) === 0) seen[h >>> 3]! |= bit;
    else {
      repeated.add(h);
      if (repeated.size > limit) repeated = undefined;
    }
  }
  return { count, mask, maybeRepeated: repeated };
}

/** A bit per line number, growing as needed. */
class LineBits {
  #bits = new Uint8Array(1024);

  set(i: number): void {
    if (i >>> 3 >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(this.#bits.length * 2, (i >>> 3) + 1));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    this.#bits[i >>> 3]! |= 1 << (i & 7);
  }

  has(i: number): boolean {
    return i >>> 3 < this.#bits.length && (this.#bits[i >>> 3]! & (1 << (i & 7))) !== 0;
  }
}

/** Appends lines to one of several files, a few open at a time (each file is written whole, then closed). */
class BucketFiles {
  readonly #text: string[];
  constructor(readonly dir: string, readonly prefix: string, readonly n: number) {
    this.#text = Array.from({ length: n }, () => '');
    for (let b = 0; b < n; b++) fs.writeFileSync(this.file(b), '');
  }

  file(b: number): string {
    return path.join(this.dir, `${this.prefix}${b}`);
  }

  add(b: number, line: string): void {
    this.#text[b] += line + '\n';
    if (this.#text[b]!.length >= 64 * 1024) this.flush(b);
  }

  flush(b: number): void {
    if (this.#text[b]) fs.appendFileSync(this.file(b), this.#text[b]!);
    this.#text[b] = '';
  }

  flushAll(): void {
    for (let b = 0; b < this.n; b++) this.flush(b);
  }
}

/** Id of a line this deid wrote (JSON.stringify output: no duplicate keys), read without parsing the line when it starts the usual way. */
const LEADING_ID = /^\{"resourceType":"[A-Za-z0-9]*","id":"([^"\\]*)"[,}]/;

function idOfPartLine(line: string): string | undefined {
  const m = LEADING_ID.exec(line);
  return m ? m[1] : idOf(line);
}

/** What the join keeps: line numbers (0-based, non-blank lines) of final replaced, of the parts (counted across them in order) superseded. */
interface JoinPlan {
  replaced: (line: number) => boolean;
  superseded: (line: number) => boolean;
  /** Lines of the parts superseded by a later line of the same id. */
  duplicates: number;
  /** Non-blank lines of the parts. */
  lines: number;
}

/**
 * The join of `files` (in order) into `final`: a line of `final` is replaced
 * when one of the files carries its id; a line of the files is superseded
 * when a later one carries its id (the last one read wins, as a store's
 * upsert would leave it). Without a final file, a first pass keeps a hash
 * filter of about a bit a byte of the parts (16 MiB at most), and only ids
 * whose hash repeats are looked at further (none, usually). Below `limit`
 * ids the ids are held in a Map; above, (line, id) pairs are split by a hash
 * of the id into bucket files, and one bucket's ids are held at a time:
 * memory is one bucket plus a bit per line of `final` and of the files.
 */
async function joinPlan(final: string | undefined, files: string[], limit: number): Promise<JoinPlan> {
  const { count, mask, maybeRepeated } = await repeatedHashes(files, limit, final === undefined);
  const replaced = new LineBits();
  const superseded = new LineBits();
  let duplicates = 0;
  const plan = (): JoinPlan => ({ replaced: (i) => replaced.has(i), superseded: (i) => superseded.has(i), duplicates, lines: count });
  // without a file to merge into, only ids whose hash came twice can be repeated: the others need no look
  const wanted = (id: string): boolean => final !== undefined || maybeRepeated === undefined || maybeRepeated.has(hash32(id) & mask);
  if (final === undefined && maybeRepeated?.size === 0) return plan();
  if (count <= limit) {
    const last = new Map<string, number>();
    let j = 0;
    for (const f of files) for await (const line of linesOf(f)) {
      const id = idOfPartLine(line);
      if (id !== undefined && wanted(id)) {
        const before = last.get(id);
        if (before !== undefined) {
          superseded.set(before);
          duplicates++;
        }
        last.set(id, j);
      }
      j++;
    }
    if (final !== undefined) {
      let n = 0;
      for await (const line of linesOf(final)) {
        const id = idOf(line);
        if (id !== undefined && last.has(id)) replaced.set(n);
        n++;
      }
    }
    return plan();
  }
  const buckets = Math.ceil(count / limit);
  const dir = await fs.promises.mkdtemp(path.join(path.dirname(final ?? files[0]!), '.deid-join-'));
  try {
    const written = new BucketFiles(dir, 'w', buckets);
    let j = 0;
    for (const f of files) for await (const line of linesOf(f)) {
      const id = idOfPartLine(line);
      if (id !== undefined && wanted(id)) written.add(bucketOf(id, buckets), `${j}\t${JSON.stringify(id)}`);
      j++;
    }
    written.flushAll();
    const existing = new BucketFiles(dir, 'e', buckets);
    if (final !== undefined) {
      let n = 0;
      for await (const line of linesOf(final)) {
        const id = idOf(line);
        if (id !== undefined) existing.add(bucketOf(id, buckets), `${n}\t${JSON.stringify(id)}`);
        n++;
      }
      existing.flushAll();
    }
    for (let b = 0; b < buckets; b++) {
      // a bucket's lines are in line order: the last one of an id is the one kept
      const last = new Map<string, number>();
      for await (const l of linesOf(written.file(b))) {
        const tab = l.indexOf('\t');
        const id = JSON.parse(l.slice(tab + 1)) as string;
        const before = last.get(id);
        if (before !== undefined) {
          superseded.set(before);
          duplicates++;
        }
        last.set(id, Number(l.slice(0, tab)));
      }
      for await (const l of linesOf(existing.file(b))) {
        const tab = l.indexOf('\t');
        if (last.has(JSON.parse(l.slice(tab + 1)) as string)) replaced.set(Number(l.slice(0, tab)));
      }
    }
    return plan();
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

export interface JoinResult {
  /** Lines written. */
  count: number;
  /** Lines of the files left out because a later line carries the same id. */
  duplicates: number;
}

/**
 * Writes to tmp the lines of final (when given) whose id none of files
 * carries, then the lines of files whose id no later line carries: each id
 * once, its last version. Memory stays bounded by `limit` ids however large
 * the store (see joinPlan). Without final and without a repeated id, the
 * files are linked (one) or concatenated as they are.
 */
export async function joinInto(tmp: string, final: string | undefined, files: string[], limit = JOIN_IDS_IN_MEMORY): Promise<JoinResult> {
  const { replaced, superseded, duplicates, lines } = await joinPlan(final, files, limit);
  if (final === undefined && duplicates === 0) {
    if (files.length === 1) {
      try {
        fs.linkSync(files[0]!, tmp);
      } catch {
        fs.copyFileSync(files[0]!, tmp);
      }
    } else {
      const out = fs.createWriteStream(tmp);
      for (const f of files) await pipeline(fs.createReadStream(f), out, { end: false });
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    }
    return { count: lines, duplicates };
  }
  const out = fs.createWriteStream(tmp);
  const put = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(line + '\n')) return resolve();
      // both listeners go once either fires: a long join must not pile up 'error' listeners
      const onError = (e: Error): void => {
        out.off('drain', onDrain);
        reject(e);
      };
      const onDrain = (): void => {
        out.off('error', onError);
        resolve();
      };
      out.once('drain', onDrain).once('error', onError);
    });
  let count = 0;
  if (final !== undefined) {
    let n = 0;
    for await (const line of linesOf(final)) {
      if (!replaced(n++)) {
        await put(line);
        count++;
      }
    }
  }
  let j = 0;
  for (const f of files) for await (const line of linesOf(f)) {
    if (!superseded(j++)) {
      await put(line);
      count++;
    }
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { count, duplicates };
}

/**
 * A folder in the bulk layout. Each unit is written as a complete bulk
 * folder of its own under `<dir>/.deid-parts/<operation>/` (committed
 * atomically when the unit ends, so a finished unit survives a kill); when
 * every unit is done the parts are joined per type, in unit order, into
 * `<dir>/Type.ndjson` (hard links when a type has one part) and the manifest
 * is written last; each id is written once per type, its last version read
 * (in unit order, then line order), and finalize returns how many lines
 * were left out so per type. A kill during that step leaves the parts, and
 * resuming joins them again. When some units wait for a resume (records a retry may
 * cure), the finished parts are joined already and kept for the next join.
 */
export class FolderDestination implements Destination {
  readonly partsRoot: string;

  constructor(readonly dir: string, operationId: string, readonly transactionTime: string, readonly request: string) {
    this.partsRoot = path.join(dir, PARTS_DIR, operationId);
  }

  partDir(unit: string): string {
    return path.join(this.partsRoot, Buffer.from(unit, 'utf8').toString('hex'));
  }

  async unitWriter(unit: string, ledger: UnitLedger): Promise<UnitWriter> {
    const dir = this.partDir(unit);
    try {
      await fs.promises.rm(dir, { recursive: true, force: true });
    } catch (e) {
      throw new DeidError('WRITE_FAILED', `${dir} (${codeOf(e)})`);
    }
    const state: { error?: Error } = {};
    const w = new BulkFolderWriter({
      dir,
      overwrite: true,
      transactionTime: this.transactionTime,
      request: this.request,
      // a record the folder cannot take is reported while it is being written: the latest pending one
      onFailed: (f: Failed) => ledger.handedFailed(ledger.handedCount - 1, f),
    });
    w.on('error', (e: Error) => (state.error = e));
    return {
      keyed: false,
      write: (item) => writeItem(w, item, state),
      async end() {
        w.end();
        await new Promise<void>((resolve, reject) => {
          w.once('finish', resolve);
          w.once('error', reject);
        });
        if (state.error) throw state.error;
        ledger.resolvedUpTo(ledger.handedCount);
      },
      abort() {
        w.destroy();
      },
      sync() {},
    };
  }

  async finalize(units: string[], complete = true): Promise<Record<string, number>> {
    const duplicates: Record<string, number> = {};
    const byType = new Map<string, { files: string[]; count: number }>();
    for (const unit of units) {
      const dir = this.partDir(unit);
      let m: BulkManifest;
      try {
        m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), 'utf8')) as BulkManifest;
      } catch {
        continue; // a unit cut short by a signal has no manifest
      }
      for (const o of m.output) {
        const t = byType.get(o.type) ?? { files: [], count: 0 };
        t.files.push(path.join(dir, o.url));
        t.count += o.count;
        byType.set(o.type, t);
      }
    }
    await fs.promises.mkdir(this.dir, { recursive: true });
    const types = [...byType.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const staged: Array<{ tmp: string; final: string }> = [];
    try {
      for (const type of types) {
        const final = path.join(this.dir, `${type}.ndjson`);
        const tmp = path.join(this.dir, `.${type}.ndjson.${process.pid}.join.tmp`);
        fs.rmSync(tmp, { force: true });
        const t = byType.get(type)!;
        // An existing destination keeps the records this operation does not write (an upsert by id, as in the other
        // stores); an id read twice (a server's paging that repeats a resource) is written once, its last version
        const joined = await joinInto(tmp, fs.existsSync(final) ? final : undefined, t.files);
        t.count = joined.count;
        if (joined.duplicates > 0) duplicates[type] = joined.duplicates;
        staged.push({ tmp, final });
      }
      const output = types.map((t) => ({ type: t, url: `${t}.ndjson`, count: byType.get(t)!.count }));
      const manifest: BulkManifest = {
        transactionTime: this.transactionTime,
        request: this.request,
        requiresAccessToken: false,
        output: [...output, ...this.keptEntries(new Set(types))],
        error: [],
      };
      for (const s of staged) fs.renameSync(s.tmp, s.final);
      const mf = new AtomicFile(path.join(this.dir, MANIFEST_NAME));
      await mf.append(JSON.stringify(manifest, null, 2) + '\n');
      await mf.commit();
    } catch (e) {
      for (const s of staged) fs.rmSync(s.tmp, { force: true });
      throw e instanceof DeidError ? e : new DeidError('WRITE_FAILED', `${this.dir} (${codeOf(e)})`);
    }
    if (!complete) return duplicates;
    fs.rmSync(this.partsRoot, { recursive: true, force: true });
    try {
      fs.rmdirSync(path.dirname(this.partsRoot));
    } catch {
      // other operations' parts are still there
    }
    return duplicates;
  }

  /** Entries of an existing destination manifest for types this operation did not write. */
  private keptEntries(written: Set<string>): BulkManifest['output'] {
    try {
      const old = JSON.parse(fs.readFileSync(path.join(this.dir, MANIFEST_NAME), 'utf8')) as BulkManifest;
      return (old.output ?? []).filter((o) => typeof o?.type === 'string' && !written.has(o.type) && fs.existsSync(path.join(this.dir, path.basename(String(o.url)))));
    } catch {
      return [];
    }
  }
}
