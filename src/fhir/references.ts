import type { Keyed } from '../core/keyed.js';
import { UUID_RE } from '../core/keyed.js';
import { isResourceType } from './r4-types.js';
import type { TextDeidConfig } from '../text/types.js';
import { DEFAULT_TEXT_CONFIG } from '../text/default-config.js';
import { hostHasPhi, ID_RE, pathHasPhi, pseudonymHost } from './reference-base.js';

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
 * A base whose host or path the text detectors find PHI in (reference-base.ts)
 * has that part replaced by a keyed pseudonym (pseudonymizeBase). `text` is
 * the run's text config; the output is a pure function of (ref, key, text).
 */
const REL_RE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const ABS_RE = /^(https?:\/\/[^?#]*?\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * Memo of whole references per key and text config: a reference to a patient
 * or an encounter recurs in most of its records, and one Map hit replaces a
 * regex match, the id's memo and a concatenation. Bounded like Keyed's memos,
 * in entries and in the length of what is kept (longer references are rare
 * and are worked out each time).
 */
const MEMO = new WeakMap<Keyed, WeakMap<TextDeidConfig, Map<string, string | null>>>();
const MEMO_LIMIT = 10_000;
const MEMO_MAX_CHARS = 256;

export function pseudonymizeReference(ref: string, keyed: Keyed, text: TextDeidConfig = DEFAULT_TEXT_CONFIG): string | undefined {
  if (ref.length > MEMO_MAX_CHARS) return derive(ref, keyed, text);
  let byText = MEMO.get(keyed);
  if (!byText) MEMO.set(keyed, (byText = new WeakMap()));
  let memo = byText.get(text);
  if (!memo) byText.set(text, (memo = new Map()));
  const hit = memo.get(ref);
  if (hit !== undefined) return hit ?? undefined;
  const v = derive(ref, keyed, text);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(ref, v ?? null);
  return v;
}

function derive(ref: string, keyed: Keyed, text: TextDeidConfig): string | undefined {
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
    const base = pseudonymizeBase(m[1]!, keyed, text);
    return base === undefined ? undefined : `${base}${m[2]}/${keyed.fhirId(m[3]!)}${m[4] ?? ''}`;
  }
  const q = ref.indexOf('?');
  if (q > 0) return pseudonymizeConditional(ref, keyed, text);
  return undefined;
}

/** `Type?identifier=system|value&…` — only identifier parameters survive, pseudonymised. */
export function pseudonymizeConditional(ref: string, keyed: Keyed, text: TextDeidConfig = DEFAULT_TEXT_CONFIG): string | undefined {
  const q = ref.indexOf('?');
  const slash = ref.lastIndexOf('/', q);
  const typeName = ref.slice(slash + 1, q);
  if (!isResourceType(typeName)) return undefined;
  // what stands before the type can only be a server's base URL, itself made safe
  const base = slash < 0 ? '' : ABS_BASE_RE.test(ref.slice(0, slash + 1)) ? pseudonymizeBase(ref.slice(0, slash + 1), keyed, text) : undefined;
  if (base === undefined) return undefined;
  const params = pseudonymizeQuery(ref.slice(q + 1), keyed);
  return params ? `${base}${typeName}?${params}` : undefined;
}

const ABS_BASE_RE = /^https?:\/\/[^?#]*\/$/;
/** Scheme and authority of an http(s) URL, and the path after them. */
const URL_PARTS_RE = /^(https?:\/\/[^/?#]*)([^?#]*)$/;

/**
 * A server base URL (`https://host/fhir/`) as it may stay in a reference:
 * undefined when its authority holds user information (`user:password@`);
 * a `Type/id` pair in its path (a compartment, `…/Patient/123/`) gets the
 * id's pseudonym, as the reference's own id does.
 *
 * When the detectors find PHI in it (reference-base.ts), that part is
 * replaced by a keyed pseudonym: the path, all of it, by one segment
 * `HMAC(key, "fhir-base-path" NUL path)`; the host, port dropped, by
 * `HMAC(key, "fhir-base-host" NUL host).invalid` (RFC 6761 §6.4: a name that
 * resolves nowhere). The base is not dropped: FHIR R4 defines
 * Bundle.entry.fullUrl as "The Absolute URL for the resource", which "SHALL
 * have a value" but on a POST or for an operation's unidentified results
 * (https://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.fullUrl),
 * and resolves an absolute reference in a Bundle by matching it to a
 * fullUrl, a relative one against the base of its own entry's fullUrl
 * (https://hl7.org/fhir/R4/bundle.html#references). A relative form would
 * make a reference to another server's `Organization/2` resolve to the local
 * one; the same rewrite everywhere keeps references and fullUrls agreeing.
 */
function pseudonymizeBase(base: string, keyed: Keyed, text: TextDeidConfig): string | undefined {
  const m = URL_PARTS_RE.exec(base);
  if (!m || m[1]!.includes('@')) return undefined;
  const schemeEnd = m[1]!.indexOf('//') + 2;
  const authority = m[1]!.slice(schemeEnd);
  const host = hostHasPhi(authority, text) ? pseudonymHost(authority, keyed) : authority;
  const path = pathHasPhi(m[2]!, text) ? `/${keyed.pseudonym('fhir-base-path', m[2]!)}/` : pseudonymizePathIds(m[2]!, keyed);
  return m[1]!.slice(0, schemeEnd) + host + path;
}

/** `schemeAndAuthority` as URL_PARTS_RE's first group (`https://host:8080`). */
function baseHasPhi(schemeAndAuthority: string, path: string, text: TextDeidConfig): boolean {
  return hostHasPhi(schemeAndAuthority.slice(schemeAndAuthority.indexOf('//') + 2), text) || pathHasPhi(path, text);
}

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
 * identifiers); the rest must be an http(s) URL without user information
 * or PHI in its host or path (reference-base.ts), and each `Type/id` in its
 * path (`…/Patient/123/$everything`) gets the id's pseudonym. Anything else
 * is undefined (the caller removes it): a link is for paging a search,
 * which a de-identified copy cannot do anyway.
 */
export function pseudonymizeLinkUrl(url: string, keyed: Keyed, text: TextDeidConfig = DEFAULT_TEXT_CONFIG): string | undefined {
  const end = url.search(/[?#]/);
  const m = URL_PARTS_RE.exec(end < 0 ? url : url.slice(0, end));
  if (!m || m[1]!.includes('@') || baseHasPhi(m[1]!, m[2]!, text)) return undefined;
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

/** Bundle.entry.fullUrl: urn:uuid / absolute URL forms (a base with PHI rewritten as pseudonymizeBase says); other forms removed. */
export function pseudonymizeFullUrl(url: string, keyed: Keyed, text: TextDeidConfig = DEFAULT_TEXT_CONFIG): string | undefined {
  if (url.startsWith('urn:uuid:') || ABS_RE.test(url)) return pseudonymizeReference(url, keyed, text);
  if (url.startsWith('urn:oid:')) return url;
  return undefined;
}

/** Bundle.entry.request.url: `Type`, `Type/id`, `Type?query`, `Type/id/_history/v`, or an absolute form. */
export function pseudonymizeRequestUrl(url: string, keyed: Keyed, text: TextDeidConfig = DEFAULT_TEXT_CONFIG): string | undefined {
  if (/^[A-Z][A-Za-z]+$/.test(url)) return isResourceType(url) ? url : undefined;
  const q = url.indexOf('?');
  if (q >= 0) {
    const path = url.slice(0, q);
    const params = pseudonymizeQuery(url.slice(q + 1), keyed);
    const base = /^[A-Z][A-Za-z]+$/.test(path) || path === '' ? path : pseudonymizeReference(path, keyed, text);
    if (base === undefined) return undefined;
    return params ? `${base}?${params}` : base;
  }
  return pseudonymizeReference(url, keyed, text);
}

/** The logical id a reference points to, when it names a Patient (or an untyped urn:uuid). */
export function referencedPatientId(ref: string): string | undefined {
  if (ref.startsWith('urn:uuid:')) return ref.slice(9).toLowerCase();
  const m = REL_RE.exec(ref) ?? ABS_RE.exec(ref);
  if (!m) return undefined;
  const [type, id] = m.length === 4 ? [m[1], m[2]] : [m[2], m[3]];
  return type === 'Patient' ? id : undefined;
}
