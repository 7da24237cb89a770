import path from 'node:path';
import type { Item } from '../core/record.js';
import { patientIdOf } from '../fhir/patient.js';
import { isResourceType } from '../fhir/r4-types.js';
import { openResolvedInputs, resolveInputs } from '../sources/open-inputs.js';
import { FileFhirStore } from '../stores/file-store.js';
import type { FhirStore } from '../stores/types.js';

type Json = Record<string, unknown>;

/** (DICOM PatientID, StudyInstanceUID) → the date-shift key of that patient. */
export type PatientResolver = (patientId: string, studyUid: string) => string;

const WANTED = ['ImagingStudy', 'Patient'];

/**
 * Links DICOM instances to FHIR patients, so one patient gets one date shift
 * (and one set of pseudonyms) in both modalities. The key is the FHIR
 * engine's (`Patient/<id>`, see dateShiftKey in src/fhir/patient.ts):
 *  1. the ImagingStudy whose identifier is `urn:oid:<StudyInstanceUID>`
 *     (https://hl7.org/fhir/R4/imagingstudy.html: the study UID is carried as
 *     an identifier with the `urn:oid:` prefix) → its subject Patient;
 *  2. else the Patient one of whose identifier values equals the PatientID
 *     (ignored when several patients share that value);
 *  3. else `PatientID/<PatientID>`.
 */
export class PatientIndex {
  readonly #byStudy = new Map<string, string>();
  readonly #byIdentifier = new Map<string, string | null>();

  learn(resource: unknown): void {
    if (!resource || typeof resource !== 'object') return;
    const r = resource as Json;
    if (r.resourceType === 'ImagingStudy') {
      const patient = patientIdOf(r);
      if (!patient) return;
      for (const uid of studyUids(r)) this.#byStudy.set(uid, patient);
    } else if (r.resourceType === 'Patient') {
      const patient = patientIdOf(r);
      if (!patient) return;
      for (const i of Array.isArray(r.identifier) ? (r.identifier as Json[]) : []) {
        const v = typeof i?.value === 'string' ? i.value.trim() : '';
        if (!v) continue;
        const prev = this.#byIdentifier.get(v);
        this.#byIdentifier.set(v, prev === undefined || prev === patient ? patient : null);
      }
    } else if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) {
      for (const e of r.entry as Json[]) this.learn(e?.resource);
    }
  }

  get studies(): number {
    return this.#byStudy.size;
  }

  resolve(patientId: string, studyUid: string): string {
    const byStudy = this.#byStudy.get(studyUid.replace(/[\0 ]+$/, ''));
    if (byStudy) return `Patient/${byStudy}`;
    const pid = patientId.replace(/[\0 ]+$/, '').trim();
    const byId = pid ? this.#byIdentifier.get(pid) : undefined;
    if (byId) return `Patient/${byId}`;
    return `PatientID/${pid}`;
  }

  resolver(): PatientResolver {
    return (patientId, studyUid) => this.resolve(patientId, studyUid);
  }
}

function studyUids(study: Json): string[] {
  const out: string[] = [];
  for (const i of Array.isArray(study.identifier) ? (study.identifier as Json[]) : []) {
    const v = i?.value;
    if (typeof v === 'string' && v.startsWith('urn:oid:')) out.push(v.slice(8));
  }
  return out;
}

/**
 * Pre-pass over a dataset's FHIR stores, reading only ImagingStudy and
 * Patient (folder files named for another type are not opened).
 * Unreadable records are skipped: the FHIR pass reports them.
 */
export async function buildPatientResolver(stores: FhirStore[]): Promise<PatientResolver> {
  const index = new PatientIndex();
  for (const store of stores) {
    let items: AsyncIterable<Item>;
    if (store instanceof FileFhirStore) {
      const inputs = (await resolveInputs([store.dir])).filter((input) => {
        const type = /^([A-Z][A-Za-z]+)(?=[.\-_])/.exec(path.basename(input.file))?.[1];
        return !type || !isResourceType(type) || WANTED.includes(type) || type === 'Bundle';
      });
      items = openResolvedInputs(inputs);
    } else {
      items = store.reader({ types: WANTED });
    }
    for await (const item of items) {
      if (item.kind !== 'ok') continue;
      const v = item.value as Json;
      index.learn(item.loc.entry !== undefined ? v?.resource : v);
    }
  }
  return index.resolver();
}
