import fs from 'node:fs';
import { Readable } from 'node:stream';
import { DeidError, ErrorCodes } from '../core/errors.js';
import { failed, type ContainerStart, type Failed, type Item, type Location } from '../core/record.js';
import { BundleStreamCore } from './bundle-stream.js';
import { gunzipped } from './gunzip.js';
import { MemberCopy } from './member-copy.js';
import { spoolRest, type SpooledRest } from './spool-rest.js';
import { topLevelId, TopLevelIdScanner } from './top-level-id.js';
import { LineSplitterCore, type SplitLine } from './line-splitter.js';
import { DEFAULT_MAX_DEPTH, parseLine } from './ndjson-records.js';
import { resolveInputs, type ResolvedInput } from './resolve-inputs.js';
import { sniffFormat, type Sniffed } from './sniff-format.js';

/**
 * Reading the INPUT arguments of `deid fhir` as one stream of Items: files
 * (.ndjson, .json, gzipped or not), bulk-export folders (resolve-inputs.ts)
 * and stdin, in argument order, each item's loc.file the path as given.
 */

export { formatFromName, manifestFileNames, resolveInputs } from './resolve-inputs.js';
export type { InputFormat, ResolvedInput } from './resolve-inputs.js';
export { sniffFormat } from './sniff-format.js';
export { gunzipped } from './gunzip.js';

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
  /** Read a streamed Bundle's `id` that comes after `entry` ahead (withLaterId). Default true. */
  readAheadIds?: boolean;
}

export const DEFAULT_SNIFF_LIMIT = 1024 * 1024;

/**
 * Parsed records waiting in stream buffers outlive V8's young-generation
 * collections, get promoted and cost full collections: short object queues
 * (RECORD_QUEUE) keep few records alive. Measured on the 47 MB notes
 * benchmark input when every line of a read was parsed at once: 64 KiB reads
 * and queues of 8 instead of 256 KiB and 64 gave ~10% less CPU time and a
 * peak RSS of ~160 MB in every run instead of 160-260 MB. Since lines are
 * parsed RECORD_QUEUE at a time (ndjsonBatches), a read only holds bytes:
 * 256 KiB reads cost ~7% less CPU than 64 KiB on the 50 MB bundled input
 * (fewer reads, less waiting for them) for the same peak RSS.
 */
export const DEFAULT_READ_SIZE = 256 * 1024;
/** highWaterMark of the object-mode streams that carry records between stages. */
export const RECORD_QUEUE = 8;

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

export function readFailure(e: unknown): { code: 'GZIP_CORRUPT' | 'READ_FAILED'; reason: string; gzipOffset?: number } {
  // only the code (and where a gzip fault is): an error message is not ours to copy
  if (!isZlibError(e)) return { code: 'READ_FAILED', reason: ErrorCodes.READ_FAILED };
  const at = (e as { gzipOffset?: unknown }).gzipOffset;
  return typeof at === 'number' ? { code: 'GZIP_CORRUPT', reason: ErrorCodes.GZIP_CORRUPT, gzipOffset: at } : { code: 'GZIP_CORRUPT', reason: ErrorCodes.GZIP_CORRUPT };
}

