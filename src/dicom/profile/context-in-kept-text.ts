import { digitBounded } from '../../text/digit-bounded.js';
import type { ContextValue } from '../../text/types.js';

/** PS3.5 Table 6.2-1: the most characters a value of these VRs may hold (UC, UT: no limit). */
const MAX_CHARS: Readonly<Record<string, number>> = { SH: 16, LO: 64, ST: 1024, LT: 10240 };

/** The kept VRs read for the instance's own values: text a writer typed (not codes, names or numbers). */
export const KEPT_TEXT_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UC', 'UT']);

const PLACEHOLDER = '[CTX]';

const matchers = new WeakMap<readonly ContextValue[], RegExp | null>();

/**
 * One pattern for all the context values of an instance (the person values the
 * profile takes out of it: name parts, the patient's IDs), each a whole word
 * or run of words, in any letter case, a number of six digits or more
 * wherever no digit touches it (digit-bounded.ts); longest first within each
 * kind, so a full value wins over a part of it, and at one place a word value
 * over a number. Made once per instance.
 */
function matcherOf(context: readonly ContextValue[]): RegExp | null {
  let re = matchers.get(context);
  if (re !== undefined) return re;
  const values = [...new Set(context.map((c) => c.value))].sort((a, b) => b.length - a.length);
  const escape = (v: string) => v.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&').replace(/\s+/g, '\\s+');
  const words = values.filter((v) => !digitBounded(v)).map(escape);
  const numbers = values.filter(digitBounded).map(escape);
  // two groups, not boundaries around each value: each Unicode class in a pattern is built anew (ICU), per instance
  const parts: string[] = [];
  if (words.length) parts.push(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`);
  // a number (a patient ID of six digits or more) also where letters touch it: `ACC4455667`
  if (numbers.length) parts.push(`(?<!\\p{N})(?:${numbers.join('|')})(?!\\p{N})`);
  re = parts.length === 0 ? null : new RegExp(parts.join('|'), 'giu');
  matchers.set(context, re);
  return re;
}

/**
 * A kept text value with the instance's own identifying values replaced by
 * `[CTX]` (Google's contextual placeholder), cut to the VR's length limit;
 * undefined when it holds none. PS3.15 keeps the attributes its table does not
 * list, but a writer can copy the patient's name or ID into any of them
 * (a segment's label, a code's meaning, a coil's name), and the profile has
 * just removed those values elsewhere in the same instance.
 */
export function withoutContextValues(text: string, vr: string, context: readonly ContextValue[]): string | undefined {
  const re = matcherOf(context);
  if (re === null) return undefined;
  re.lastIndex = 0;
  if (!re.test(text)) return undefined;
  re.lastIndex = 0;
  const out = text.replace(re, PLACEHOLDER);
  const max = MAX_CHARS[vr];
  if (max === undefined) return out;
  // the limit is per value: SH and LO hold several, split by backslashes (in ST and LT a backslash is a character)
  return vr === 'SH' || vr === 'LO' ? out.split('\\').map((v) => cut(v, max)).join('\\') : cut(out, max);
}

/** `v` within `max` characters, without leaving part of a placeholder at its end. */
function cut(v: string, max: number): string {
  return v.length > max ? v.slice(0, max).replace(/\[C?T?X?$/, '').trimEnd() : v;
}
