import type { Failed, Item } from '../core/record.js';
import { itemType } from '../stores/resource-key.js';
import { zero, type Counters, type UnitState } from './operation-record.js';

/** Failures a later attempt may cure (STORE_FORBIDDEN: once the access is granted): the unit is redone on resume. */
export const TRANSIENT_CODES = new Set(['STORE_UNAVAILABLE', 'STORE_ABORTED', 'STORE_FORBIDDEN']);

interface Entry {
  type: string;
  /** Source key `Type/id` (ok records of keyed sources). */
  ref?: string;
  state: 'pending' | 'ok' | 'failed';
  transient?: boolean;
}

/**
 * Bookkeeping of one unit (a source file or a resource type): every record
 * taken from the source gets an entry, in source order; an entry is settled
 * as stored or failed when the destination says so. Counters are kept live
 * (for the progress and the periodic record) and for the settled prefix,
 * whose last source key is the checkpoint inside the unit.
 */
export class UnitLedger {
  readonly live: Record<string, Counters>;
  /** Counts of the records up to lastDone (the resumable prefix). */
  readonly settled: Record<string, Counters>;
  /** Counts of every settled record, in order. */
  readonly #popped: Record<string, Counters>;
  lastDone: string | undefined;
  sawTransient = false;
  readonly #queue: Entry[] = [];
  #head = 0;
  /** Entries handed to the destination, in order (index = hand order). */
  readonly #handed: Entry[] = [];
  #handedBase = 0;
  #cleanPrefix = true;

  constructor(
    private readonly onFailure: (f: Failed) => void,
    start?: UnitState,
  ) {
    this.settled = structuredClone(start?.byType ?? {});
    this.#popped = structuredClone(this.settled);
    this.live = structuredClone(this.settled);
    this.lastDone = start?.lastDone;
  }

  #c(m: Record<string, Counters>, type: string): Counters {
    return (m[type] ??= zero());
  }

  /** A record that failed before reaching the destination (unreadable, not de-identifiable, not storable). */
  failedEarly(f: Failed, ref?: string): void {
    const type = f.resourceType ?? '(unknown)';
    // a read cut short left records unread: only reading the unit again can bring them
    const transient = TRANSIENT_CODES.has(f.code) || f.stopped === true;
    if (transient) this.sawTransient = true;
    this.#queue.push({ type, ...(ref ? { ref } : {}), state: 'failed', transient });
    this.#c(this.live, type).failure++;
    this.onFailure(f);
  }

  /** A record handed to the destination writer. */
  handed(type: string, ref?: string): void {
    const e: Entry = { type, ...(ref ? { ref } : {}), state: 'pending' };
    this.#queue.push(e);
    this.#handed.push(e);
    this.#c(this.live, type).pending++;
  }

  /** The destination refused or lost handed record number `index` (0-based, hand order). */
  handedFailed(index: number, f: Failed): void {
    const e = this.#handed[index - this.#handedBase];
    if (!e || e.state !== 'pending') return;
    e.state = 'failed';
    // an answer the destination gave that cannot be read leaves it unknown whether the record is
    // stored: only sending it again (same key, an idempotent write) settles it, so a resume does
    e.transient = TRANSIENT_CODES.has(f.code) || f.code === 'STORE_BAD_RESPONSE';
    if (e.transient) this.sawTransient = true;
    const c = this.#c(this.live, e.type);
    c.pending--;
    c.failure++;
    this.onFailure(f.resourceType ? f : { ...f, resourceType: e.type });
  }

  /** Every handed record before `count` is resolved; those not failed are stored. */
  resolvedUpTo(count: number): void {
    while (this.#handedBase < count && this.#handed.length > 0) {
      const e = this.#handed.shift()!;
      this.#handedBase++;
      if (e.state === 'pending') {
        e.state = 'ok';
        const c = this.#c(this.live, e.type);
        c.pending--;
        c.success++;
      }
    }
    this.#settle();
  }

  get handedCount(): number {
    return this.#handedBase + this.#handed.length;
  }

  #settle(): void {
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.state !== 'pending') {
      const e = this.#queue[this.#head++]!;
      const c = this.#c(this.#popped, e.type);
      if (e.state === 'ok') c.success++;
      else c.failure++;
      if (e.transient) this.#cleanPrefix = false;
      if (this.#cleanPrefix && e.ref) {
        // the checkpoint: the source key and the counts of exactly the records up to it
        this.lastDone = e.ref;
        for (const [type, n] of Object.entries(this.#popped)) this.settled[type] = { ...n };
      }
    }
    if (this.#head > 4096) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** State to persist: settled prefix while running; the whole unit once done. */
  state(done: boolean): UnitState {
    if (done) {
      const s: UnitState = { done: !this.sawTransient, byType: structuredClone(this.live) };
      if (this.sawTransient) s.retry = true;
      return s;
    }
    const s: UnitState = { done: false, byType: structuredClone(this.settled) };
    if (this.lastDone) s.lastDone = this.lastDone;
    return s;
  }

  totals(): Counters {
    const t = zero();
    for (const c of Object.values(this.live)) {
      t.success += c.success;
      t.failure += c.failure;
      t.pending += c.pending;
    }
    return t;
  }
}

/** Type an item counts under; `fallback` for failures that name none. */
export function countedType(item: Item, fallback: string): string {
  if (item.kind === 'failed') return item.resourceType ?? fallback;
  if (item.kind === 'end' || item.kind === 'start') return 'Bundle';
  return itemType(item) ?? fallback;
}
