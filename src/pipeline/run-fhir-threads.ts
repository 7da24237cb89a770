import fs from 'node:fs';
import os from 'node:os';
import { failed, type Failed } from '../core/record.js';
import type { FhirEnv } from '../fhir/env.js';
import { PatientContext } from '../fhir/patient.js';
import type { ContextValue } from '../text/types.js';
import type { SerializedLines } from '../sinks/bulk-folder-writer.js';
import { LineSplitterCore, type SplitLine } from '../sources/line-splitter.js';
import { readInto } from '../sources/read-into.js';
import { DEFAULT_READ_SIZE, gunzipped, readFailure, withGzipOffset, type ResolvedInput } from '../sources/open-inputs.js';
import { BatchBuffers, deidentifyBatch, LineBatchBuilder, workerFailed, type BatchResult, type LineBatch } from './fhir-batch.js';
import type { FhirPool, FromWorker } from './fhir-pool.js';
import type { PushSource } from './push-source.js';

/** Batches a worker holds before the main thread de-identifies the next one itself. */
const WORKER_BACKLOG = 3;
/** Batches read and not yet written, per thread: the bound on what a run holds (reading waits). */
const QUEUE_PER_THREAD = 4;

/**
 * Worker threads for a run, besides the main thread, which de-identifies
 * too: `requested` (at most 64), and only when every input is an NDJSON file
 * (stdin cannot be read twice for the patient context; a JSON document is one
 * stream). None unless asked for: every worker is a V8 heap of its own (~50 MB
 * of RSS on the benchmark input, which takes a run past the 200 MB memory
 * target), and on 2 CPUs a second isolate's garbage collection and
 * compilation cost ~45% more CPU for a ~15% shorter run.
 */
export function fhirWorkerCount(inputs: readonly ResolvedInput[], requested?: number): number {
  if (requested === undefined || inputs.length === 0 || inputs.some((i) => i.path === null || i.format !== 'ndjson')) return 0;
  return Math.max(0, Math.min(Math.floor(requested), 64));
}

export interface ThreadedPass {
  inputs: readonly ResolvedInput[];
  pool: FhirPool;
  /** The main thread's environment, whose context is the first pass's. */
  env: FhirEnv;
  /** The first pass's context (PatientContext.entries as JSON), to restore env.context from. */
  context: string;
  unbundle: boolean;
  toFolder: boolean;
  maxLineLength?: number;
  /** Raw bytes per batch (default BATCH_BYTES). */
  batchBytes?: number;
  /** A batch's counts and failures, in input order. */
  account: (r: BatchResult) => void;
  /** A failure found on this thread (a line too long, a read error), in input order. */
  fail: (f: Failed) => void;
  out: PushSource<Buffer | SerializedLines>;
}

type Entry = { batch: LineBatch; answer?: Promise<FromWorker>; result?: BatchResult } | { failure: Failed };

/**
 * The main thread of `deid fhir --threads`: reads and splits the NDJSON
 * inputs into batches of raw lines, sends them to the workers, de-identifies
 * one itself whenever every worker has WORKER_BACKLOG batches in hand, and
 * writes the results strictly in input order, with at most QUEUE_PER_THREAD
 * batches per thread unwritten (when the output is slow, reading waits).
 *
 * The output is the one-thread pipeline's: every batch is de-identified by
 * the same code (fhir-batch.ts) with the same first-pass patient context. A
 * record that would change that context (a Patient the first pass did not
 * see) stops its batch; from that batch on, every batch is de-identified here,
 * in order, as the one-thread pipeline does. A batch whose worker stopped has
 * every record logged as WORKER_FAILED. Returns early, without error, when
 * the output is closed.
 */
