import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Failed, Item } from '../core/record.js';
import type { FhirStore, StoreWriter } from '../stores/types.js';
import type { UnitLedger } from './unit-ledger.js';
import type { StoreState } from './operation-record.js';

/** Where the records of one unit go. */
export interface UnitWriter {
  /** True when the destination keys records by (type, id), so records without a valid key cannot go. */
  readonly keyed: boolean;
  write(item: Item): Promise<void>;
  /** Flushes and confirms everything written (a folder part is committed). */
  end(): Promise<void>;
  /** Drops what is not confirmed yet. */
  abort(): void;
  /** Lets the ledger catch up with what the destination confirmed. */
  sync(): void;
}

export interface Destination {
  unitWriter(unit: string, ledger: UnitLedger): Promise<UnitWriter>;
  /**
   * After the last unit (folder destinations assemble their parts here; `complete`: no unit is left for a resume).
   * Returns, by type, the records stored more than once under one id that the destination holds once (a folder's).
   */
  finalize(units: string[], complete: boolean): Promise<Record<string, number>>;
}

/** Writes one item, waiting for drain under backpressure; the writer's error rejects. */
export async function writeItem(w: Writable, item: Item, failure: { error?: Error }): Promise<void> {
  if (failure.error) throw failure.error;
  if (!w.write(item)) await once(w, 'drain');
  if (failure.error) throw failure.error;
}

/**
 * A postgres table or FHIR server: one store writer per unit. The store
 * writers report failures in the order the records were given, so the n-th
 * failure-or-success is the n-th handed record.
 */
export class StoreDestination implements Destination {
  constructor(
    readonly store: FhirStore,
    private readonly st?: Pick<StoreState, 'since' | 'units'>,
  ) {}

  async unitWriter(_unit: string, ledger: UnitLedger): Promise<UnitWriter> {
    let writerFailures = 0;
    const state: { error?: Error } = {};
    const w: StoreWriter = this.store.writer({
      onFailed: (f: Failed) => {
        ledger.handedFailed(w.written + writerFailures, f);
        writerFailures++;
      },
    });
    w.on('error', (e: Error) => (state.error = e));
    const sync = () => ledger.resolvedUpTo(w.written + writerFailures);
    return {
      keyed: true,
      write: (item) => writeItem(w, item, state),
      async end() {
        w.end();
        await finished(w);
        sync();
      },
      abort() {
        w.destroy();
        sync();
      },
      sync,
    };
  }

  /**
   * A store upserts by (type, id): a record stored twice is one resource. A store that
   * stamps its writes (FhirStore.modifiedSince) tells how many resources of each type the
   * operation left there, and the rest of its `success` are the records stored over an id
   * it had written already. Assumes no other writer modifies the same types meanwhile
   * (another would only lower the count). A FHIR server is not asked: none is counted.
   */
  async finalize(): Promise<Record<string, number>> {
    const since = this.st?.since;
    if (since === undefined || !this.store.modifiedSince) return {};
    let held: Record<string, number>;
    try {
      held = await this.store.modifiedSince(since);
    } catch {
      // every record is stored and counted already: a count the store cannot give is left out, not the operation failed
      return {};
    }
    // from the units' own counters: the store's totals are summed from them only when the record is saved
    const stored: Record<string, number> = {};
    for (const u of Object.values(this.st!.units)) for (const [type, c] of Object.entries(u.byType)) stored[type] = (stored[type] ?? 0) + c.success;
    const duplicates: Record<string, number> = {};
    for (const [type, n] of Object.entries(stored)) {
      const d = n - (held[type] ?? 0);
      if (d > 0) duplicates[type] = d;
    }
    return duplicates;
  }
}
