import type { ScanInput } from './types.js';
import { fold } from './dictionaries.js';

/** A word of the text: letters (Latin incl. accents) with inner apostrophes/hyphens. */
export interface Token {
  start: number;
  end: number;
  /** Folded (lower-case, no diacritics). */
  key: string;
  /** First letter upper case. */
  cap: boolean;
  /** Every letter upper case (and more than one letter). */
  upper: boolean;
}

const WORD_RE = /[A-Za-z\u00C0-\u024F](?:[A-Za-z\u00C0-\u024F]|['\u2019-](?=[A-Za-z\u00C0-\u024F])){0,63}/g;
const cache = new WeakMap<ScanInput, Token[]>();

/** The words of the input, computed once per input and shared by the dictionary detectors. */
export function tokensOf(input: ScanInput): Token[] {
  let toks = cache.get(input);
  if (toks) return toks;
  toks = [];
  const text = input.text;
  WORD_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD_RE.exec(text)) !== null) {
    const w = m[0];
    const c0 = w[0]!;
    const cap = c0 !== c0.toLowerCase();
    toks.push({
      start: m.index,
      end: m.index + w.length,
      key: fold(w),
      cap,
      upper: cap && w.length > 1 && w === w.toUpperCase(),
    });
  }
  cache.set(input, toks);
  return toks;
}

/** The characters between two tokens (punctuation/space), bounded. */
export function gap(text: string, a: Token, b: Token): string {
  return b.start - a.end > 8 ? '\u0000' : text.slice(a.end, b.start);
}
