/**
 * The persisted state of one operation (`<dir>/<id>.json`). It never holds
 * record contents: store addresses without credentials, resource types,
 * counts, codes and (type, id) keys of the source for the checkpoint.
 */
export type OperationStatus = 'running' | 'succeeded' | 'completed-with-failures' | 'cancelled' | 'failed';

export interface Counters {
  success: number;
  failure: number;
  /** Handed to the destination and not yet confirmed (0 once an operation has ended cleanly). */
  pending: number;
}

export interface UnitState {
  /** done: every record of the unit is in the destination or counted as failed; a unit that is not done is redone on resume. */
  done: boolean;
  /** Some records failed for a reason a retry may cure (store unavailable, aborted): redone on resume. */
  retry?: boolean;
  /** Source key `Type/id` up to which (in the source's order) every record is settled; only for sources read in (type, id) order. */
  lastDone?: string;
  /** Counters of the settled prefix up to lastDone (or of the whole unit when done). */
  byType: Record<string, Counters>;
}

export interface StoreState {
  kind: 'fhir' | 'dicom';
  source: string;
  destination: string;
  /** Unit name → state, in processing order. */
  units: Record<string, UnitState>;
  /** A folder destination has been assembled from its unit parts. */
  finalized?: boolean;
  /**
   * By type: records stored (counted in `success`) whose id a later record
   * of the same type carried too, so a folder destination holds them once
   * (the last read). A folder's `Type.ndjson` thus holds success − duplicates
   * lines of this operation. A postgres table upserts by id: there it is
   * `success` less the resources the table shows modified since `since`.
   * Absent when none (and for a FHIR server, which is not asked).
   */
  duplicates?: Record<string, number>;
  /** A postgres destination's clock when the operation began writing into it (FhirStore.clock), kept for a resume. */
  since?: string;
  counters: Counters;
  byType: Record<string, Counters>;
}

export interface OperationRecord {
  id: string;
  command: 'fhir-store' | 'dicom-store' | 'dataset';
  status: OperationStatus;
  configDigest: string;
  /** The day birth dates are read against (Safe Harbor's over-89 category), kept for a resume on a later day. */
  ageReferenceDate?: string;
  /** HMAC of the id under the run key: a resume with another key is refused. Reveals nothing of the key. */
  keyCheck: string;
  keySource: string;
  startTime: string;
  endTime?: string;
  updateTime: string;
  source: string;
  destination: string;
  options: { resources?: string[]; skipModifiedAfter?: string };
  /** NDJSON error log: store, unit, location, code, reason — never record contents. */
  errorLog: string;
  counters: Counters;
  errors: Record<string, number>;
  stores: Record<string, StoreState>;
  /** Run-level error that ended the operation (status failed). */
  error?: { code: string; message: string };
  /** The signal that cancelled it. */
  signal?: string;
  /** Times the operation was resumed. */
  resumed?: number;
}

export const zero = (): Counters => ({ success: 0, failure: 0, pending: 0 });

export function addCounters(into: Counters, c: Counters): void {
  into.success += c.success;
  into.failure += c.failure;
  into.pending += c.pending;
}

/** Sums unit counters into the store's and the operation's totals. */
export function recomputeTotals(rec: OperationRecord, live: Map<string, Map<string, Record<string, Counters>>>): void {
  const total = zero();
  for (const [name, st] of Object.entries(rec.stores)) {
    const byType: Record<string, Counters> = {};
    const sc = zero();
    const liveUnits = live.get(name);
    for (const [unit, u] of Object.entries(st.units)) {
      const src = liveUnits?.get(unit) ?? u.byType;
      for (const [type, c] of Object.entries(src)) {
        addCounters((byType[type] ??= zero()), c);
        addCounters(sc, c);
      }
    }
    st.byType = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    st.counters = sc;
    addCounters(total, sc);
  }
  rec.counters = total;
}
