// `npm run bench`: every benchmark, results as ratios against a baseline
// measured in the same run. Options: --fhir-mb N (default 200), --dicom-copies N
// (default 100), --dicom-mb N (default 1024), --quick (30 MB FHIR inputs,
// 20 DICOM copies and a 64 MB multi-frame instance, for a smoke run; the
// dataset leg on the small sample export and 20 instances, one run),
// --only fhir|dicom|dataset, --dataset-mb N (default 100), --dataset-dicom N (default 100).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchDataset, printDataset, QUICK as DATASET_QUICK } from './dataset.js';
import { benchDicom } from './dicom.js';
import { benchFhir } from './fhir.js';
import { extraCaCertsCost } from './measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const quick = args.includes('--quick');
const minMB = quick ? 30 : Number(arg('--fhir-mb', 200));
const only = arg('--only', undefined);
if (only !== undefined && !['fhir', 'dicom', 'dataset'].includes(only)) {
  console.error('--only takes fhir, dicom or dataset');
  process.exit(64);
}

const results = {};
const caCost = extraCaCertsCost();
if (caCost) {
  results.environment = { nodeExtraCaCerts: caCost };
  console.log(
    `NODE_EXTRA_CA_CERTS is set (${caCost.file}): every tool runs without it. Node parses that file at every start: node -e 0 takes ${caCost.with} s with it, ${caCost.without} s without (median of 5).`,
  );
}
for (const samples of only && only !== 'fhir' ? [] : ['bundled', 'notes']) {
  const r = await benchFhir({ minMB, samples, runs: quick ? 1 : 3 });
  results[`fhir-${samples}`] = r;
  console.log(`\n== FHIR (${samples} samples, ${r.input.MB} MB, ${r.input.records} records): deid fhir (BASIC) vs parse+stringify passthrough, median of ${r.runs} rounds`);
  console.table([r.passthrough, r.deid, r.threaded]);
  console.log(
    `throughput ratio deid/passthrough: ${r.ratio} (target >= ${r.targets.ratio}; --threads 1: ${r.ratioThreaded}, peak RSS ${r.threaded.peakRssMB} MB); deid peak RSS ${r.deid.peakRssMB} MB (target < ${r.targets.peakRssMB} MB) → ${r.pass ? 'PASS' : 'MISS'}`,
  );
  const m = r.deidPeakMemory;
  if (m) console.log(`deid memory at its peak RSS sample: RSS ${m.rssMB} MB = V8 heap ${m.heapTotalMB} MB (${m.heapUsedMB} used) + external ${m.externalMB} MB + the rest (code, stacks, allocator)`);
}

if (!only || only === 'dicom') {
  const d = await benchDicom({ copies: quick ? 20 : Number(arg('--dicom-copies', 100)), minMB: quick ? 64 : Number(arg('--dicom-mb', 1024)) });
  results.dicom = d;
  for (const [label, r] of [
    [`${d.copies.input.files} CT instances, ${d.copies.input.MB} MB`, d.copies],
    [`one multi-frame instance, ${d.multiframe.input.MB} MB`, d.multiframe],
  ]) {
    console.log(`\n== DICOM (${label}): deid dicom (basic profile) vs gdcmanon vs cp -r`);
    console.table([r.copy, r.nodeFloor, r.gdcmanon, r.deid].filter(Boolean));
    console.log(`time ratio deid/gdcmanon: ${r.ratios.deidVsGdcmanon ?? 'n/a'} (target <= 1); deid/copy: ${r.ratios.deidVsCopy}`);
    if (r.ratios.nodeFloorVsGdcmanon !== null) console.log(`Node's floor (start + read + write, no DICOM work)/gdcmanon: ${r.ratios.nodeFloorVsGdcmanon}`);
  }
  console.log(`gdcmanon: ${d.gdcmanon}`);
  console.log(
    `deid peak RSS on the multi-frame instance ${d.multiframe.deid.peakRssMB} MB (target < ${d.targets.multiframePeakRssMB} MB); deid/gdcmanon <= 1 on both inputs → ${d.pass ? 'PASS' : 'MISS'}`,
  );
}

if (!only || only === 'dataset') {
  const r = await benchDataset(quick ? DATASET_QUICK : { mb: Number(arg('--dataset-mb', 100)), instances: Number(arg('--dataset-dicom', 100)) });
  results.dataset = r;
  printDataset(r);
}

if (!only || only === 'fhir') {
  // The text detectors dominate the cost of notes-heavy FHIR (issue #4): MB of text per second.
  console.log('\n== Text detectors (findPhi, deidentifyText, each detector alone)');
  const det = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/detectors.ts')], { encoding: 'utf8' });
  const lines = det.stdout.trimEnd().split('\n');
  const json = lines.pop();
  process.stdout.write(lines.join('\n') + '\n');
  if (det.status !== 0) process.stdout.write(det.stderr.slice(-1000));
  try {
    results.detectors = JSON.parse(json ?? '').detectorsMBps;
  } catch {
    /* reported above */
  }
}

if (only && only !== 'fhir') {
  console.log(JSON.stringify(results));
  process.exit(0);
}

console.log('\n== NDJSON line splitter vs node:readline');
const ls = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/line-splitter.ts')], { encoding: 'utf8' });
process.stdout.write(ls.stdout);

console.log(JSON.stringify(results));
