import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DeidError, ErrorCodes } from '../core/errors.js';
import { failed, type Failed, type Item } from '../core/record.js';
import { BundleStreamCore } from './bundle-stream.js';
import { LineSplitterCore, type SplitLine } from './line-splitter.js';
import { DEFAULT_MAX_DEPTH, parseLine } from './ndjson-records.js';

/** How an input's bytes are read: by its name, or sniffed from its first line. */
export type InputFormat = 'ndjson' | 'json' | 'sniff';

export interface ResolvedInput {
  /** The path as given (or joined to the folder given); '-' for stdin. */
  file: string;
  /** Path to open, or null for stdin. */
  path: string | null;
  format: InputFormat;
  /** Gunzip first. For a sniffed input the gzip magic is also sniffed. */
  gzip: boolean;
}

export interface OpenInputsOptions {
  /** Largest NDJSON line in bytes. Default 64 MiB. */
  maxLineLength?: number;
  /** Deepest accepted JSON nesting. Default 256. */
  maxDepth?: number;
  /** Bytes looked at to tell NDJSON from one JSON document. Default 1 MiB. */
  sniffLimit?: number;
  /** Stream read for '-' (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Read size for files. Default 256 KiB. */
  readSize?: number;
}

export const DEFAULT_SNIFF_LIMIT = 1024 * 1024;

const MANIFEST = 'manifest.json';
/** A Bulk Data manifest is small; a bigger file is not one. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Format from a file name; `.gz` is peeled first. */
export function formatFromName(name: string): { format: InputFormat; gzip: boolean } {
  let n = name.toLowerCase();
  const gzip = n.endsWith('.gz');
  if (gzip) n = n.slice(0, -3);
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl')) return { format: 'ndjson', gzip };
  if (n.endsWith('.json')) return { format: 'json', gzip };
  return { format: 'sniff', gzip };
}

function isBulkFile(name: string): boolean {
  return name.endsWith('.ndjson') || name.endsWith('.ndjson.gz');
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Local file names listed by a FHIR Bulk Data manifest (`output[].url`, in
 * manifest order): each url's last path segment, looked up in the folder.
 * https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status
 */
export function manifestFileNames(manifest: unknown): string[] {
  const output = (manifest as { output?: unknown } | null)?.output;
  if (!Array.isArray(output)) throw new DeidError('READ_FAILED', `${MANIFEST} has no output array`);
  return output.map((o, i) => {
    const url = (o as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || url.length === 0) throw new DeidError('READ_FAILED', `${MANIFEST} output[${i}] has no url`);
    let pathname: string;
    try {
      pathname = new URL(url, 'file:///').pathname;
    } catch {
      throw new DeidError('READ_FAILED', `${MANIFEST} output[${i}] url is not a URL`);
    }
    const name = decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1));
    if (name === '' || name === '.' || name === '..') throw new DeidError('READ_FAILED', `${MANIFEST} output[${i}] url names no file`);
    return name;
  });
}

async function expandFolder(given: string): Promise<ResolvedInput[]> {
  const names = await fs.promises.readdir(given);
  let files: string[];
  if (names.includes(MANIFEST)) {
    const mpath = path.join(given, MANIFEST);
    const st = await fs.promises.stat(mpath);
    if (st.size > MAX_MANIFEST_BYTES) throw new DeidError('READ_FAILED', `${mpath} is too large for a manifest`);
    let manifest: unknown;
    try {
      manifest = JSON.parse(await fs.promises.readFile(mpath, 'utf8'));
    } catch {
      throw new DeidError('READ_FAILED', `${mpath} is not valid JSON`);
    }
    files = manifestFileNames(manifest);
    for (const f of files) {
      if (!names.includes(f)) throw new DeidError('INPUT_NOT_FOUND', path.join(given, f), { file: path.join(given, f) });
    }
  } else {
    files = names.filter(isBulkFile).sort(byCodePoint);
  }
  return files.map((f) => ({ file: path.join(given, f), path: path.join(given, f), ...formatFromName(f) }));
}

