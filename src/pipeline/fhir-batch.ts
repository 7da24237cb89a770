import { ErrorCodes } from '../core/errors.js';
import { failed, type Failed, type Location } from '../core/record.js';
import { deidentifyItem } from '../fhir/deidentify-item.js';
import type { FhirEnv } from '../fhir/env.js';
import { isTypeFileName } from '../sinks/bulk-folder-writer.js';
import { NdjsonSerializer, type Emit } from '../sinks/ndjson-serializer.js';
import { parseLine } from '../sources/ndjson-records.js';

/**
 * NDJSON lines of one input file as `deid fhir --threads` hands them to a
 * worker thread: the raw bytes back to back in one buffer (transferred, not
 * copied), so the main thread never parses a record.
 */
export interface LineBatch {
  file: string;
  data: Uint8Array;
  /** Per line: [end of its bytes in data, line number, byte offset in the file]; a line starts where the one before ended. */
  meta: Float64Array;
}

/**
 * Raw bytes per batch: ~85 records of the benchmark input, one message each
 * way. Peak RSS on it was 187-193 MB with 128 KiB, 197-229 MB with 256 KiB
 * (more text held per batch and in flight), for the same CPU time.
 */
export const BATCH_BYTES = 128 * 1024;

/**
 * Buffers of BATCH_BYTES given back by the workers, for the next batches: a
 * new one per batch left tens of MB of dead buffers waiting for the main
 * thread's collector.
 */
export class BatchBuffers {
  readonly #free: ArrayBuffer[] = [];

  constructor(readonly size = BATCH_BYTES) {}

  take(bytes: number): Buffer {
    const b = bytes <= this.size ? this.#free.pop() : undefined;
    return b ? Buffer.from(b) : Buffer.allocUnsafeSlow(Math.max(this.size, bytes));
  }

  give(data: Uint8Array): void {
    if (data.buffer instanceof ArrayBuffer && data.buffer.byteLength === this.size && this.#free.length < 64) this.#free.push(data.buffer);
  }
}

/** Collects lines into batches of about buffers.size bytes (a longer line is a batch of its own). */
export class LineBatchBuilder {
  #data: Buffer | null = null;
  #used = 0;
  #meta: number[] = [];

  constructor(readonly file: string, readonly buffers = new BatchBuffers()) {}

  get lines(): number {
    return this.#meta.length / 3;
  }

  /** Adds a line; returns the batch before it when the line does not fit in its buffer. */
  add(line: Buffer, lineNo: number, offset: number): LineBatch | undefined {
    const full = this.#data && this.#used + line.length > this.#data.length ? this.take() : undefined;
    if (!this.#data) this.#data = this.buffers.take(line.length);
    line.copy(this.#data, this.#used);
    this.#used += line.length;
    this.#meta.push(this.#used, lineNo, offset);
    return full;
  }

  /** The lines added since the last batch, if any. */
  take(): LineBatch | undefined {
    if (!this.#data || this.#meta.length === 0) return undefined;
    const batch = { file: this.file, data: new Uint8Array(this.#data.buffer, this.#data.byteOffset, this.#used), meta: Float64Array.from(this.#meta) };
    this.#data = null;
    this.#used = 0;
    this.#meta = [];
    return batch;
  }
}

/** A failure of the batch, in record order; `writer` when the serializer, not the stage, refused the record. */
export interface BatchFailure {
  f: Failed;
  writer: boolean;
}

/** What one batch gives the run: its output, failures and counts, everything cloneable. */
export interface BatchResult {
  /** NDJSON text of the batch (output to stdout). */
  text: string;
  /** Per resource type: its NDJSON text and line count (output to a folder). */
  pieces: Array<[type: string, text: string, lines: number]>;
  failures: BatchFailure[];
  /** Records out per resource type. */
  ok: Array<[type: string, n: number]>;
  /** Actions applied (FhirEnv.counts) by the batch. */
  counts: Array<[key: string, actions: Array<[action: string, n: number]>]>;
  /**
   * Set when a record taught the patient context something the first pass
   * did not: its effect on the records after it depends on the order the
   * records are de-identified in, so nothing of the batch is kept and the run
   * goes on on one thread from its first record.
   */
  contextChanged: boolean;
}

export interface BatchOptions {
  unbundle: boolean;
  toFolder: boolean;
  /** Stop with `contextChanged` at a record that changes env.context. */
  fixedContext: boolean;
}

type Json = Record<string, unknown>;

/**
 * De-identifies a batch exactly as the one-thread pipeline does each of its
 * lines (parseLine, deidentifyItem, the NDJSON serializer, the bulk writer's
 * type check), so the output bytes, failures and counts are the same. Pure but
 * for env's memos and its counts, which are replaced per batch.
 */
export function deidentifyBatch(batch: LineBatch, env: FhirEnv, o: BatchOptions): BatchResult {
  const counts = new Map<string, Map<string, number>>();
  env.counts = counts;
  const serializer = new NdjsonSerializer({ unbundle: o.unbundle });
  const failures: BatchFailure[] = [];
  const ok = new Map<string, number>();
  const byType = new Map<string, [type: string, text: string, lines: number]>();
  let text = '';
  let loc: Location = { file: batch.file };
  const emit: Emit = o.toFolder
    ? (type, t, lineEnds) => {
        let piece = byType.get(type);
        if (!piece) {
          if (!isTypeFileName(type)) {
            failures.push({ f: failed('UNKNOWN_RESOURCE_TYPE', ErrorCodes.UNKNOWN_RESOURCE_TYPE, loc), writer: true });
            return;
          }
          byType.set(type, (piece = [type, '', 0]));
        }
        piece[1] += t;
        if (lineEnds) piece[2]++;
      }
    : (_type, t) => {
        text += t;
      };
  const report = (f: Failed) => failures.push({ f, writer: true });
  const { data, meta } = batch;
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let start = 0;
  for (let i = 0; i < meta.length; i += 3) {
    const end = meta[i]!;
    loc = { file: batch.file, line: meta[i + 1]!, offset: meta[i + 2]! };
    const parsed = parseLine(bytes.subarray(start, end), loc);
    start = end;
    const version = env.context.version;
    const item = parsed.kind === 'ok' ? deidentifyItem(parsed, env) : parsed;
    if (o.fixedContext && env.context.version !== version) {
      return { text: '', pieces: [], failures: [], ok: [], counts: [], contextChanged: true };
    }
    if (item.kind === 'failed') {
      failures.push({ f: item, writer: false });
      continue;
    }
    if (item.kind !== 'ok') continue;
    const type = String((item.value as Json | null)?.resourceType);
    ok.set(type, (ok.get(type) ?? 0) + 1);
    serializer.write(item, emit, report);
  }
  return {
    text,
    pieces: [...byType.values()],
    failures,
    ok: [...ok],
    counts: [...counts].map(([k, m]) => [k, [...m]]),
    contextChanged: false,
  };
}

/** The failures of a batch whose worker thread stopped: every record, WORKER_FAILED. */
export function workerFailed(batch: LineBatch): BatchResult {
  const failures: BatchFailure[] = [];
  for (let i = 0; i < batch.meta.length; i += 3) {
    const loc = { file: batch.file, line: batch.meta[i + 1]!, offset: batch.meta[i + 2]! };
    failures.push({ f: failed('WORKER_FAILED', ErrorCodes.WORKER_FAILED, loc), writer: false });
  }
  return { text: '', pieces: [], failures, ok: [], counts: [], contextChanged: false };
}
