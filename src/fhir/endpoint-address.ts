import type { Keyed } from '../core/keyed.js';
import type { TextDeidConfig } from '../text/types.js';
import { pseudonymizeSystem } from './identifier-system.js';

const AUTHORITY_RE = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s;

/**
 * A system's network address (Endpoint.address, a Subscription's or a
 * message's endpoint) as it may stay. Its user information (`user:password@`)
 * and its query and fragment go whole: they carry credentials
 * (`?access_token=…`) that no detector can tell from other text. What is
 * left is read as an Identifier's system is (identifier-system.ts), so a
 * host, path or address of the patient's values or of PHI the detectors find
 * (a person's Direct address `mailto:…`, an IP address) gets a keyed
 * pseudonym, the same one wherever that address is written.
 */
export function pseudonymizeEndpoint(address: string, keyed: Keyed, text: TextDeidConfig | undefined, alsoPhi?: (part: string) => boolean): string {
  let bare = address;
  const m = AUTHORITY_RE.exec(address);
  if (m) {
    const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
    const cut = rest.search(/[?#]/);
    bare = scheme + authority.slice(authority.lastIndexOf('@') + 1) + (cut < 0 ? rest : rest.slice(0, cut));
  } else {
    const cut = address.search(/[?#]/);
    if (cut >= 0) bare = address.slice(0, cut);
  }
  return pseudonymizeSystem(bare, keyed, text, alsoPhi);
}

/** Header fields whose values say how to exchange data, not who may: kept, read for the patient's values. */
const PLAIN_HEADERS = new Set([
  'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'content-type', 'content-encoding', 'content-language',
  'cache-control', 'prefer',
]);

const FIELD_RE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*)$/s;

/**
 * An HTTP header an Endpoint or a Subscription sends (`Authorization: Bearer …`):
 * undefined (removed) when it is no `name: value` field (RFC 9110 §5), the field
 * with its value replaced unless the name is one of PLAIN_HEADERS (returned as
 * `plain`, for the caller to read). The replacement names what the value was
 * taken for (Google's AUTH_TOKEN and HTTP_COOKIE infoTypes), `[REDACTED]` for any
 * other field, as an unknown header can hold anything.
 */
export function headerField(header: string): { plain: true } | { plain: false; value: string | undefined } {
  const m = FIELD_RE.exec(header.trim());
  if (!m) return { plain: false, value: undefined };
  const name = m[1]!.toLowerCase();
  if (PLAIN_HEADERS.has(name)) return { plain: true };
  if (m[2] === '') return { plain: false, value: header };
  const token = name.includes('cookie') ? 'HTTP_COOKIE' : /auth|token|secret|key|pass|session|signature|credential/.test(name) ? 'AUTH_TOKEN' : 'REDACTED';
  return { plain: false, value: `${m[1]}: [${token}]` };
}
