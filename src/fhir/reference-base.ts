import type { Keyed } from '../core/keyed.js';
import type { TextDeidConfig } from '../text/types.js';
import { changesWithoutContext } from '../text/deidentify-text.js';
import { isResourceType } from './r4-types.js';

/**
 * Whether the server part of a URL in a reference, a fullUrl or a link holds
 * PHI: a tenant or folder named after the patient
 * (`https://ehr.example.org/JohnSmith/Patient/1`, `…/john.smith@mail.com/…`,
 * `…/MRN-1234567/…`) or a host named after them (`john.smith.example.org`).
 *
 * Both are read by the text detectors free text goes through, with the
 * config of the run: the path's segments other than `Type/id` pairs (those
 * ids get pseudonyms), percent-decoded and joined by spaces, so a name split
 * over two segments is still a name; the host's labels joined by spaces (the
 * whole host is a web address to the detectors, its labels are words). Each
 * is read as written and again with camelCase and `.-_+~` split into words
 * (`JohnSmith` → `John Smith`). A segment that does not percent-decode, one
 * with `@` in it (no server's path needs one, an e-mail address has it), and
 * a path or host longer than MAX_SCANNED characters count as PHI unread.
 *
 * The patient's own context values are not looked for: the answer depends on
 * the URL and the config alone, so a reference comes out the same in every
 * record (references.ts memoizes it).
 */

/** An id after a resource type, as references.ts reads one. */
export const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

/** Longer paths and hosts are not read but count as PHI: a server's base is short, and the memo keys stay small. */
const MAX_SCANNED = 512;

/** cfg → `h`/`p` + host or path → whether it holds PHI. Bounded: cleared when full. */
const VERDICTS = new WeakMap<TextDeidConfig, Map<string, boolean>>();
const VERDICT_LIMIT = 2_000;

function verdict(kind: 'h' | 'p', value: string, cfg: TextDeidConfig, decide: () => boolean): boolean {
  if (value.length > MAX_SCANNED) return true;
  let m = VERDICTS.get(cfg);
  if (!m) VERDICTS.set(cfg, (m = new Map()));
  const key = kind + value;
  let v = m.get(key);
  if (v === undefined) {
    v = decide();
    if (m.size >= VERDICT_LIMIT) m.clear();
    m.set(key, v);
  }
  return v;
}

/** `JohnSmith` → `John Smith`, `john_smith.md` → `john smith md`. */
export function asWords(text: string): string {
  return text.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/[._~+\-]+/g, ' ');
}

/**
 * What a server's name may hold without naming the patient: its
 * organisation, its town, facility or domain (`CedarArmsMedical.com`,
 * `fhir.jefferson.edu`, `ema.europa.eu`). Found, not counted as PHI here:
 * a namespace or base named after them is how servers are named, and Safe
 * Harbor's places are the individual's.
 */
const SERVER_NAME_TYPES = ['LOCATION', 'ORGANIZATION_NAME', 'URL'];
const SERVER_CONFIGS = new WeakMap<TextDeidConfig, TextDeidConfig>();

function serverNameConfig(cfg: TextDeidConfig): TextDeidConfig {
  let c = SERVER_CONFIGS.get(cfg);
  if (!c) SERVER_CONFIGS.set(cfg, (c = { ...cfg, excludeInfoTypes: [...new Set([...cfg.excludeInfoTypes, ...SERVER_NAME_TYPES])] }));
  return c;
}

function textHasPhi(text: string, runCfg: TextDeidConfig): boolean {
  if (text.trim() === '') return false;
  const cfg = serverNameConfig(runCfg);
  if (changesWithoutContext(text, cfg)) return true;
  const words = asWords(text);
  return words !== text && changesWithoutContext(words, cfg);
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** The host of a URL's authority, its port dropped (`host:8080` → `host`). */
function hostOf(authority: string): string {
  return authority.replace(/:\d*$/, '');
}

/** What a host found to hold PHI becomes: `HMAC(key, "fhir-base-host" NUL host).invalid` (RFC 6761), port dropped, case folded. */
export function pseudonymHost(authority: string, keyed: Keyed): string {
  return `${keyed.pseudonym('fhir-base-host', hostOf(authority).toLowerCase())}.invalid`;
}

/** The authority of an http(s) URL without user information (`host`, `host:8080`, `[::1]:8080`). */
export function hostHasPhi(authority: string, cfg: TextDeidConfig): boolean {
  // an IP literal names a machine, and its numbers are no word
  if (authority.startsWith('[')) return false;
  const host = hostOf(authority);
  return verdict('h', host, cfg, () => {
    const d = decode(host);
    if (d === undefined || d.includes('@')) return true;
    const words = d.split('.').join(' ');
    // DNS names are case-insensitive: `JOHN.SMITH.example.org` is also read as the lower-case name it is
    // (as written too, for `JohnSmith.example.org`'s camelCase)
    return textHasPhi(words, cfg) || (words !== words.toLowerCase() && textHasPhi(words.toLowerCase(), cfg));
  });
}

/** A URL path (`/fhir/JohnSmith/Patient/1/`): every segment but the `Type/id` pairs. */
export function pathHasPhi(path: string, cfg: TextDeidConfig): boolean {
  return verdict('p', path, cfg, () => {
    const segs = path.split('/');
    const words: string[] = [];
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      if (s === '') continue;
      if (isResourceType(s) && i + 1 < segs.length && ID_RE.test(segs[i + 1]!)) {
        i++;
        continue;
      }
      const d = decode(s);
      if (d === undefined || d.includes('@')) return true;
      words.push(d);
    }
    return textHasPhi(words.join(' '), cfg);
  });
}
