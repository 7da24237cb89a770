import type { Finding, Likelihood } from '../text/types.js';
import { fold } from './dictionaries.js';
import { gap, tokensOf } from './tokens.js';
import type { Detector, ScanInput } from './types.js';

export interface TermListSpec {
  name: string;
  infoType: string;
  terms: Iterable<string>;
  likelihood?: Likelihood;
  /** Match only capitalised occurrences (default false: any case). */
  capitalizedOnly?: boolean;
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
  const likelihood = spec.likelihood ?? 'LIKELY';
  return {
    name: spec.name,
    infoTypes: [spec.infoType],
    needsDigits: false,
    detect(input: ScanInput, out: Finding[]): void {
      const toks = tokensOf(input);
      for (let i = 0; i < toks.length; i++) {
        const t = toks[i]!;
        const list = index.get(t.key);
        if (!list || (spec.capitalizedOnly && !t.cap)) continue;
        for (const rest of list) {
          let k = i;
          let ok = true;
          for (const w of rest) {
            const nt = toks[k + 1];
            if (!nt || nt.key !== w || !/^[ .-]{1,2}$/.test(gap(input.text, toks[k]!, nt))) {
              ok = false;
              break;
            }
            k++;
          }
          if (ok) {
            out.push({ start: t.start, end: toks[k]!.end, infoType: spec.infoType, likelihood });
            i = k;
            break;
          }
        }
      }
    },
  };
}
