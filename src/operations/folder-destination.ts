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

function bucketOf(id: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % buckets;
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

/**
 * Numbers (0-based, among the non-blank lines) of the lines of `final` whose
 * id one of `files` carries, as a bitmap. Below `limit` ids the ids are held
 * in a Set; above, ids and (line, id) pairs are split by a hash of the id
 * into bucket files, and one bucket's ids are held at a time: memory is one
 * bucket plus a bit per line of `final`.
 */
async function replacedLines(final: string, files: string[], limit: number): Promise<{ replaced: (line: number) => boolean }> {
  let count = 0;
  for (const f of files) for await (const _ of linesOf(f)) count++;
  if (count <= limit) {
    const ids = new Set<string>();
    for (const f of files) for await (const line of linesOf(f)) {
      const id = idOf(line);
      if (id !== undefined) ids.add(id);
    }
    const bits = new LineBits();
    let n = 0;
    for await (const line of linesOf(final)) {
      const id = idOf(line);
      if (id !== undefined && ids.has(id)) bits.set(n);
      n++;
    }
    return { replaced: (i) => bits.has(i) };
  }
  const buckets = Math.ceil(count / limit);
  const dir = await fs.promises.mkdtemp(path.join(path.dirname(final), '.deid-join-'));
  try {
    const written = new BucketFiles(dir, 'w', buckets);
    for (const f of files) for await (const line of linesOf(f)) {
      const id = idOf(line);
      if (id !== undefined) written.add(bucketOf(id, buckets), JSON.stringify(id));
    }
    written.flushAll();
    const existing = new BucketFiles(dir, 'e', buckets);
    let n = 0;
    for await (const line of linesOf(final)) {
      const id = idOf(line);
      if (id !== undefined) existing.add(bucketOf(id, buckets), `${n}\t${JSON.stringify(id)}`);
      n++;
    }
    existing.flushAll();
    const bits = new LineBits();
    for (let b = 0; b < buckets; b++) {
      const ids = new Set<string>();
      for await (const l of linesOf(written.file(b))) ids.add(JSON.parse(l) as string);
      for await (const l of linesOf(existing.file(b))) {
        const tab = l.indexOf('\t');
        if (ids.has(JSON.parse(l.slice(tab + 1)) as string)) {
          bits.set(Number(l.slice(0, tab)));
        }
      }
    }
    return { replaced: (i) => bits.has(i) };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes to tmp the lines of final whose id none of files carries, then
 * files; returns the line count. Memory stays bounded by `limit` ids however
 * large the store (see replacedLines).
 */
export async function mergeInto(tmp: string, final: string, files: string[], limit = JOIN_IDS_IN_MEMORY): Promise<number> {
  const { replaced } = await replacedLines(final, files, limit);
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
  let n = 0;
  for await (const line of linesOf(final)) {
    if (!replaced(n++)) {
      await put(line);
      count++;
    }
  }
  for (const f of files) for await (const line of linesOf(f)) {
    await put(line);
    count++;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return count;
}

/**
 * A folder in the bulk layout. Each unit is written as a complete bulk
 * folder of its own under `<dir>/.deid-parts/<operation>/` (committed
 * atomically when the unit ends, so a finished unit survives a kill); when
 * every unit is done the parts are joined per type, in unit order, into
 * `<dir>/Type.ndjson` (hard links when a type has one part) and the manifest
 * is written last. A kill during that step leaves the parts, and resuming
 * joins them again. When some units wait for a resume (records a retry may
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

  async finalize(units: string[], complete = true): Promise<void> {
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
        const files = byType.get(type)!.files;
        if (fs.existsSync(final)) {
          // An existing destination keeps the records this operation does not write (an upsert by id, as in the other stores).
          byType.get(type)!.count = await mergeInto(tmp, final, files);
        } else if (files.length === 1) {
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
    if (!complete) return;
    fs.rmSync(this.partsRoot, { recursive: true, force: true });
    try {
      fs.rmdirSync(path.dirname(this.partsRoot));
    } catch {
      // other operations' parts are still there
    }
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
