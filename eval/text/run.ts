/**
 * Free-text PHI detector evaluation on the gold corpora in ../shared/data/text-phi.
 *   npm run eval:text                 # all corpora, prints tables, writes eval/results/text.json
 *   npm run eval:text -- --dump dev   # also lists missed/spurious spans of the PhysioNet dev half
 *   npm run eval:text -- --dev-only   # dev half, presidio and MEDDOCAN only: never scores or prints the
 *                                     # test half, writes eval/results/text-dev.json (combine with --dump)
 *   npm run eval:text -- --dev-part A # dev half part A only (patient id ≡ 1 mod 4; B: ≡ 3 mod 4); implies
 *                                     # --dev-only; --dump is refused for part B (B is only scored)
 *   --quick                           # PhysioNet only: no presidio, MEDDOCAN or throughput
 * Rules are developed on the PhysioNet dev half (odd patient ids) only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPhi } from '../../src/text/find-phi.js';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/config.js';
import { loadMeddocan, loadPhysionet, loadPresidio, splitByPatient, splitDev, type Doc } from './corpora.js';
import { evaluate, type EvalResult } from './metrics.js';
import { genericPredictor, sitePredictor } from './predictors.js';

const PUBLISHED = {
  physionet: { name: 'deid.pl 1.1 (overlap, all 2,434 notes)', precision: 0.748, recall: 0.967 },
  presidio: { name: 'Presidio default AnalyzerEngine (token-level)', precision: 0.685, recall: 0.603 },
  meddocan: { name: 'MEDDOCAN best run lukas.lange-1 (exact span+type)', f1: 0.9696 },
};

const f = (x: number) => x.toFixed(3);

function line(label: string, r: EvalResult): string {
  return `  ${label.padEnd(30)} overlap P ${f(r.overlap.precision)} R ${f(r.overlap.recall)} F1 ${f(r.overlap.f1)}   exact P ${f(r.exact.precision)} R ${f(r.exact.recall)} F1 ${f(r.exact.f1)}   (gold ${r.overlap.tp + r.overlap.fn}, ${r.docs} docs)`;
}

function types(r: EvalResult): string {
  const g = Object.entries(r.byGoldType)
    .map(([k, s]) => `${k} ${f(s.recall)} (${s.tp + s.fn})`)
    .join(', ');
  const p = Object.entries(r.byPredictedType)
    .map(([k, s]) => `${k} ${f(s.precision)} (${s.tp + s.fp})`)
    .join(', ');
  return `      recall by gold type: ${g}\n      precision by predicted infoType: ${p}`;
}

function dump(docs: Doc[], predict: (d: Doc) => ReturnType<typeof findPhi>): void {
  const fn: Record<string, number> = {};
  const fp: Record<string, number> = {};
  for (const d of docs) {
    const preds = predict(d);
    for (const g of d.gold) {
      if (!preds.some((p) => p.start < g.end && g.start < p.end)) {
        const k = `${g.type}\t${d.text.slice(Math.max(0, g.start - 25), g.start)}[[${d.text.slice(g.start, g.end)}]]${d.text.slice(g.end, g.end + 15)}`.replace(/\n/g, ' ');
        fn[k] = (fn[k] ?? 0) + 1;
      }
    }
    for (const p of preds) {
      if (!d.gold.some((g) => p.start < g.end && g.start < p.end)) {
        const k = `${p.infoType}\t${d.text.slice(p.start, p.end)}`.replace(/\n/g, ' ');
        fp[k] = (fp[k] ?? 0) + 1;
      }
    }
  }
  const show = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([k, n]) => `${n}\t${k}`)
      .join('\n');
  console.log('--- missed (dev) ---\n' + show(fn));
  console.log('--- spurious (dev) ---\n' + show(fp));
}

function throughput(docs: Doc[]): { findPhiMBps: number; deidentifyMBps: number; mb: number } {
  // Repeat small corpora so every timing covers at least ~2 MB.
  const base = docs.map((d) => d.text);
  const baseBytes = base.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const texts: string[] = [];
  for (let k = 0; k < Math.max(1, Math.ceil(2e6 / Math.max(1, baseBytes))); k++) texts.push(...base);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  findPhi(texts[0] ?? '');
  const env = { cryptoHash: (v: string) => String(v.length), dateShiftDays: 17 };
  const time = (fn: (t: string) => unknown) => {
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = process.hrtime.bigint();
      for (const t of texts) fn(t);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return bytes / 1e6 / best;
  };
  return {
    mb: bytes / 1e6,
    findPhiMBps: time((t) => findPhi(t)),
    deidentifyMBps: time((t) => deidentifyText(t, DEFAULT_TEXT_CONFIG, env)),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const partAt = args.indexOf('--dev-part');
  const part = partAt >= 0 ? args[partAt + 1] : undefined;
  if (part !== undefined && part !== 'A' && part !== 'B') throw new Error('--dev-part takes A or B');
  const devOnly = args.includes('--dev-only') || part !== undefined;
  const quick = args.includes('--quick');
  const dumpAt = args.indexOf('--dump');
  if (part === 'B' && dumpAt >= 0) throw new Error('--dump is refused for dev part B: it is only scored, never read');
  const split = splitByPatient(loadPhysionet());
  const physio = { dev: part === undefined ? split.dev : splitDev(split.dev)[part], test: split.test };
  const devName = part === undefined ? 'dev' : `dev-${part}`;
  const generic = genericPredictor();
  const site = sitePredictor();
  const results: Record<string, unknown> = {};

  console.log('PhysioNet deid gold (nursing notes); rules developed on the DEV half only (odd patient ids).');
  console.log(`  published: ${PUBLISHED.physionet.name}: P ${PUBLISHED.physionet.precision} R ${PUBLISHED.physionet.recall}`);
  const halves = devOnly ? ([[devName, physio.dev]] as const) : ([['dev', physio.dev], ['test', physio.test]] as const);
  for (const [half, docs] of halves) {
    const g = evaluate(docs, generic);
    const s = evaluate(docs, site);
    console.log(line(`${half} generic`, g));
    console.log(types(g));
    console.log(line(`${half} site lists + patient CTX`, s));
    console.log(types(s));
    results[`physionet_${half}_generic`] = g;
    results[`physionet_${half}_site`] = s;
  }
  if (quick) {
    if (dumpAt >= 0) dump(physio.dev, args[dumpAt + 1] === 'site' ? site : generic);
    return;
  }

  const presidio = evaluate(loadPresidio(), generic);
  console.log('\npresidio-research synth_dataset_v2 (span-level; TITLE/NRP excluded from gold)');
  console.log(`  published: ${PUBLISHED.presidio.name}: P ${PUBLISHED.presidio.precision} R ${PUBLISHED.presidio.recall} F1 ${f((2 * 0.685 * 0.603) / (0.685 + 0.603))}`);
  console.log(line('all', presidio));
  console.log(types(presidio));
  results.presidio = presidio;

  const med = evaluate(loadMeddocan(), generic);
  console.log('\nMEDDOCAN test (Spanish; report only, the detectors are English)');
  console.log(`  published: ${PUBLISHED.meddocan.name}: F1 ${PUBLISHED.meddocan.f1}`);
  console.log(line('all', med));
  console.log(types(med));
  results.meddocan = med;

  const tp = throughput(devOnly ? physio.dev : [...physio.dev, ...physio.test]);
  console.log(`\nthroughput on PhysioNet notes (${tp.mb.toFixed(2)} MB): findPhi ${tp.findPhiMBps.toFixed(1)} MB/s, deidentifyText (BASIC) ${tp.deidentifyMBps.toFixed(1)} MB/s`);
  const short = throughput(loadPresidio());
  console.log(`throughput on presidio-research sentences (${short.mb.toFixed(2)} MB, ~100-character fields): findPhi ${short.findPhiMBps.toFixed(1)} MB/s, deidentifyText ${short.deidentifyMBps.toFixed(1)} MB/s`);
  results.throughput = { notes: tp, shortFields: short };
  results.published = PUBLISHED;

  const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../results');
  mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, !devOnly ? 'text.json' : part === undefined ? 'text-dev.json' : `text-dev-${part}.json`);
  writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), outFile)}`);

  if (dumpAt >= 0) dump(physio.dev, args[dumpAt + 1] === 'site' ? site : generic);
}

main();
