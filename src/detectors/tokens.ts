import type { ScanInput } from './types.js';
import { fold, lexicon } from './dictionaries.js';

/**
 * The words of a text: letters (Latin incl. accents) with inner apostrophes
 * or hyphens. Stored as parallel arrays (no object per word) because the
 * dictionary detectors walk every word of every note.
 */
export interface Tokens {
  count: number;
  start: Int32Array;
  end: Int32Array;
  /** Folded (lower-case, no diacritics). */
  key: string[];
  /** Bit 1: first letter upper case. Bit 2: every letter upper case (2+ letters). */
  flags: Uint8Array;
  /** LEX_* flags of the word (of the word without a possessive 's when that is how it is listed). */
  lex: Uint8Array;
}

export const CAP = 1;
export const UPPER = 2;

/** ASCII letters and Latin-1 Supplement / Latin Extended-A/B letters (not × ÷). */
function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7);
}
const cache = new WeakMap<ScanInput, Tokens>();

/** The words of the input, computed once per input and shared by the dictionary detectors. */
export function tokensOf(input: ScanInput): Tokens {
  const hit = cache.get(input);
  if (hit) return hit;
  const text = input.text;
  let cap = Math.max(16, text.length >> 2);
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let flags = new Uint8Array(cap);
  const key: string[] = [];
  let n = 0;
  const len = text.length;
  let i = 0;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (!isLetter(c)) {
      i++;
      continue;
    }
    const s0 = i;
    let upper = 0;
    let lower = 0;
    let ascii = true;
    for (;;) {
      if (c >= 65 && c <= 90) upper++;
      else if (c >= 97 && c <= 122) lower++;
      else {
        ascii = false;
        if (c >= 0xc0) {
          const ch = text[i]!;
          if (ch !== ch.toLowerCase()) upper++;
          else lower++;
        }
      }
      i++;
      if (i >= len) break;
      c = text.charCodeAt(i);
      if (isLetter(c)) continue;
      // Inner apostrophe or hyphen followed by a letter.
      if ((c === 39 || c === 0x2019 || c === 45) && i + 1 < len && isLetter(text.charCodeAt(i + 1))) {
        ascii = ascii && c !== 0x2019;
        i++;
        c = text.charCodeAt(i);
        continue;
      }
      break;
    }
    if (i - s0 > 64) continue;
    if (n === cap) {
      cap *= 2;
      const s2 = new Int32Array(cap);
      s2.set(start);
      start = s2;
      const e2 = new Int32Array(cap);
      e2.set(end);
      end = e2;
      const f2 = new Uint8Array(cap);
      f2.set(flags);
      flags = f2;
    }
    const w = text.slice(s0, i);
    const first = w.charCodeAt(0);
    let f = 0;
    if ((first >= 65 && first <= 90) || (first >= 0xc0 && w[0] !== w[0]!.toLowerCase())) {
      f = CAP;
      if (lower === 0 && upper > 1) f |= UPPER;
    }
    start[n] = s0;
    end[n] = i;
    flags[n] = f;
    key.push(!ascii ? fold(w) : upper === 0 ? w : w.toLowerCase());
    n++;
  }
  const lx = lexicon();
  const lex = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = key[i]!;
    let v = lx.get(k);
    if (v === undefined && k.length > 3 && (k.endsWith("'s") || k.endsWith('\u2019s'))) v = lx.get(k.slice(0, -2));
    lex[i] = v ?? 0;
  }
  const toks: Tokens = { count: n, start, end, key, flags, lex };
  cache.set(input, toks);
  return toks;
}

/** The characters between word i and word i+1, or NUL when they are far apart. */
export function gapAfter(text: string, t: Tokens, i: number): string {
  const a = t.end[i]!;
  const b = t.start[i + 1]!;
  if (b - a > 8) return '\u0000';
  if (b - a === 1 && text.charCodeAt(a) === 32) return ' ';
  return text.slice(a, b);
}
