import type { Keyed } from '../core/keyed.js';
import { UUID_RE } from '../core/keyed.js';
import { isResourceType } from './r4-types.js';

/**
 * Reference pseudonymisation. Every form is a pure function of the key, so a
 * resource id and every reference to it agree without any lookup table:
 *   Type/id[/_history/v]         → Type/<fhirId(id)>[/_history/v]
 *   <base>/Type/id[/_history/v]  → <base>/Type/<fhirId(id)>…
 *   urn:uuid:X                   → urn:uuid:<uuid(X)>   (still a valid UUID)
 *   #id                          → #<fhirId(id)>         (contained resources)
 *   Type?identifier=sys|value    → Type?identifier=sys|<identifier(value)>
 * Any other search parameter of a conditional reference is dropped, and a
 * reference of no known form yields undefined (the caller removes it).
 */
const REL_RE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABS_RE = /^(https?:\/\/[^?#]*?\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * Memo of whole references per key: a reference to a patient or an encounter
 * recurs in most of its records, and one Map hit replaces a regex match, the
 * id's memo and a concatenation. Bounded like Keyed's memos.
 */
const MEMO = new WeakMap<Keyed, Map<string, string | null>>();
const MEMO_LIMIT = 10_000;

export function pseudonymizeReference(ref: string, keyed: Keyed): string | undefined {
  let memo = MEMO.get(keyed);
  if (!memo) MEMO.set(keyed, (memo = new Map()));
  const hit = memo.get(ref);
  if (hit !== undefined) return hit ?? undefined;
  const v = derive(ref, keyed);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(ref, v ?? null);
  return v;
}

function derive(ref: string, keyed: Keyed): string | undefined {
  if (ref.startsWith('#')) return ref.length === 1 ? ref : `#${keyed.fhirId(ref.slice(1))}`;
  if (ref.startsWith('urn:uuid:')) {
    const u = ref.slice(9);
    return UUID_RE.test(u) ? `urn:uuid:${keyed.uuid(u)}` : undefined;
  }
  if (ref.startsWith('urn:oid:')) return ref;
  let m = REL_RE.exec(ref);
  if (m && isResourceType(m[1]!)) return `${m[1]}/${keyed.fhirId(m[2]!)}${m[3] ?? ''}`;
  m = ABS_RE.exec(ref);
  if (m && isResourceType(m[2]!)) {
    const base = pseudonymizeBase(m[1]!, keyed);
    return base === undefined ? undefined : `${base}${m[2]}/${keyed.fhirId(m[3]!)}${m[4] ?? ''}`;
  }
  const q = ref.indexOf('?');
  if (q > 0) return pseudonymizeConditional(ref, keyed);
  return undefined;
}

/** `Type?identifier=system|value&…` — only identifier parameters survive, pseudonymised. */
export function pseudonymizeConditional(ref: string, keyed: Keyed): string | undefined {
  const q = ref.indexOf('?');
  const slash = ref.lastIndexOf('/', q);
  const typeName = ref.slice(slash + 1, q);
  if (!isResourceType(typeName)) return undefined;
  // what stands before the type can only be a server's base URL, itself made safe
  const base = slash < 0 ? '' : ABS_BASE_RE.test(ref.slice(0, slash + 1)) ? pseudonymizeBase(ref.slice(0, slash + 1), keyed) : undefined;
  if (base === undefined) return undefined;
  const params = pseudonymizeQuery(ref.slice(q + 1), keyed);
  return params ? `${base}${typeName}?${params}` : undefined;
}

const ABS_BASE_RE = /^https?:\/\/[^?#]*\/$/;
/** Scheme and authority of an http(s) URL, and the path after them. */
const URL_PARTS_RE = /^(https?:\/\/[^/?#]*)([^?#]*)$/;

/**
 * A server base URL (`https://host/fhir/`) as it may stay in a reference:
 * undefined when its authority holds user information (`user:password@`),
 * and a `Type/id` pair in its path (a compartment, `…/Patient/123/`) gets
 * the id's pseudonym, as the reference's own id does.
 */
function pseudonymizeBase(base: string, keyed: Keyed): string | undefined {
  const m = URL_PARTS_RE.exec(base);
  if (!m || m[1]!.includes('@')) return undefined;
  return m[1]! + pseudonymizePathIds(m[2]!, keyed);
}

const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

/** A URL path with the id after each resource type segment (`/Patient/123`) pseudonymised. */
function pseudonymizePathIds(path: string, keyed: Keyed): string {
  const segs = path.split('/');
  for (let i = 0; i + 1 < segs.length; i++) {
    if (isResourceType(segs[i]!) && ID_RE.test(segs[i + 1]!)) {
      segs[i + 1] = keyed.fhirId(segs[i + 1]!);
      i++;
    }
  }
  return segs.join('/');
}

/**
 * Bundle.link.url: the query goes (search parameters hold names, dates,
 * identifiers); the rest must be an http(s) URL without user information,
 * and each `Type/id` in its path (`…/Patient/123/$everything`) gets the id's
 * pseudonym. Anything else is undefined (the caller removes it).
 */
export function pseudonymizeLinkUrl(url: string, keyed: Keyed): string | undefined {
  const end = url.search(/[?#]/);
  const m = URL_PARTS_RE.exec(end < 0 ? url : url.slice(0, end));
  if (!m || m[1]!.includes('@')) return undefined;
  return m[1]! + pseudonymizePathIds(m[2]!, keyed);
}

/** A search query string (no leading `?`): identifier values pseudonymised, every other parameter dropped. */
export function pseudonymizeQuery(query: string, keyed: Keyed): string {
  const out: string[] = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq);
    if (name !== 'identifier') continue;
    // The system part is kept exactly as written; only the value is replaced.
    const raw = part.slice(eq + 1);
    const enc = raw.toUpperCase().lastIndexOf('%7C');
    const bar = Math.max(raw.lastIndexOf('|'), enc < 0 ? -1 : enc + 2);
    const sys = bar >= 0 ? raw.slice(0, bar + 1) : '';
    let v: string;
    try {
      v = decodeURIComponent(bar >= 0 ? raw.slice(bar + 1) : raw);
    } catch {
      continue;
    }
    if (!v) continue;
    out.push(`identifier=${sys}${encodeURIComponent(keyed.identifier(v))}`);
  }
  return out.join('&');
}

/** Whether a URL names a resource as a reference does (`Type/id`, `<base>/Type/id`, `…/_history/v`): Attachment.url may. */
export function isResourceUrl(url: string): boolean {
  const m = REL_RE.exec(url);
  if (m) return isResourceType(m[1]!);
  const a = ABS_RE.exec(url);
  return a !== null && isResourceType(a[2]!);
}

/** Bundle.entry.fullUrl: urn:uuid / absolute URL forms; other forms removed. */
export function pseudonymizeFullUrl(url: string, keyed: Keyed): string | undefined {
  if (url.startsWith('urn:uuid:') || ABS_RE.test(url)) return pseudonymizeReference(url, keyed);
  if (url.startsWith('urn:oid:')) return url;
  return undefined;
}

/** Bundle.entry.request.url: `Type`, `Type/id`, `Type?query`, `Type/id/_history/v`, or an absolute form. */
export function pseudonymizeRequestUrl(url: string, keyed: Keyed): string | undefined {
  if (/^[A-Z][A-Za-z]+$/.test(url)) return isResourceType(url) ? url : undefined;
  const q = url.indexOf('?');
  if (q >= 0) {
    const path = url.slice(0, q);
    const params = pseudonymizeQuery(url.slice(q + 1), keyed);
    const base = /^[A-Z][A-Za-z]+$/.test(path) || path === '' ? path : pseudonymizeReference(path, keyed);
    if (base === undefined) return undefined;
    return params ? `${base}?${params}` : base;
  }
  return pseudonymizeReference(url, keyed);
}

/** The logical id a reference points to, when it names a Patient (or an untyped urn:uuid). */
export function referencedPatientId(ref: string): string | undefined {
  if (ref.startsWith('urn:uuid:')) return ref.slice(9).toLowerCase();
  const m = REL_RE.exec(ref) ?? ABS_RE.exec(ref);
  if (!m) return undefined;
  const [type, id] = m.length === 4 ? [m[1], m[2]] : [m[2], m[3]];
  return type === 'Patient' ? id : undefined;
}
