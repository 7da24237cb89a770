import type { Finding, Likelihood } from '../text/types.js';
import { fold } from './dictionaries.js';
import { CAP, gapAfter, tokensOf } from './tokens.js';
import type { Detector, ScanInput } from './types.js';

export interface TermListSpec {
  name: string;
  infoType: string;
  terms: Iterable<string>;
  likelihood?: Likelihood;
  /** Match only capitalised occurrences (default false: any case). */
  capitalizedOnly?: boolean;
  /**
   * Also match a misspelt first word ("Baltimroe", "Quartermian"): a
   * capitalised word in no word list at all, 6+ letters, with the listed word's first letter,
   * one letter deleted, inserted, replaced or swapped away from it.
   */
  misspelt?: boolean;
}

/** The word and each form of it with one letter left out. */
function deletions(w: string): string[] {
  const out = [w];
  for (let k = 0; k < w.length; k++) out.push(w.slice(0, k) + w.slice(k + 1));
  return out;
}

/**
 * A detector for a site's own list of words or phrases (its hospitals,
 * neighbourhoods, staff names): whole-word, case-insensitive, longest
 * phrase first. Built once; matching shares the text's word index.
 */
export function termListDetector(spec: TermListSpec): Detector {
  const index = new Map<string, string[][]>();
  for (const term of spec.terms) {
    const words = fold(term)
      .split(/[^a-z0-9'\u00C0-\u024F-]+/)
      .filter(Boolean);
    if (words.length === 0) continue;
    const [first, ...rest] = words;
    let list = index.get(first!);
    if (!list) index.set(first!, (list = []));
    list.push(rest);
  }
  for (const list of index.values()) list.sort((a, b) => b.length - a.length);
  // One-deletion forms of the listed first words (symmetric-delete spelling match); the first listed word wins a tie.
  const nearIndex = new Map<string, string>();
  if (spec.misspelt) {
    for (const w of [...index.keys()].sort()) {
      if (w.length < 6 || !/^[a-z]+$/.test(w)) continue;
      for (const d of deletions(w)) if (!nearIndex.has(d)) nearIndex.set(d, w);
    }
  }
  const near = (key: string): string[][] | undefined => {
    if (key.length < 6 || !/^[a-z]+$/.test(key)) return undefined;
    for (const d of deletions(key)) {
      const w = nearIndex.get(d);
      if (w !== undefined && w[0] === key[0]) return index.get(w);
    }
    return undefined;
  };
  const likelihood = spec.likelihood ?? 'LIKELY';
  return {
    name: spec.name,
    infoTypes: [spec.infoType],
    needsDigits: false,
    detect(input: ScanInput, out: Finding[]): void {
      const t = tokensOf(input);
      const n = t.count;
      for (let i = 0; i < n; i++) {
        const list = index.get(t.key[i]!) ?? (nearIndex.size > 0 && t.lex[i] === 0 && t.flags[i]! & CAP ? near(t.key[i]!) : undefined);
        if (!list || (spec.capitalizedOnly && !(t.flags[i]! & CAP))) continue;
        for (const rest of list) {
          let k = i;
          let ok = true;
          for (const w of rest) {
            if (k + 1 >= n || t.key[k + 1] !== w || !/^[ .-]{1,2}$/.test(gapAfter(input.text, t, k))) {
              ok = false;
              break;
            }
            k++;
          }
          if (ok) {
            out.push({ start: t.start[i]!, end: t.end[k]!, infoType: spec.infoType, likelihood });
            i = k;
            break;
          }
        }
      }
    },
  };
}
