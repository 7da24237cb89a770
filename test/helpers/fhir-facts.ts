/**
 * Facts about FHIR datasets used by the proof tests: ids, references, dates
 * per patient. Computed from the data, never hard-coded.
 */
type Json = Record<string, unknown>;

export function* resourcesOf(records: Iterable<Json>): Generator<Json> {
  for (const r of records) {
    yield r;
    if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) {
      for (const e of r.entry as Json[]) if (e?.resource) yield* resourcesOf([e.resource as Json]);
    }
  }
}

/** `Type/id` of every resource, and `urn:uuid:` full URLs of Bundle entries. */
export function targetsOf(records: Iterable<Json>): Set<string> {
  const s = new Set<string>();
  for (const r of records) {
    if (typeof r.id === 'string') s.add(`${String(r.resourceType)}/${r.id}`);
    if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) {
      for (const e of r.entry as Json[]) {
        if (typeof e?.fullUrl === 'string') s.add(e.fullUrl);
        if (e?.resource) for (const t of targetsOf([e.resource as Json])) s.add(t);
      }
    }
  }
  return s;
}

/** Every `Reference.reference` string, except contained-local `#` ones and those in extensions (which BASIC removes). */
export function referencesOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) referencesOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Json)) {
      if (k === 'extension' || k === 'modifierExtension') continue;
      if (k === 'reference' && typeof v === 'string' && !v.startsWith('#')) out.push(v);
      else referencesOf(v, out);
    }
  }
  return out;
}

export function resolvingCount(records: Json[]): number {
  const targets = targetsOf(records);
  return referencesOf(records).filter((r) => targets.has(r)).length;
}

const FULL_DATE = /^\d{4}-\d{2}-\d{2}(T.*)?$/;

/**
 * [path, value] of every full date (YYYY-MM-DD…) in a resource, not in the
 * resources it holds as entries. Array positions are written `[i/n]` (index
 * and length) so that a date is compared only with the one at the same
 * position of an array that kept its length.
 */
export function datesOf(value: unknown, path = '', out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((v, i) => datesOf(v, `${path}[${i}/${value.length}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Json)) if (k !== 'resource') datesOf(v, `${path}.${k}`, out);
  }
  else if (typeof value === 'string' && FULL_DATE.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)))) out.push([path, value]);
  return out;
}

export function dayOf(d: string): number {
  return Date.parse(d.slice(0, 10) + 'T00:00:00Z') / 86_400_000;
}

export function patientOf(r: Json): string | undefined {
  if (r.resourceType === 'Patient') return typeof r.id === 'string' ? r.id.toLowerCase() : undefined;
  for (const k of ['subject', 'patient', 'beneficiary']) {
    const ref = (r[k] as Json | undefined)?.reference;
    if (typeof ref === 'string') {
      const m = /(?:^|\/)Patient\/([^/]+)$/.exec(ref) ?? /^urn:uuid:(.+)$/.exec(ref);
      if (m) return m[1]!.toLowerCase();
    }
  }
  return undefined;
}
