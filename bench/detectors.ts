// Text detector throughput (issue #4), in MB of text (UTF-8) per second:
// findPhi and deidentifyText (BASIC) on the PhysioNet nursing notes (long
// texts) and on the presidio-research sentences (~100-character fields, like
// most FHIR strings), and each detector alone, so a slow one shows. Best of
// three runs over at least ~2 MB. Prints a table, then one JSON line.
//   node --import tsx bench/detectors.ts
import { DETECTORS, type ScanInput } from '../src/detectors/index.js';
import { tokensOf } from '../src/detectors/tokens.js';
import { DEFAULT_TEXT_CONFIG } from '../src/text/config.js';
import { deidentifyText } from '../src/text/deidentify-text.js';
import { findPhi } from '../src/text/find-phi.js';
import type { Finding } from '../src/text/types.js';
import { loadPhysionet, loadPresidio } from '../eval/text/corpora.js';

function corpus(texts: string[]): { texts: string[]; mb: number } {
  const bytes = (ts: string[]) => ts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const out: string[] = [];
  const reps = Math.max(1, Math.ceil(2e6 / Math.max(1, bytes(texts))));
  for (let k = 0; k < reps; k++) out.push(...texts);
  return { texts: out, mb: bytes(out) / 1e6 };
}

function mbps(c: { texts: string[]; mb: number }, fn: (t: string) => unknown): number {
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = process.hrtime.bigint();
    for (const t of c.texts) fn(t);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return +(c.mb / best).toFixed(1);
}

const env = { cryptoHash: (v: string) => String(v.length), dateShiftDays: 17 };
const inputOf = (text: string): ScanInput => ({ text, hasDigits: /[0-9]/.test(text), shouting: false });

const corpora = {
  notes: corpus(loadPhysionet().map((d) => d.text)),
  shortFields: corpus(loadPresidio().map((d) => d.text)),
};
findPhi('warm-up: Dr. John Smith saw the patient on 3/4/2021 at 617-555-0101.');

const rows: Record<string, Record<string, number>> = {};
const add = (name: string, col: string, v: number) => ((rows[name] ??= {})[col] = v);
for (const [col, c] of Object.entries(corpora)) {
  add('findPhi (all detectors)', col, mbps(c, (t) => findPhi(t)));
  add('deidentifyText (BASIC)', col, mbps(c, (t) => deidentifyText(t, DEFAULT_TEXT_CONFIG, env)));
  // Each detector alone; the word-list detectors' figures include building the word index (its own row).
  const inputs = c.texts.map(inputOf);
  add('word index (tokensOf)', col, mbps(c, (t) => tokensOf(inputOf(t))));
  for (const d of DETECTORS) {
    const out: Finding[] = [];
    let i = 0;
    add(`  ${d.name}`, col, mbps(c, () => {
      const input = inputs[i++ % inputs.length]!;
      if (d.needsDigits && !input.hasDigits) return;
      out.length = 0;
      d.detect(input, out);
    }));
  }
}
console.log(`MB of text per second (notes: PhysioNet, ${corpora.notes.mb.toFixed(1)} MB; shortFields: presidio-research, ${corpora.shortFields.mb.toFixed(1)} MB)`);
console.table(rows);
console.log(JSON.stringify({ detectorsMBps: rows }));
