// `npm run bench`: every benchmark, results as ratios against a baseline
// measured in the same run. Options: --fhir-mb N (default 200).
import { benchFhir } from './fhir.js';

const args = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

const fhir = await benchFhir({ minMB: Number(arg('--fhir-mb', 200)) });
console.log('\n== FHIR: deid fhir (BASIC) vs parse+stringify passthrough');
console.table([fhir.passthrough, fhir.deid]);
console.log(`throughput ratio deid/passthrough: ${fhir.ratio} (target >= ${fhir.targets.ratio}); deid peak RSS ${fhir.deid.peakRssMB} MB (target < ${fhir.targets.peakRssMB} MB) → ${fhir.pass ? 'PASS' : 'MISS'}`);
console.log(JSON.stringify({ fhir }));