export async function runThreadedPass(o: ThreadedPass): Promise<void> {
  const queue: Entry[] = [];
  const buffers = new BatchBuffers(o.batchBytes);
  const maxQueue = (o.pool.alive + 1) * QUEUE_PER_THREAD;
  const fixed = { unbundle: o.unbundle, toFolder: o.toFolder, fixedContext: true };
  const serial = { ...fixed, fixedContext: false };
  /** No more batches to the workers: the rest is de-identified here, in order, when written. */
  let onMain = false;
  /** A record changed the patient context: the results of the batches from its batch on are discarded. */
  let replay = false;

  /** De-identifies a batch here with the first pass's context, which is restored if a record changed it. */
  const fixedHere = (batch: LineBatch): BatchResult => {
    const r = deidentifyBatch(batch, o.env, fixed);
    if (r.contextChanged) o.env.context = PatientContext.fromEntries(JSON.parse(o.context) as Array<[string, ContextValue[]]>);
    return r;
  };

  const submit = (batch: LineBatch | undefined): void => {
    if (!batch) return;
    if (onMain) {
      queue.push({ batch });
      return;
    }
    const answer = o.pool.run(batch, WORKER_BACKLOG);
    if (answer) {
      queue.push({ batch, answer });
    } else if (o.pool.alive === 0) {
      onMain = true;
      queue.push({ batch });
    } else {
      const result = fixedHere(batch);
      // from a batch that changed the context on, everything is de-identified here, in order
      if (result.contextChanged) onMain = true;
      queue.push({ batch, result });
    }
  };

  const writeHead = async (): Promise<boolean> => {
    const e = queue.shift()!;
    if ('failure' in e) {
      o.fail(e.failure);
      return true;
    }
    let r = e.result;
    let out: Uint8Array | undefined;
    if (e.answer) {
      try {
        const m = await e.answer;
        e.batch.data = m.data;
        if (m.kind === 'done') ({ result: r, out } = m);
      } catch {
        // the batch's bytes went with the worker
        r = workerFailed(e.batch);
        out = undefined;
        e.answer = undefined;
      }
    }
    const lost = e.answer === undefined && e.result === undefined && r !== undefined;
    if (!lost && (r === undefined || r.contextChanged || replay)) {
      if (!replay) {
        r = r === undefined ? fixedHere(e.batch) : r;
        if (r.contextChanged) replay = onMain = true;
      }
      if (replay) r = deidentifyBatch(e.batch, o.env, serial);
      out = undefined;
    }
    o.account(r!);
    buffers.give(e.batch.data);
    if (o.toFolder) return r!.pieces.length === 0 || o.out.put({ kind: 'serialized', pieces: r!.pieces });
    if (out) return o.out.put(Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    return r!.text.length === 0 || o.out.put(Buffer.from(r!.text, 'utf8'));
  };

  const take = async (lines: Array<SplitLine | Failed>, builder: LineBatchBuilder): Promise<boolean> => {
    for (const l of lines) {
      if ('kind' in l) {
        submit(builder.take());
        queue.push({ failure: l });
      } else {
        submit(builder.add(l.line as Buffer, l.lineNo, l.offset));
      }
      while (queue.length >= maxQueue) if (!(await writeHead())) return false;
    }
    lines.length = 0;
    return true;
  };

  const readBuffer = Buffer.allocUnsafeSlow(DEFAULT_READ_SIZE);
  for (const input of o.inputs) {
    const splitter = new LineSplitterCore({ file: input.file, ...(o.maxLineLength ? { maxLineLength: o.maxLineLength } : {}) });
    const builder = new LineBatchBuilder(input.file, buffers);
    const lines: Array<SplitLine | Failed> = [];
    // the one-thread reader's read size
    const raw = input.gzip ? fs.createReadStream(input.path!, { highWaterMark: DEFAULT_READ_SIZE }) : undefined;
    const reread = (): AsyncIterable<Buffer> => fs.createReadStream(input.path!, { highWaterMark: DEFAULT_READ_SIZE });
    // lines are copied into batches before the next read (take below)
    const bytes = (raw ? gunzipped(raw, { reread }) : readInto(input.path!, readBuffer))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let failure: Failed | undefined;
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await bytes.next();
        } catch (e) {
          // as the one-thread reader does: the partial last line is not a record of its own
          splitter.dropTail();
          const f = readFailure(e);
          failure = failed(f.code, f.reason, withGzipOffset({ file: input.file, line: splitter.lineCount + 1 }, f));
          break;
        }
        if (next.done) break;
        splitter.push(next.value, lines);
        if (!(await take(lines, builder))) return;
      }
    } finally {
      await bytes.return?.();
      raw?.destroy();
    }
    if (!failure) splitter.end(lines);
    if (!(await take(lines, builder))) return;
    submit(builder.take());
    if (failure) queue.push({ failure });
  }
  while (queue.length > 0) if (!(await writeHead())) return;
}
