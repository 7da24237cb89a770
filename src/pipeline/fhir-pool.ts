import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { DeidConfig } from '../config/model.js';
import { DeidError } from '../core/errors.js';
import type { BatchResult, LineBatch } from './fhir-batch.js';

/** What every worker of a run starts with (structured clone). */
export interface FhirWorkerData {
  config: DeidConfig;
  key: Uint8Array;
  unbundle: boolean;
  toFolder: boolean;
  /** The detectors' lexicon in shared memory (one copy for all threads). */
  lexicon?: SharedArrayBuffer;
}

export type ToWorker = { kind: 'context'; json: string } | { kind: 'batch'; seq: number; batch: LineBatch };

/**
 * A worker's answer for one batch, with the batch's buffer given back: `done`
 * (the NDJSON text of stdout output encoded in `out`), or `error` when the
 * batch threw, which the main thread then de-identifies itself.
 */
export type FromWorker =
  | { kind: 'done'; seq: number; result: BatchResult; out?: Uint8Array; data: Uint8Array }
  | { kind: 'error'; seq: number; data: Uint8Array };

export interface PoolOptions {
  /** V8 limits of each worker (default: a young generation of WORKER_YOUNG_MB). */
  resourceLimits?: ResourceLimits;
  /** Runs as each worker starts (a new isolate sets some of the process's V8 flags back). */
  online?: () => void;
  /** The worker's code instead of fhir-worker (evaluated), for tests. */
  entry?: string;
}

interface Pending {
  resolve: (m: FromWorker) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
}

/**
 * Each worker's young generation (resourceLimits), which its heap starts at
 * when the process runs under limitHeapGrowth (fixYoungGeneration): every
 * worker's heap adds to the process's RSS.
 */
export const WORKER_YOUNG_MB = 8;

/**
 * Worker threads that de-identify NDJSON batches (fhir-worker.ts). A batch
 * goes to the live worker with the fewest batches in hand; its promise
 * rejects with WORKER_FAILED if that worker stops (crash, out of memory)
 * before answering. Nothing here knows about order: the caller awaits the
 * batches in input order.
 */
export class FhirPool {
  readonly #slots: Slot[] = [];
  #seq = 0;
  #closing = false;

  private constructor() {}

  static async start(threads: number, data: FhirWorkerData, opts: PoolOptions = {}): Promise<FhirPool> {
    // loaded only when a run uses threads
    const { Worker } = await import('node:worker_threads');
    const self = fileURLToPath(import.meta.url);
    const file = path.join(path.dirname(self), `fhir-worker${path.extname(self)}`);
    // From the TypeScript sources (tests), the worker's hooks are not in place for its entry module.
    const entry =
      opts.entry ?? (path.extname(self) === '.ts' ? `import('tsx/esm/api').then((t) => t.register()).then(() => import(${JSON.stringify(pathToFileURL(file).href)}))` : file);
    const { resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_MB }, online } = opts;
    const pool = new FhirPool();
    for (let k = 0; k < threads; k++) {
      const worker = new Worker(entry, { eval: entry !== file, workerData: data, resourceLimits });
      const slot: Slot = { worker, pending: new Map(), alive: true };
      worker.on('message', (m: FromWorker) => {
        const p = slot.pending.get(m.seq);
        slot.pending.delete(m.seq);
        p?.resolve(m);
      });
      if (online) worker.once('online', online);
      worker.on('error', () => pool.#lost(slot));
      worker.on('exit', () => pool.#lost(slot));
      pool.#slots.push(slot);
    }
    return pool;
  }

  /** Workers still running. */
  get alive(): number {
    return this.#slots.filter((s) => s.alive).length;
  }

  /** Gives every worker the first pass's patient context (PatientContext.entries as JSON), before any batch. */
  setContext(json: string): void {
    for (const s of this.#slots) if (s.alive) s.worker.postMessage({ kind: 'context', json } satisfies ToWorker);
  }

  /**
   * Sends a batch to the live worker with the fewest in hand, if it has fewer
   * than `maxPending` (its buffer is transferred: the caller gets it back in
   * the answer). Undefined when every worker has that many, or none is left.
   */
  run(batch: LineBatch, maxPending = Infinity): Promise<FromWorker> | undefined {
    let slot: Slot | undefined;
    for (const s of this.#slots) if (s.alive && (!slot || s.pending.size < slot.pending.size)) slot = s;
    if (!slot || slot.pending.size >= maxPending) return undefined;
    const seq = this.#seq++;
    const answer = new Promise<FromWorker>((resolve, reject) => slot.pending.set(seq, { resolve, reject }));
    // a run that stops early leaves answers nobody waits for
    answer.catch(() => undefined);
    slot.worker.postMessage({ kind: 'batch', seq, batch } satisfies ToWorker, [batch.data.buffer as ArrayBuffer]);
    return answer;
  }

  /** Stops every worker; batches in hand are dropped. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    for (const s of this.#slots) this.#lost(s);
  }

  #lost(slot: Slot): void {
    if (!slot.alive && slot.pending.size === 0) return;
    slot.alive = false;
    const err = new DeidError(this.#closing ? 'INTERNAL' : 'WORKER_FAILED');
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
  }
}
