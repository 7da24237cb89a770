import { DeidError, ErrorCodes, type ErrorCode } from '../core/errors.js';
import type { Item } from '../core/record.js';
import { collectPatientContext } from '../pipeline/collect-patient-context.js';
import { contextValuesOf, patientIdOf, type PatientContext } from '../fhir/patient.js';
import type { FhirSource } from './fhir-source-units.js';
import type { FhirStore } from '../stores/types.js';

type Json = Record<string, unknown>;

const STORE_LEVEL = new Set(['STORE_UNAVAILABLE', 'STORE_REJECTED']);

/**
 * Contextual pre-pass over a re-readable source: every Patient's structured
 * values, so a note read before its patient is still scrubbed. A folder is
 * scanned by the `deid fhir` pre-pass; a store is asked for its Patients.
 * Unreadable records are ignored here (the main pass reports them); a store
 * that cannot be read, refuses the search (403 included: the Patient type
 * is not one to leave out here) or whose paging breaks off stops the run. An aborted `signal` (a cancelled run) ends the pass early.
 */
export async function collectStoreContext(source: FhirSource, store: FhirStore, context: PatientContext, signal?: AbortSignal): Promise<void> {
  if (source.resolved) {
    await collectPatientContext(source.resolved, context);
    return;
  }
  for await (const item of store.reader({ types: ['Patient'], ...(signal ? { signal } : {}) }) as AsyncIterable<Item>) {
    if (signal?.aborted) return;
    // without the patients, notes would go out unscrubbed of their values: the run stops before any output
    if (item.kind === 'failed' && (STORE_LEVEL.has(item.code) || item.stopped)) {
      // a 403 names what was refused (status, method, path), as a 401 does
      const refused = item.code === 'STORE_FORBIDDEN' ? ` (${item.reason.slice(ErrorCodes.STORE_FORBIDDEN.length + 2)})` : '';
      throw new DeidError(item.code as ErrorCode, `${store.uri}: the patients for contextual de-identification could not be read${refused}`);
    }
    if (item.kind !== 'ok') continue;
    const r = item.value as Json;
    if (r?.resourceType !== 'Patient') continue;
    const id = patientIdOf(r);
    if (id) context.add(id, contextValuesOf(r));
  }
}
