/**
 * Leak check: collects the direct identifiers of every Patient in an input
 * (names, phone numbers, address lines, SSNs, MRNs and other identifier
 * values, birth dates) and reports every place one of them still occurs in an
 * output — in any string, in narrative, and inside base64 text attachments.
 */
type Json = Record<string, unknown>;

export interface Identifier {
  kind: 'name' | 'phone' | 'address' | 'ssn' | 'mrn' | 'identifier' | 'birthDate';
  value: string;
  patient: string;
}

export interface Leak extends Identifier {
  where: string;
}

export function patientIdentifiers(resources: Iterable<Json>): Identifier[] {
  const out: Identifier[] = [];
  const seen = new Set<string>();
  const add = (kind: Identifier['kind'], value: unknown, patient: string) => {
    if (typeof value !== 'string') return;
    const v = value.trim();
    // Short or generic tokens ("Mr.", "MD", single initials) prove nothing either way.
    if (v.length < 4 && kind !== 'name') return;
    if (kind === 'name' && (v.length < 3 || /^(mr|mrs|ms|dr|jr|sr|md|phd)\.?$/i.test(v))) return;
    const k = `${kind}|${v.toLowerCase()}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ kind, value: v, patient });
  };
  for (const r of walkResources(resources)) {
    if (r.resourceType !== 'Patient') continue;
    const p = String(r.id ?? '?');
    for (const n of arr(r.name)) {
      add('name', n.family, p);
      for (const g of arr<string>(n.given)) add('name', g, p);
      add('name', n.text, p);
    }
    for (const t of arr(r.telecom)) add('phone', t.value, p);
    for (const a of arr(r.address)) for (const l of arr<string>(a.line)) add('address', l, p);
    for (const i of arr(r.identifier)) {
      const codes = arr(((i.type as Json | undefined)?.coding) as unknown).map((c) => String(c.code));
      const kind = codes.includes('SS') || /us-ssn/.test(String(i.system)) ? 'ssn' : codes.includes('MR') ? 'mrn' : 'identifier';
      add(kind, i.value, p);
    }
    add('birthDate', r.birthDate, p);
  }
  return out;
}

/** Every string of a JSON value, with base64 text attachments decoded. */
export function* stringsOf(value: unknown, where = '$'): Generator<[string, string]> {
  if (typeof value === 'string') {
    yield [value, where];
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* stringsOf(value[i], `${where}[${i}]`);
    return;
  }
  if (value && typeof value === 'object') {
    const o = value as Json;
    if (typeof o.data === 'string' && typeof o.contentType === 'string' && o.contentType.startsWith('text/')) {
      yield [Buffer.from(o.data, 'base64').toString('utf8'), `${where}.data(decoded)`];
    }
    // Codes and code-system URIs come from terminologies, not from the patient;
    // a toy MRN such as 123456 may equal a diagnosis code without disclosing anything.
    for (const [k, v] of Object.entries(o)) if (k !== 'code' && k !== 'system') yield* stringsOf(v, `${where}.${k}`);
  }
}

export function findLeaks(ids: Identifier[], outputs: Iterable<Json>): Leak[] {
  const leaks: Leak[] = [];
  // Names are proper nouns and match case-sensitively: a patient called Hand is
  // not disclosed by "Laceration of hand". Everything else matches in any case.
  const matchers = ids.map((id) => ({
    id,
    re: new RegExp(`(^|[^\\p{L}\\p{N}])${escape(id.value)}($|[^\\p{L}\\p{N}])`, id.kind === 'name' ? 'u' : 'iu'),
  }));
  for (const out of outputs) {
    for (const [s, where] of stringsOf(out, String(out.resourceType ?? '?'))) {
      for (const m of matchers) if (m.re.test(s)) leaks.push({ ...m.id, where });
    }
  }
  return leaks;
}

function* walkResources(resources: Iterable<Json>): Generator<Json> {
  for (const r of resources) {
    yield r;
    for (const c of arr(r.contained)) yield* walkResources([c]);
    for (const e of arr(r.entry)) if (e.resource && typeof e.resource === 'object') yield* walkResources([e.resource as Json]);
  }
}

function arr<T = Json>(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x != null) as T[]) : v == null ? [] : [v as T];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
