import { failed } from '../core/record.js';
import { deidentifyItem, type BundleState } from '../fhir/deidentify-item.js';
import type { FhirEnv } from '../fhir/env.js';
import { StoreCodes } from '../stores/codes.js';
import { FileFhirStore } from '../stores/file-store.js';
import { itemType, keyedResource } from '../stores/resource-key.js';
import type { FhirStore } from '../stores/types.js';
import type { Cancellation } from './cancellation.js';
import { StoreDestination, type Destination } from './destination.js';
import type { ErrorJournal } from './error-journal.js';
import { sourceRef, type FhirSource, type SourceUnit } from './fhir-source-units.js';
import { FolderDestination } from './folder-destination.js';
import type { OperationJournal } from './operation-file.js';
import type { Counters, OperationRecord, StoreState } from './operation-record.js';
import { countedType, UnitLedger } from './unit-ledger.js';

/** One FHIR store of an operation: its source and its destination. */
export interface FhirPair {
  name: string;
  source: FhirStore;
  destination: FhirStore;
}

export interface FhirPairContext {
  rec: OperationRecord;
  env: FhirEnv;
  errors: ErrorJournal;
  journal: OperationJournal;
  cancel: Cancellation;
  /** Bounded wait for in-flight writes after a signal, in ms. */
  drainMs: number;
  /** Manifest transactionTime of folder destinations. */
  transactionTime: string;
  unitFinished: () => void;
  tick: () => void;
}

/** One source → destination; false when cancelled. */
export async function runFhirPair(p: FhirPair, source: FhirSource, st: StoreState, liveUnits: Map<string, Record<string, Counters>>, c: FhirPairContext): Promise<boolean> {
  const { rec, env, errors, journal, cancel, tick } = c;
  await p.destination.ensure();
  const dest: Destination =
    p.destination instanceof FileFhirStore
      ? new FolderDestination(p.destination.dir, rec.id, c.transactionTime, `deid ${rec.command}`)
      : new StoreDestination(p.destination, st);
  // read before the first write, and once per operation: a resume counts from the same reading
  if (st.since === undefined && p.destination.clock && p.destination.modifiedSince) st.since = await p.destination.clock();
  for await (const unit of source.units((name) => st.units[name]?.done === true)) {
    const ok = await runUnit(p.name, unit, source, st, env, dest, errors, journal, cancel, liveUnits, c.drainMs, tick);
    if (!ok) return false;
    c.unitFinished();
  }
  if (cancel.cancelled) return false;
  const units = Object.keys(st.units);
  if (!st.finalized) {
    // a folder shows what was stored even when some units wait for a resume; their parts stay until then
    const complete = units.every((u) => st.units[u]!.done);
    const duplicates = await dest.finalize(units, complete);
    // recomputed from every part at each join: the same after a resume as in one run
    if (Object.keys(duplicates).length > 0) st.duplicates = duplicates;
    else delete st.duplicates;
    if (complete && p.destination instanceof FileFhirStore) st.finalized = true;
  }
  journal.save();
  return true;
}

async function runUnit(
  storeName: string,
  unit: SourceUnit,
  source: FhirSource,
  st: StoreState,
  env: FhirEnv,
  dest: Destination,
  errors: ErrorJournal,
  journal: OperationJournal,
  cancel: Cancellation,
  liveUnits: Map<string, Record<string, Counters>>,
  drainMs: number,
  tick: () => void,
): Promise<boolean> {
  const prev = st.units[unit.name];
  const resumeFrom = prev && !prev.done && !prev.retry ? prev : undefined;
  const skipUpTo = source.keyOrdered ? resumeFrom?.lastDone : undefined;
  const ledger = new UnitLedger((f) => errors.add(storeName, unit.name, f), skipUpTo ? resumeFrom : undefined);
  liveUnits.set(unit.name, ledger.live);
  st.units[unit.name] = ledger.state(false);
  const w = await dest.unitWriter(unit.name, ledger);
  const bundle: BundleState = {};
  let n = 0;
  let stopped = false;
  try {
    for await (const item of unit.items) {
      if (cancel.cancelled) {
        stopped = true;
        break;
      }
      const ref = source.keyOrdered ? sourceRef(item) : undefined;
      if (skipUpTo && ref && refOrder(ref, skipUpTo) <= 0) continue;
      const out = deidentifyItem(item, env, bundle);
      if (out.kind === 'failed') {
        ledger.failedEarly(out.resourceType ? out : { ...out, resourceType: countedType(item, '(unknown)') }, ref);
      } else if (w.keyed) {
        if (out.kind === 'ok') {
          const k = keyedResource(out);
          if (!k) ledger.failedEarly(failed('STORE_INVALID_RESOURCE', StoreCodes.STORE_INVALID_RESOURCE, out.loc, itemType(out) ?? '(unknown)'), ref);
          else {
            ledger.handed(k.type, ref);
            await w.write(out);
          }
        }
      } else {
        if (out.kind !== 'start') ledger.handed(countedType(out, '(unknown)'), ref);
        await w.write(out);
      }
      if ((++n & 255) === 0) {
        w.sync();
        st.units[unit.name] = ledger.state(false);
        journal.tick();
        tick();
      }
    }
    if (cancel.cancelled) stopped = true;
  } catch (e) {
    w.abort();
    st.units[unit.name] = ledger.state(false);
    throw e;
  }
  if (stopped) {
    // stop taking work; let what was handed over finish, within a bound
    if (w.keyed) {
      let settled = false;
      await Promise.race([w.end().then(() => (settled = true), () => undefined), cancel.wait(drainMs)]);
      if (!settled) w.abort();
    } else w.abort();
    st.units[unit.name] = ledger.state(false);
    journal.save();
    return false;
  }
  await w.end();
  st.units[unit.name] = ledger.state(true);
  liveUnits.delete(unit.name);
  journal.save();
  tick();
  return true;
}

/** (type, id) order of the postgres store ("C" collation; ids are ASCII). */
export function refOrder(a: string, b: string): number {
  const [ta, ia] = [a.slice(0, a.indexOf('/')), a.slice(a.indexOf('/') + 1)];
  const [tb, ib] = [b.slice(0, b.indexOf('/')), b.slice(b.indexOf('/') + 1)];
  if (ta !== tb) return ta < tb ? -1 : 1;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