/**
 * Resolves INPUT arguments to the list of inputs to read, in order. Throws
 * DeidError INPUT_NOT_FOUND before anything is read when one does not exist.
 * No arguments means stdin.
 */
export async function resolveInputs(inputs: readonly string[]): Promise<ResolvedInput[]> {
  const list = inputs.length === 0 ? ['-'] : inputs;
  const resolved: ResolvedInput[] = [];
  for (const given of list) {
    if (given === '-') {
      resolved.push({ file: '-', path: null, format: 'sniff', gzip: false });
      continue;
    }
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(given);
    } catch {
      throw new DeidError('INPUT_NOT_FOUND', given, { file: given });
    }
    if (st.isDirectory()) resolved.push(...(await expandFolder(given)));
    else resolved.push({ file: given, path: given, ...formatFromName(given) });
  }
  return resolved;
}

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function readFailure(e: unknown): { code: 'GZIP_CORRUPT' | 'READ_FAILED'; reason: string } {
  // only the code: an error message is not ours to copy
  return isZlibError(e)
    ? { code: 'GZIP_CORRUPT', reason: ErrorCodes.GZIP_CORRUPT }
    : { code: 'READ_FAILED', reason: ErrorCodes.READ_FAILED };
}

async function* gunzipped(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gz = createGunzip();
  const feeder = Readable.from(src, { objectMode: false });
  feeder.on('error', (e) => gz.destroy(e));
  feeder.pipe(gz);
  try {
    for await (const chunk of gz) yield chunk as Buffer;
  } finally {
    feeder.destroy();
    gz.destroy();
  }
}

async function* prepend(first: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  for (const b of first) yield b;
  try {
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await rest.return?.();
  }
}

type Sniffed = 'ndjson' | 'json' | 'gzip' | undefined;

/**
 * NDJSON or one JSON document? NDJSON when the first non-blank line parses as
 * JSON and a newline follows it; anything else is one document. Undefined
 * while more bytes are needed (never past `limit` bytes).
 */