/** `loc` with the compressed offset of a gzip fault, when readFailure knows it. */
export function withGzipOffset(loc: Location, f: { gzipOffset?: number }): Location {
  if (f.gzipOffset !== undefined) loc.gzipOffset = f.gzipOffset;
  return loc;
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


/**
 * The decompressed bytes of a gzip input read once (stdin): its current
 * member's compressed bytes are kept in a file on the way (member-copy.ts),
 * so that corrupt deflate data comes out up to the byte that fails, as a
 * file's does.
 */
async function* gunzippedOnce(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const copy = new MemberCopy();
  try {
    yield* gunzipped(copy.tee(src), { copy });
  } finally {
    copy.remove();
  }
}

async function* ndjsonBatches(bytes: AsyncIterable<Buffer>, file: string, opts: OpenInputsOptions): AsyncGenerator<Item[]> {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const splitter = new LineSplitterCore({ file, maxLineLength: opts.maxLineLength });
  const lines: Array<SplitLine | Failed> = [];
  const parse = (from: number, to: number): Item[] => {
    const items: Item[] = [];
    for (let i = from; i < to; i++) {
      const l = lines[i]!;
      items.push('kind' in l ? l : parseLine(l.line, { file, line: l.lineNo, offset: l.offset }, maxDepth));
    }
    return items;
  };
  const toItems = (): Item[] => {
    const items = parse(0, lines.length);
    lines.length = 0;
    return items;
  };
  let failure: Failed | undefined;
  try {
    for await (const chunk of bytes) {
      splitter.push(chunk, lines);
      // A chunk holds dozens of lines: parsed RECORD_QUEUE at a time, as the
      // stages ask for them, so few parsed records wait (and survive young
      // collections) while the line bytes wait in the chunk.
      for (let i = 0; i < lines.length; i += RECORD_QUEUE) yield parse(i, Math.min(lines.length, i + RECORD_QUEUE));
      lines.length = 0;
    }
  } catch (e) {
    // the partial last line was cut off: it is not a record of its own
    splitter.dropTail();
    const f = readFailure(e);
    failure = failed(f.code, f.reason, withGzipOffset({ file, line: splitter.lineCount + 1 }, f));
  }
  if (!failure) splitter.end(lines);
  const items = toItems();
  if (failure) items.push(failure);
  if (items.length > 0) yield items;
}

/** The input's bytes read again from its start (a file), for what must be known ahead. */
type Reopen = () => AsyncIterable<Buffer>;
/**
 * How a streamed Bundle's `id` that comes after `entry` is read ahead: from
 * the input read again, or, for one that cannot be (stdin), from the rest of
 * it copied to a file, which the Bundle is then read from.
 */
type ReadAhead = Reopen | 'spool';

/**
 * A Bundle's start. Its last top-level `id` is read ahead whether the head has
 * one or not: one after `entry` (the only one, or a duplicate of the head's)
 * is the one JSON.parse keeps.
 */
function lateIdStart(out: Item[]): ContainerStart | undefined {
  for (const item of out) if (item.kind === 'start' && item.laterId === undefined) return item;
  return undefined;
}

/**
 * A streamed Bundle's `id` that comes after `entry` keys the Bundle's date
 * shift as when it comes first (and as when the Bundle is read whole): it is
 * read ahead before the Bundle's `start` goes out.
 */
async function withLaterId(out: Item[], reopen: Reopen): Promise<void> {
  const start = lateIdStart(out);
  if (start) start.laterId = await topLevelId(reopen());
}

async function* jsonBatches(bytes: AsyncIterable<Buffer>, file: string, opts: OpenInputsOptions, ahead?: ReadAhead): AsyncGenerator<Item[]> {
  const core = new BundleStreamCore({ file, maxDepth: opts.maxDepth });
  const out: Item[] = [];
  const scanner = ahead === 'spool' ? new TopLevelIdScanner() : undefined;
  let it = bytes[Symbol.asyncIterator]();
  let spooled: SpooledRest | undefined;
  try {
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        scanner?.push(r.value);
        core.push(r.value, out);
        if (typeof ahead === 'function') await withLaterId(out, ahead);
        else if (scanner && !spooled) {
          const start = lateIdStart(out);
          if (start) {
            spooled = await spoolRest(it, (b) => scanner.push(b));
            start.laterId = scanner.value();
            it = fs.createReadStream(spooled.path, { highWaterMark: opts.readSize ?? DEFAULT_READ_SIZE })[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
          }
        }
        if (out.length > 0) yield out.splice(0);
        if (core.isFailed()) return; // the rest of the document cannot be read
      }
      // the input failed after the point its copy reached
      if (spooled?.error !== undefined) throw spooled.error;
      core.end(out);
    } catch (e) {
      if (e instanceof DeidError && e.code === 'WRITE_FAILED') throw e;
      const f = readFailure(e);
      core.abort(f.code, f.reason, out, f.gzipOffset);
    }
    if (typeof ahead === 'function') await withLaterId(out, ahead);
    else if (scanner) {
      // the whole input went through the scanner
      const start = lateIdStart(out);
      if (start) start.laterId = scanner.value();
    }
    if (out.length > 0) yield out.splice(0);
  } finally {
    await it.return?.();
    spooled?.remove();
  }
}

async function* sniffedBatches(
  bytes: AsyncIterable<Buffer>,
  file: string,
  opts: OpenInputsOptions,
  allowGzip: boolean,
  ahead?: ReadAhead,
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
    const f = readFailure(e);
    yield [failed(f.code, f.reason, withGzipOffset({ file, offset: size }, f))];
    return;
  }
  const all = prepend(head, it);
  const reopen = typeof ahead === 'function' ? ahead : undefined;
  if (kind === 'gzip') {
    if (reopen) {
      const unzip = (b: AsyncIterable<Buffer>): AsyncGenerator<Buffer> => gunzipped(b, { reread: reopen });
      yield* sniffedBatches(unzip(all), file, opts, false, () => unzip(reopen()));
    } else yield* sniffedBatches(gunzippedOnce(all), file, opts, false, ahead);
  }
  else if (kind === 'ndjson') yield* ndjsonBatches(all, file, opts);
  else yield* jsonBatches(all, file, opts, ahead);
}

function rawBytes(input: ResolvedInput, opts: OpenInputsOptions): AsyncIterable<Buffer> {
  if (input.path === null) return (opts.stdin ?? process.stdin) as AsyncIterable<Buffer>;
  return fs.createReadStream(input.path, { highWaterMark: opts.readSize ?? DEFAULT_READ_SIZE });
}

/** Items of one input, in batches (one per chunk read). */
export function readInputBatches(input: ResolvedInput, opts: OpenInputsOptions = {}): AsyncGenerator<Item[]> {
  const raw = rawBytes(input, opts);
  // a file can be read again: corrupt gzip data is decoded again up to the byte that fails
  const reread = input.path === null ? undefined : (): AsyncIterable<Buffer> => rawBytes(input, opts);
  const unzip = (b: AsyncIterable<Buffer>): AsyncGenerator<Buffer> => (reread ? gunzipped(b, { reread }) : gunzippedOnce(b));
  const bytes = input.gzip ? unzip(raw) : raw;
  let ahead: ReadAhead | undefined;
  if (opts.readAheadIds === false) ahead = undefined;
  else if (input.path === null) ahead = 'spool';
  else {
    ahead = (): AsyncIterable<Buffer> => {
      const again = rawBytes(input, opts);
      return input.gzip ? unzip(again) : again;
    };
  }
  if (input.format === 'ndjson') return ndjsonBatches(bytes, input.file, opts);
  if (input.format === 'json') return jsonBatches(bytes, input.file, opts, ahead);
  return sniffedBatches(bytes, input.file, opts, !input.gzip, ahead);
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
    super({ objectMode: true, highWaterMark: RECORD_QUEUE });
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
