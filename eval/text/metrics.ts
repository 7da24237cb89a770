import type { Finding } from '../../src/text/types.js';
import type { Doc, GoldSpan } from './corpora.js';

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores extends Counts {
  precision: number;
  recall: number;
  f1: number;
}

export function score(c: Counts): Scores {
  const precision = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { ...c, precision, recall, f1 };
}

/** Trims whitespace and trailing sentence punctuation off a span, so " S. " and "S." compare equal. */
function trim(text: string, s: number, e: number): [number, number] {
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /[\s.,;:)]/.test(text[e - 1]!)) e--;
  return [s, e];
}

export interface EvalResult {
  /** stat.pm rule: a gold PHI is found if any prediction overlaps it; a prediction overlapping no gold is a false positive. */
  overlap: Scores;
  /** Same start and end (after trimming spaces/punctuation), type ignored. */
  exact: Scores;
  /** Per gold type: overlap recall (fp is 0: predictions have our types). */
  byGoldType: Record<string, Scores>;
  /** Per predicted infoType: how many predictions overlapped some gold (tp) or none (fp). */
  byPredictedType: Record<string, Scores>;
  docs: number;
  chars: number;
}

export function evaluate(docs: Doc[], predict: (d: Doc) => Finding[]): EvalResult {
  const ov: Counts = { tp: 0, fp: 0, fn: 0 };
  const ex: Counts = { tp: 0, fp: 0, fn: 0 };
  const byGold: Record<string, Counts> = {};
  const byPred: Record<string, Counts> = {};
  let chars = 0;
  for (const d of docs) {
    chars += d.text.length;
    const preds = predict(d);
    const overlaps = (a: { start: number; end: number }, b: GoldSpan) => a.start < b.end && b.start < a.end;
    const exactKeys = new Set(preds.map((p) => trim(d.text, p.start, p.end).join(':')));
    const goldKeys = new Set(d.gold.map((g) => trim(d.text, g.start, g.end).join(':')));
    for (const g of d.gold) {
      const c = (byGold[g.type] ??= { tp: 0, fp: 0, fn: 0 });
      if (preds.some((p) => overlaps(p, g))) {
        ov.tp++;
        c.tp++;
      } else {
        ov.fn++;
        c.fn++;
      }
    }
    for (const p of preds) {
      const c = (byPred[p.infoType] ??= { tp: 0, fp: 0, fn: 0 });
      if (d.gold.some((g) => overlaps(p, g))) c.tp++;
      else {
        ov.fp++;
        c.fp++;
      }
    }
    let hit = 0;
    for (const k of goldKeys) if (exactKeys.has(k)) hit++;
    ex.tp += hit;
    ex.fn += goldKeys.size - hit;
    ex.fp += exactKeys.size - hit;
  }
  const map = (o: Record<string, Counts>) =>
    Object.fromEntries(Object.keys(o).sort().map((k) => [k, score(o[k]!)]));
  return { overlap: score(ov), exact: score(ex), byGoldType: map(byGold), byPredictedType: map(byPred), docs: docs.length, chars };
}
