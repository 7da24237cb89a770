import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DeidError, ErrorCodes } from '../core/errors.js';
import { failed, type Failed, type Item } from '../core/record.js';
import { AtomicFile } from './atomic-file.js';
import { NdjsonSerializer } from './ndjson-serializer.js';

export interface BulkFolderWriterOptions {
  /** Output folder (created if missing). */
  dir: string;
  /** Write each Bundle entry's resource to its type's file instead of Bundle.ndjson. */
  unbundle?: boolean;
  /** File handles kept open at once (least recently used are closed). Default 8. */
  maxOpenFiles?: number;
  /** Manifest `transactionTime`. Pass a fixed value for byte-identical runs. Default: now. */
  transactionTime?: string;
  /** Manifest `request`. Default 'deid fhir'. */
  request?: string;
  /** Replace existing output files. Default false: existing ones are an OUTPUT_EXISTS error. */
  overwrite?: boolean;
  /**
   * With overwrite: the files a manifest already in the folder lists and this
   * writer does not write are removed once the new results are in place, so
   * that the folder holds one run's results. Default false.
   */
  replacePrevious?: boolean;
  /** Receives the failed input items and the values that could not be written. */
  onFailed?: (f: Failed) => void;
  /**
   * Called with each temporary file's path before it is created; the function
   * it returns is called once that file is renamed or removed. `deid fhir`
   * passes removeOnSignal, so SIGINT/SIGTERM/SIGHUP leave no temporary file
   * behind (store operations stop on a signal by themselves and pass nothing).
   */
  tempFile?: (tempPath: string) => () => void;
}

/** Manifest in the shape of a FHIR Bulk Data export's complete-status body. */
export interface BulkManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: false;
  output: Array<{ type: string; url: string; count: number }>;
  error: never[];
}

export const MANIFEST_NAME = 'manifest.json';

/** File names are built from resource types: only plain FHIR type names are accepted. */
const TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

export function isTypeFileName(type: string): boolean {
  return TYPE_NAME.test(type);
}

/**
 * Lines serialized elsewhere (by a worker thread, src/pipeline/fhir-batch.ts)
 * with the same NdjsonSerializer: per resource type, its text and how many
 * lines it holds. Types are already checked with isTypeFileName.
 */
export interface SerializedLines {
  kind: 'serialized';
  pieces: Array<[type: string, text: string, lines: number]>;
}
/** Text buffered per type before it is written. */
const FLUSH_BYTES = 64 * 1024;

interface TypeFile {
  type: string;
  file: AtomicFile;
  pending: string;
  count: number;
}

const NOTHING = (): void => undefined;

/**
 * Writes items into a folder in the bulk `$export` layout: `Type.ndjson` per
 * resource type (Bundles whole into `Bundle.ndjson` unless unbundled) and a
 * `manifest.json` (https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status).
 * Every file is written under a temporary name in the folder and renamed when
 * the stream finishes, the manifest last; a destroyed stream removes its
 * temporary files, so an aborted run leaves no half-written final file.
 */
export class BulkFolderWriter extends Writable {
  private readonly opts: BulkFolderWriterOptions;
  private readonly serializer: NdjsonSerializer;
  private readonly files = new Map<string, TypeFile>();
  /** Open handles, least recently used first. */
  private readonly openOrder: string[] = [];
  private readonly maxOpen: number;
  private readonly onFailed: (f: Failed) => void;
  private committed = false;
  /** `Type.ndjson` files the folder's previous manifest listed (replacePrevious). */
  private previous: string[] = [];
  /** The manifest written on finish. */
  manifest: BulkManifest | null = null;
  /** What tempFile returned for each temporary file not yet renamed or removed. */
  private readonly forgetTemps: Array<() => void> = [];

  constructor(opts: BulkFolderWriterOptions) {
    super({ objectMode: true });
    this.opts = opts;
    this.serializer = new NdjsonSerializer({ unbundle: opts.unbundle });
    this.maxOpen = Math.max(1, opts.maxOpenFiles ?? 8);
    this.onFailed = opts.onFailed ?? (() => undefined);
  }

  override _construct(cb: (error?: Error | null) => void): void {
    this.prepareDir().then(() => cb(), (e) => cb(e));
  }

  private async prepareDir(): Promise<void> {
    try {
      await fs.promises.mkdir(this.opts.dir, { recursive: true });
    } catch (e) {
      throw new DeidError('WRITE_FAILED', `${this.opts.dir} (${codeOf(e)})`);
    }
    if (this.opts.overwrite) {
      if (this.opts.replacePrevious) this.previous = await previousFiles(this.opts.dir);
      return;
    }
    const names = await fs.promises.readdir(this.opts.dir);
    const clash = names.find((n) => n === MANIFEST_NAME || n.endsWith('.ndjson'));
    if (clash) throw new DeidError('OUTPUT_EXISTS', path.join(this.opts.dir, clash));
  }

  /** File handles open right now (at most maxOpenFiles). */
  get openFileCount(): number {
    return this.openOrder.length;
  }

  /** Resource types written so far and their line counts. */
  get counts(): Record<string, number> {
    const c: Record<string, number> = {};
    for (const [t, f] of this.files) c[t] = f.count;
    return c;
  }

