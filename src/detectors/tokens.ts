import type { ScanInput } from './types.js';
import { FNV_OFFSET, FNV_PRIME, fold, lexFlags, lexTable, lexWord, type LexTable } from './dictionaries.js';

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
/*
 * The word index of the most recent input, in scratch arrays reused across
 * calls: allocating typed arrays per call costs more than scanning a short
 * field. Detection is synchronous, so the index of one input is complete and
 * unchanged while its detectors run; it is rebuilt for the next input.
 */
let lastInput: ScanInput | undefined;
let lastTokens: Tokens | undefined;
let scratchStart = new Int32Array(4096);
let scratchEnd = new Int32Array(4096);
let scratchFlags = new Uint8Array(4096);
let scratchLex = new Uint8Array(4096);

/**
 * The words of the input, computed once per input and shared by the
 * dictionary detectors. Valid until tokensOf is called with another input.
 */
export function tokensOf(input: ScanInput): Tokens {
  if (input === lastInput && lastTokens) return lastTokens;
  const text = input.text;
  let cap = scratchStart.length;
  let start = scratchStart;
  let end = scratchEnd;
  let flags = scratchFlags;
  const key: string[] = [];
  const tab = lexTable();
  let lexCap = scratchLex.length;
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
    let h = FNV_OFFSET;
    let hApos = 0;
    for (;;) {
      if (c >= 65 && c <= 90) {
        upper++;
        h = Math.imul(h ^ (c + 32), FNV_PRIME);
      } else if (c >= 97 && c <= 122) {
        lower++;
        h = Math.imul(h ^ c, FNV_PRIME);
      } else {
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
        if (c === 39) hApos = h;
        h = Math.imul(h ^ c, FNV_PRIME);
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
    const first = text.charCodeAt(s0);
    let f = 0;
    if ((first >= 65 && first <= 90) || (first >= 0xc0 && text[s0] !== text[s0]!.toLowerCase())) {
      f = CAP;
      if (lower === 0 && upper > 1) f |= UPPER;
    }
    start[n] = s0;
    end[n] = i;
    flags[n] = f;
    if (n >= lexCap) {
      lexCap = Math.max(lexCap * 2, n + 1);
      const l2 = new Uint8Array(lexCap);
      l2.set(scratchLex);
      scratchLex = l2;
    }
    if (ascii) {
      let v = probe(tab, text, s0, i - s0, h);
      // A possessive ("Mary's") is looked up without its 's.
      if (v < 0 && i - s0 > 3 && text.charCodeAt(i - 2) === 39 && (text.charCodeAt(i - 1) | 32) === 115) v = probe(tab, text, s0, i - s0 - 2, hApos);
      scratchLex[n] = v < 0 ? 0 : tab.flags[v]!;
      key.push(v >= 0 && tab.offsets[v + 1]! - tab.offsets[v]! === i - s0 ? (tab.strings[v] ?? lexWord(tab, v)) : upper === 0 ? text.slice(s0, i) : text.slice(s0, i).toLowerCase());
    } else {
      const k = fold(text.slice(s0, i));
      let v = lexFlags(k);
      if (v === 0 && k.length > 3 && (k.endsWith("'s") || k.endsWith('\u2019s'))) v = lexFlags(k.slice(0, -2));
      scratchLex[n] = v;
      key.push(k);
    }
    n++;
  }
  scratchStart = start;
  scratchEnd = end;
  scratchFlags = flags;
  const lex = scratchLex;
  const toks: Tokens = { count: n, start, end, key, flags, lex };
  lastInput = input;
  lastTokens = toks;
  return toks;
}

/** Index of the lexicon word equal to text[s, s+len) lower-cased, or -1. */
function probe(tab: LexTable, text: string, s: number, len: number, h: number): number {
  const { slots, offsets, chars, mask } = tab;
  let idx = h & mask;
  for (;;) {
    const k = slots[idx]!;
    if (k === -1) return -1;
    const a = offsets[k]!;
    if (offsets[k + 1]! - a === len) {
      let j = 0;
      for (; j < len; j++) {
        let c = text.charCodeAt(s + j);
        if (c >= 65 && c <= 90) c += 32;
        if (c !== chars[a + j]) break;
      }
      if (j === len) return k;
    }
    idx = (idx + 1) & mask;
  }
}

/** The characters between word i and word i+1, or NUL when they are far apart. */
export function gapAfter(text: string, t: Tokens, i: number): string {
  const a = t.end[i]!;
  const b = t.start[i + 1]!;
  if (b - a > 8) return '\u0000';
  if (b - a === 1 && text.charCodeAt(a) === 32) return ' ';
  return text.slice(a, b);
}
