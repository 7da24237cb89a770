import type { Keyed } from '../core/keyed.js';
import type { TextDeidConfig } from '../text/types.js';
import { hostHasPhi, pathHasPhi, pseudonymHost } from './reference-base.js';

// the rest unconstrained: `([^#]*)$` backtracked quadratically on a long system with a `#` in it
const HTTP_RE = /^(https?:\/\/)([^/?#]*)(.*)$/is;
const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s;
/** Namespaces made of registry numbers or random ids: no word for the detectors to find. */
const OPAQUE_RE = /^urn:(?:oid:[0-9.]+|uuid:[0-9a-fA-F-]+)$/i;
/** FHIR's uri has no whitespace (`\S*`): words after a space are no part of a namespace we can read. */
const WHITESPACE_RE = /\s/;

/**
 * An Identifier's system as it may stay. A system names a namespace, but some
 * senders build it from the record's own values
 * (`http://ehr.example.org/mrn/MRN-1234567`, `https://jsmith.example.org/ids`,
 * `urn:mrn:John.Smith`, an OID with the MRN as an arc). It is read as a reference's base is
 * (reference-base.ts: host labels and path segments through the run's text
 * detectors, an answer that is the same in every record) and, through
 * `alsoPhi`, for what the record alone knows (the patient's own names and ids,
 * which no list holds; asked of the host and of the rest apart), so a system
 * built from them changes alike in each of that patient's records and
 * identifiers keep matching by system. A host found to hold PHI
 * becomes `<HMAC>.invalid` (RFC 6761), a path (with its query) one `/<HMAC>`
 * segment; any other URI with PHI after its scheme becomes `urn:deid:<HMAC>`.
 * Pseudonyms are keyed on the original, so one system maps to one system.
 * Without `text`, only `alsoPhi` and what cannot be read (whitespace, user
 * information) count: for a code system's URI, which names a vocabulary far
 * more often than anything of a person's (`http://ema.europa.eu/…` is no name).
 */
export function pseudonymizeSystem(system: string, keyed: Keyed, text: TextDeidConfig | undefined, alsoPhi?: (part: string) => boolean): string {
  if (OPAQUE_RE.test(system)) {
    // but an arc can be the patient's own number (`urn:oid:1.2.840.4455667` for MRN 4455667)
    if (alsoPhi?.(system.replace(/^urn:(?:oid|uuid):/i, '').replace(/[.-]/g, ' ')) !== true) return system;
    return `urn:deid:${keyed.pseudonym('fhir-identifier-system', system)}`;
  }
  const http = HTTP_RE.exec(system);
  if (http) {
    const [, scheme, authority, rest] = http as unknown as [string, string, string, string];
    if (authority.includes('@')) return `urn:deid:${keyed.pseudonym('fhir-identifier-system', system)}`;
    const hostPhi = WHITESPACE_RE.test(authority) || (text !== undefined && hostHasPhi(authority, text)) || alsoPhi?.(authority.replace(/\./g, ' ')) === true;
    const pathPhi = rest !== '' && (WHITESPACE_RE.test(rest) || (text !== undefined && pathHasPhi(rest.replace(/[?&=]/g, '/'), text)) || alsoPhi?.(rest) === true);
    if (!hostPhi && !pathPhi) return system;
    const host = hostPhi ? pseudonymHost(authority, keyed) : authority;
    return scheme + host + (pathPhi ? `/${keyed.pseudonym('fhir-system-path', rest)}` : rest);
  }
  const m = SCHEME_RE.exec(system);
  const rest = m ? m[2]! : system;
  if (!WHITESPACE_RE.test(rest) && (text === undefined || !pathHasPhi(rest.replace(/:/g, '/'), text)) && alsoPhi?.(rest) !== true) return system;
  return `urn:deid:${keyed.pseudonym('fhir-identifier-system', system)}`;
}
