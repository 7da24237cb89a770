import { BIRTH_DATE_CONTEXT, type ContextValue } from '../text/types.js';
import { referencedPatientId } from './references.js';
import { SpilledContexts } from './spilled-contexts.js';
import { runTogether } from '../text/run-together.js';

/**
 * The patient of a resource decides its date shift and the contextual values
 * scrubbed from its free text. The key is the patient's logical id (UUIDs
 * lower-cased, so `urn:uuid:` references and ids agree).
 *
 * Order of resolution: the Patient itself; else the first reference to a
 * Patient in the compartment elements below; else none (the resource is its
 * own context).
 */
const PATIENT_ELEMENTS = ['subject', 'patient', 'beneficiary', 'individual', 'who', 'actor', 'requester', 'member'];

type Json = Record<string, unknown>;

export function patientIdOf(resource: Json, fullUrl?: string): string | undefined {
  if (resource.resourceType === 'Patient') {
    if (typeof resource.id === 'string') return normalizeId(resource.id);
    if (fullUrl?.startsWith('urn:uuid:')) return fullUrl.slice(9).toLowerCase();
    return undefined;
  }
  for (const el of PATIENT_ELEMENTS) {
    const v = resource[el];
    const refs = Array.isArray(v) ? v : [v];
    for (const r of refs) {
      const ref = r && typeof r === 'object' ? (r as Json).reference : undefined;
      if (typeof ref === 'string') {
        const id = referencedPatientId(ref);
        if (id) return normalizeId(id);
      }
    }
  }
  return undefined;
}

function normalizeId(id: string): string {
  return /^[0-9A-F-]{36}$/i.test(id) ? id.toLowerCase() : id;
}

/** Key for the date shift: shared by every resource of a patient (and, in later work, its DICOM). */
export function dateShiftKey(resource: Json, patientId: string | undefined): string {
  if (patientId) return `Patient/${patientId}`;
  return `${String(resource.resourceType)}/${fhirIdOrEmpty(resource.id)}`;
}

/** A FHIR id (R4 `id`: 1 to 64 of [A-Za-z0-9\-.]). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * `id` when it is a FHIR id, else '': a value that is no id (not a string,
 * too long, other characters) keys a date shift as no id does. A streamed
 * Bundle's id read ahead keeps no more than an id can take
 * (sources/top-level-id.ts), so a longer one must key nothing to agree with
 * the Bundle read whole.
 */
export function fhirIdOrEmpty(id: unknown): string {
  return typeof id === 'string' && FHIR_ID.test(id) ? id : '';
}

/**
 * The values a Patient resource carries in structured fields that must also be
 * scrubbed from that patient's free text (contextual de-identification).
 */
export function contextValuesOf(patient: Json): ContextValue[] {
  const out: ContextValue[] = [];
  const push = (value: unknown, infoType: string) => {
    if (typeof value === 'string' && value.trim().length >= 2) out.push({ value: value.trim(), infoType });
  };
  for (const n of asArray(patient.name)) {
    push(n.text, 'PERSON_NAME');
    push(n.family, 'LAST_NAME');
    for (const g of asArray<unknown>(n.given)) push(g, 'FIRST_NAME');
    const full = [...asArray<unknown>(n.given), n.family].filter((x) => typeof x === 'string').join(' ');
    if (full.includes(' ')) push(full, 'PERSON_NAME');
    for (const g of asArray<unknown>(n.given)) for (const v of runTogether(g, n.family)) push(v, 'PERSON_NAME');
  }
  for (const t of asArray(patient.telecom)) push(t.value, t.system === 'email' ? 'EMAIL_ADDRESS' : 'PHONE_NUMBER');
  for (const a of asArray(patient.address)) {
    for (const l of asArray<unknown>(a.line)) push(l, 'STREET_ADDRESS');
    push(a.city, 'LOCATION');
    push(a.district, 'LOCATION');
    push(a.postalCode, 'LOCATION');
    push(a.text, 'STREET_ADDRESS');
  }
  for (const i of asArray(patient.identifier)) push(i.value, 'MEDICAL_RECORD_NUMBER');
  // not scrubbed as written: it tells which dates of the patient's text are their date of birth
  push(patient.birthDate, BIRTH_DATE_CONTEXT);
  for (const c of asArray(patient.contact)) {
    const n = c.name as Json | undefined;
    if (n) {
      push(n.family, 'LAST_NAME');
      for (const g of asArray<unknown>(n.given)) push(g, 'FIRST_NAME');
      push(n.text, 'PERSON_NAME');
    }
    for (const t of asArray(c.telecom)) push(t.value, 'PHONE_NUMBER');
  }
  return dedupe(out);
}

