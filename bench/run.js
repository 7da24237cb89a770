// `npm run bench`: every benchmark, results as ratios against a baseline
// measured in the same run. Options: --fhir-mb N (default 200), --quick
// (30 MB inputs, for a smoke run).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFhir } from './fhir.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const minMB = args.includes('--quick') ? 30 : Number(arg('--fhir-mb', 200));

const results = {};
for (const samples of ['bundled', 'notes']) {
  const r = await benchFhir({ minMB, samples });
  results[`fhir-${samples}`] = r;
  console.log(`\n== FHIR (${samples} samples, ${r.input.MB} MB, ${r.input.records} records): deid fhir (BASIC) vs parse+stringify passthrough`);
  console.table([r.passthrough, r.deid]);
  console.log(
    `throughput ratio deid/passthrough: ${r.ratio} (target >= ${r.targets.ratio}); deid peak RSS ${r.deid.peakRssMB} MB (target < ${r.targets.peakRssMB} MB) → ${r.pass ? 'PASS' : 'MISS'}`,
  );
}

console.log('\n== NDJSON line splitter vs node:readline');
const ls = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/line-splitter.ts')], { encoding: 'utf8' });
process.stdout.write(ls.stdout);

console.log(JSON.stringify(results));