  override _write(item: Item | SerializedLines, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    if (item.kind === 'failed') {
      this.onFailed(item);
      cb();
      return;
    }
    const full = new Set<TypeFile>();
    if (item.kind === 'serialized') {
      for (const [type, text, lines] of item.pieces) {
        const tf = this.files.get(type) ?? this.newTypeFile(type);
        tf.pending += text;
        tf.count += lines;
        if (tf.pending.length >= FLUSH_BYTES) full.add(tf);
      }
    } else this.serializer.write(
      item,
      (type, text, lineEnds) => {
        const tf = this.typeFile(type, item);
        if (!tf) return;
        tf.pending += text;
        if (lineEnds) tf.count++;
        if (tf.pending.length >= FLUSH_BYTES) full.add(tf);
      },
      this.onFailed,
    );
    if (full.size === 0) {
      cb();
      return;
    }
    this.flushAll(full).then(() => cb(), (e) => cb(writeFailed(e)));
  }

  private async flushAll(tfs: Iterable<TypeFile>): Promise<void> {
    for (const tf of tfs) await this.flushType(tf);
  }

  /** The file for a type, or null (and a failure reported) if the type cannot name a file. */
  private typeFile(type: string, item: Item): TypeFile | null {
    const tf = this.files.get(type);
    if (tf) return tf;
    if (!isTypeFileName(type)) {
      this.onFailed(failed('UNKNOWN_RESOURCE_TYPE', ErrorCodes.UNKNOWN_RESOURCE_TYPE, item.loc));
      return null;
    }
    return this.newTypeFile(type);
  }

  private newTypeFile(type: string): TypeFile {
    const tf = { type, file: this.atomicFile(`${type}.ndjson`), pending: '', count: 0 };
    this.files.set(type, tf);
    return tf;
  }

  private atomicFile(name: string): AtomicFile {
    const f = new AtomicFile(path.join(this.opts.dir, name));
    this.forgetTemps.push(this.opts.tempFile?.(f.tempPath) ?? NOTHING);
    return f;
  }

  /** The temporary files are renamed or removed: a signal has nothing left to remove. */
  private forgetTempFiles(): void {
    for (const forget of this.forgetTemps.splice(0)) forget();
  }

  private async flushType(tf: TypeFile): Promise<void> {
    if (tf.pending.length === 0) return;
    const type = tf.type;
    const i = this.openOrder.indexOf(type);
    if (i >= 0) {
      this.openOrder.splice(i, 1);
    } else {
      while (this.openOrder.length >= this.maxOpen) {
        const victim = this.files.get(this.openOrder.shift()!)!;
        await victim.file.close();
      }
    }
    this.openOrder.push(type);
    const text = tf.pending;
    tf.pending = '';
    await tf.file.append(text);
  }

  override _final(cb: (error?: Error | null) => void): void {
    this.finish().then(() => cb(), (e) => cb(e instanceof DeidError ? e : writeFailed(e)));
  }

  private async finish(): Promise<void> {
    const leftOpen = this.serializer.finish((type, text, lineEnds) => {
      const tf = this.typeFile(type, { kind: 'end', tail: {}, loc: { file: '-' } });
      if (!tf) return;
      tf.pending += text;
      if (lineEnds) tf.count++;
    });
    if (leftOpen) this.onFailed(leftOpen);
    const types = [...this.files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const t of types) {
      const tf = this.files.get(t)!;
      await this.flushType(tf);
      await tf.file.close();
    }
    this.openOrder.length = 0;
    const manifest: BulkManifest = {
      transactionTime: this.opts.transactionTime ?? new Date().toISOString(),
      request: this.opts.request ?? 'deid fhir',
      requiresAccessToken: false,
      output: types.filter((t) => this.files.get(t)!.count > 0).map((t) => ({ type: t, url: `${t}.ndjson`, count: this.files.get(t)!.count })),
      error: [],
    };
    const mfile = this.atomicFile(MANIFEST_NAME);
    try {
      await mfile.append(JSON.stringify(manifest, null, 2) + '\n');
      for (const t of types) await this.files.get(t)!.file.commit();
      await mfile.commit();
    } catch (e) {
      mfile.discard();
      throw e;
    }
    this.committed = true;
    this.forgetTempFiles();
    this.manifest = manifest;
    for (const name of this.previous) {
      if (this.files.has(name.slice(0, -'.ndjson'.length))) continue;
      try {
        await fs.promises.rm(path.join(this.opts.dir, name), { force: true });
      } catch (e) {
        throw new DeidError('WRITE_FAILED', `${path.join(this.opts.dir, name)} (${codeOf(e)})`);
      }
    }
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    if (this.committed) {
      cb(err);
      return;
    }
    try {
      for (const tf of this.files.values()) tf.file.discard();
    } catch {
      // best effort: the error being reported is the one that aborted the run
    }
    this.forgetTempFiles();
    cb(err);
  }
}

/** The `Type.ndjson` files a manifest in `dir` lists (none if it has no readable manifest). */
async function previousFiles(dir: string): Promise<string[]> {
  let m: unknown;
  try {
    m = JSON.parse(await fs.promises.readFile(path.join(dir, MANIFEST_NAME), 'utf8'));
  } catch {
    return [];
  }
  const output = (m as { output?: unknown } | null)?.output;
  if (!Array.isArray(output)) return [];
  const names = output.map((o) => (o as { url?: unknown } | null)?.url);
  // only plain names this writer could have written: never a path out of the folder
  return names.filter((u): u is string => typeof u === 'string' && u.endsWith('.ndjson') && isTypeFileName(u.slice(0, -'.ndjson'.length)));
}

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : 'error';
}

function writeFailed(e: unknown): DeidError {
  return new DeidError('WRITE_FAILED', codeOf(e));
}

export function createBulkFolderWriter(opts: BulkFolderWriterOptions): BulkFolderWriter {
  return new BulkFolderWriter(opts);
}