function asArray<T = Json>(v: unknown): T[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined) as T[];
  return v === null || v === undefined ? [] : [v as T];
}

function dedupe(values: ContextValue[]): ContextValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = v.value.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Per-run store of contextual values by patient id. Up to `maxInMemory`
 * patients are held in the heap; past that, all of them go to a private file
 * (SpilledContexts), so what the heap holds stays small whatever the number of
 * patients. close() removes that file; call it when the run ends.
 */
export class PatientContext {
  #byPatient: Map<string, ContextValue[]> | undefined = new Map();
  #spilled: SpilledContexts | undefined;
  #global: ContextValue[] | undefined;
  /** Values held over all patients, kept as they are added: global() runs once per record. */
  #total = 0;
  #version = 0;

  /** Largest union of all patients' values scrubbed from every record. */
  static readonly GLOBAL_LIMIT = 5000;
  /** Patients held in the heap before they go to disk (~1 KB each in the heap; ~20 MB). */
  static readonly MAX_IN_MEMORY = 20_000;

  constructor(private readonly opts: { maxInMemory?: number; tmpdir?: string } = {}) {}

  add(patientId: string, values: ContextValue[]): void {
    const prev = this.get(patientId);
    if (prev && values.every((v) => prev.some((p) => p.value.toLowerCase() === v.value.toLowerCase()))) return;
    const next = prev ? dedupe([...prev, ...values]) : values;
    this.#total += next.length - (prev?.length ?? 0);
    if (this.#spilled) {
      this.#spilled.set(patientId, next);
    } else {
      this.#byPatient!.set(patientId, next);
      // While the union of all values is still scrubbed from every record (global()), it stays in memory.
      if (this.#byPatient!.size > (this.opts.maxInMemory ?? PatientContext.MAX_IN_MEMORY) && this.#total > PatientContext.GLOBAL_LIMIT) this.#spill();
    }
    this.#global = undefined;
    this.#version++;
  }

  /** Whether the patients' values are on disk (see SpilledContexts). */
  get spilled(): boolean {
    return this.#spilled !== undefined;
  }

  #spill(): void {
    const s = new SpilledContexts(this.opts.tmpdir);
    for (const [id, values] of this.#byPatient!) s.set(id, values);
    this.#spilled = s;
    this.#byPatient = undefined;
  }

  /** Removes the spilled patients' file, if any; the context is empty afterwards. */
  close(): void {
    this.#spilled?.close();
    this.#spilled = undefined;
    this.#byPatient = new Map();
    this.#total = 0;
    this.#global = undefined;
  }

  /**
   * Changes with every add() that taught the context something new. A worker
   * thread holds a copy of the context, which must not change under it (see
   * src/pipeline/fhir-batch.ts).
   */
  get version(): number {
    return this.#version;
  }

  /**
   * The patients and their values in the order they were learnt, to build a
   * copy with fromEntries. Not for a spilled context (it would bring every
   * patient back into the heap): throws.
   */
  entries(): Array<[string, ContextValue[]]> {
    if (!this.#byPatient) throw new Error('PatientContext.entries() on a spilled context');
    return [...this.#byPatient];
  }

  static fromEntries(entries: Iterable<[string, ContextValue[]]>): PatientContext {
    const c = new PatientContext();
    for (const [id, values] of entries) c.add(id, values);
    return c;
  }

  /**
   * Every known patient's values (never on a spilled context, which holds more
   * than GLOBAL_LIMIT): one patient's identifiers must not survive
   * in another patient's record, nor in a record of no patient (a Group, a
   * Practitioner's note, a Bundle of several patients). Beyond GLOBAL_LIMIT
   * values the union is not built (one regex over that many alternatives
   * would cost more per string than it protects) and each record gets its own
   * patient's values only.
   */
  global(): ContextValue[] | undefined {
    if (this.#global) return this.#global;
    if (this.#total === 0 || this.#total > PatientContext.GLOBAL_LIMIT || !this.#byPatient) return undefined;
    this.#global = dedupe([...this.#byPatient.values()].flat());
    return this.#global;
  }
  get(patientId: string | undefined): ContextValue[] | undefined {
    if (patientId === undefined) return undefined;
    return this.#spilled ? this.#spilled.get(patientId) : this.#byPatient!.get(patientId);
  }
  get size(): number {
    return this.#spilled ? this.#spilled.size : this.#byPatient!.size;
  }
}