export function sniffFormat(head: Buffer, eof: boolean, limit: number, allowGzip: boolean): Sniffed {
  if (allowGzip && head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (allowGzip && head.length < 2 && !eof) return undefined;
  let pos = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (;;) {
    const nl = head.indexOf(0x0a, pos);
    if (nl === -1) {
      const rest = head.subarray(pos);
      if (rest.toString('latin1').trim() === '' && eof) return 'ndjson'; // empty input: no records
      if (eof || head.length >= limit) return 'json';
      return undefined;
    }
    const line = head.subarray(pos, nl).toString('utf8');
    if (line.trim() !== '') {
      try {
        JSON.parse(line);
        return 'ndjson';
      } catch {
        return 'json';
      }
    }
    pos = nl + 1;
  }
}

async function* ndjsonBatches(bytes: AsyncIterable<Buffer>, file: string, opts: OpenInputsOptions): AsyncGenerator<Item[]> {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const splitter = new LineSplitterCore({ file, maxLineLength: opts.maxLineLength });
  const lines: Array<SplitLine | Failed> = [];
  const toItems = (): Item[] => {
    const items = lines.map((l): Item => ('kind' in l ? l : parseLine(l.line, { file, line: l.lineNo, offset: l.offset }, maxDepth)));
    lines.length = 0;
    return items;
  };
  let failure: Failed | undefined;
  try {
    for await (const chunk of bytes) {
      splitter.push(chunk, lines);
      if (lines.length > 0) yield toItems();
    }
  } catch (e) {
    // the partial last line was cut off: it is not a record of its own
    splitter.dropTail();
    const { code, reason } = readFailure(e);
    failure = failed(code, reason, { file, line: splitter.lineCount + 1 });
  }
  if (!failure) splitter.end(lines);
  const items = toItems();
  if (failure) items.push(failure);
  if (items.length > 0) yield items;
}

async function* jsonBatches(bytes: AsyncIterable<Buffer>, file: string, opts: OpenInputsOptions): AsyncGenerator<Item[]> {
  const core = new BundleStreamCore({ file, maxDepth: opts.maxDepth });
  const out: Item[] = [];
  try {
    for await (const chunk of bytes) {
      core.push(chunk, out);
      if (out.length > 0) yield out.splice(0);
      if (core.isFailed()) return; // the rest of the document cannot be read
    }
    core.end(out);
  } catch (e) {
    const { code, reason } = readFailure(e);
    core.abort(code, reason, out);
  }
  if (out.length > 0) yield out.splice(0);
}

async function* sniffedBatches(
  bytes: AsyncIterable<Buffer>,
  file: string,
  opts: OpenInputsOptions,
  allowGzip: boolean,
): AsyncGenerator<Item[]> {
  const limit = opts.sniffLimit ?? DEFAULT_SNIFF_LIMIT;
  const it = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let kind: Sniffed;
  try {
    for (;;) {
      const r = await it.next();
      if (!r.done) {
        head.push(r.value);
        size += r.value.length;
      }
      kind = sniffFormat(head.length === 1 ? head[0] : Buffer.concat(head, size), !!r.done, limit, allowGzip);
      if (kind !== undefined) break;
    }
  } catch (e) {
    const { code, reason } = readFailure(e);
    yield [failed(code, reason, { file, offset: size })];
    return;
  }
  const all = prepend(head, it);
  if (kind === 'gzip') yield* sniffedBatches(gunzipped(all), file, opts, false);
  else if (kind === 'ndjson') yield* ndjsonBatches(all, file, opts);
  else yield* jsonBatches(all, file, opts);
}

function rawBytes(input: ResolvedInput, opts: OpenInputsOptions): AsyncIterable<Buffer> {
  if (input.path === null) return (opts.stdin ?? process.stdin) as AsyncIterable<Buffer>;
  return fs.createReadStream(input.path, { highWaterMark: opts.readSize ?? 256 * 1024 });
}

/** Items of one input, in batches (one per chunk read). */
export function readInputBatches(input: ResolvedInput, opts: OpenInputsOptions = {}): AsyncGenerator<Item[]> {
  const raw = rawBytes(input, opts);
  const bytes = input.gzip ? gunzipped(raw) : raw;
  if (input.format === 'ndjson') return ndjsonBatches(bytes, input.file, opts);
  if (input.format === 'json') return jsonBatches(bytes, input.file, opts);
  return sniffedBatches(bytes, input.file, opts, !input.gzip);
}

async function* allBatches(inputs: readonly string[], opts: OpenInputsOptions): AsyncGenerator<Item[]> {
  const resolved = await resolveInputs(inputs);
  for (const input of resolved) yield* readInputBatches(input, opts);
}

/** All inputs' items in order, as an async iterable. */
export async function* iterateInputs(inputs: readonly string[], opts: OpenInputsOptions = {}): AsyncGenerator<Item> {
  for await (const batch of allBatches(inputs, opts)) yield* batch;
}

/**
 * Object-mode Readable of every input's items, in input order, pulled only as
 * fast as it is read. An input that cannot be resolved destroys the stream
 * with DeidError INPUT_NOT_FOUND before any input is opened.
 */
class InputItems extends Readable {
  private pumping = false;

  constructor(private readonly batches: AsyncGenerator<Item[]>) {
    super({ objectMode: true, highWaterMark: 64 });
  }

  override _read(): void {
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const r = await this.batches.next();
        if (r.done) {
          this.push(null);
          return;
        }
        let more = true;
        for (const item of r.value) more = this.push(item);
        if (!more) return;
      }
    } catch (e) {
      this.destroy(e as Error);
    } finally {
      this.pumping = false;
    }
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    // closes the open file; a pending read finishes first, so do not wait for it
    this.batches.return(undefined).catch(() => undefined);
    cb(err);
  }
}

export function openInputs(inputs: readonly string[], opts: OpenInputsOptions = {}): Readable {
  return new InputItems(allBatches(inputs, opts));
}

/** Same as openInputs, for inputs already resolved with resolveInputs. */
export function openResolvedInputs(inputs: readonly ResolvedInput[], opts: OpenInputsOptions = {}): Readable {
  async function* batches(): AsyncGenerator<Item[]> {
    for (const input of inputs) yield* readInputBatches(input, opts);
  }
  return new InputItems(batches());
}
