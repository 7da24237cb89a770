// FHIR benchmark: `deid fhir` (BASIC profile) against a plain parse+stringify
// passthrough of the same file, measured in the same run. Target (issue #2):
// throughput ratio >= 0.5, peak RSS < 200 MB whatever the input size.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeFhirNdjson } from './make-fhir-ndjson.js';
import { measure } from './measure.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = path.resolve(root, '../shared/data/fhir-samples');
const tmp = path.join(root, 'bench/tmp');

/**
 * `samples`: 'bundled' replicates data/samples/fhir (the definition);
 * 'notes' replicates the shared bulk exports, whose DocumentReferences carry
 * long clinical notes, the heaviest case for the text detectors.
 */
export async function benchFhir({ minMB = 200, samples = 'bundled', runs = 3 } = {}) {
  fs.mkdirSync(tmp, { recursive: true });
  const file = path.join(tmp, `fhir-${samples}-${minMB}mb.ndjson`);
  const sources =
    samples === 'bundled'
      ? [path.join(root, 'data/samples/fhir')]
      : [path.join(shared, 'bulk-synthea-30-patients'), path.join(shared, 'bulk-smart-10-patients')];
  let info;
  if (!fs.existsSync(file)) info = await makeFhirNdjson(file, sources, minMB * 1024 * 1024);
  const bytes = fs.statSync(file).size;
  const records = info?.records ?? (await countLines(file));
  const key = { DEID_KEY: '5a'.repeat(32) };
  // Rounds of passthrough, deid and deid --threads 1 one after the other, so
  // that a machine whose speed drifts (a shared VM) slows both sides of a
  // round alike; each ratio is taken within its round, and the median reported.
  const rounds = [];
  for (let i = 0; i < runs; i++) {
    const base = await measure(process.execPath, [path.join(root, 'bench/passthrough.js'), file]);
    const deid = await measure(process.execPath, ['--require', path.join(root, 'bench/memory-sampler.cjs'), path.join(root, 'bin/deid.js'), 'fhir', file, '-q'], key);
    // the same run with one worker thread beside the main one (opt-in: each worker is a V8 heap of its own)
    const threaded = await measure(process.execPath, [path.join(root, 'bin/deid.js'), 'fhir', file, '-q', '--threads', '1'], key);
    rounds.push({ base, deid, threaded });
  }
  const base = medianRun(rounds.map((r) => r.base));
  const deid = medianRun(rounds.map((r) => r.deid));
  const threaded = medianRun(rounds.map((r) => r.threaded));
  const ratioOf = (side) => median(rounds.map((r) => r.base.seconds / r[side].seconds));
  const peakRun = rounds.map((r) => r.deid).reduce((a, b) => (b.peakMB > a.peakMB ? b : a));
  const peak = JSON.parse(/MEMORY (\{.*\})/.exec(peakRun.stderr)?.[1] ?? '{}');
  const mb = bytes / 1024 / 1024;
  const row = (name, m) => ({
    name,
    seconds: m.seconds,
    MBps: +(mb / m.seconds).toFixed(1),
    recordsPerSec: Math.round(records / m.seconds),
    peakRssMB: +m.peakMB.toFixed(0),
  });
  const result = {
    samples,
    input: { MB: +mb.toFixed(1), records },
    passthrough: row('parse+stringify passthrough', base),
    deid: row('deid fhir (BASIC)', deid),
    threaded: row('deid fhir (BASIC) --threads 1', threaded),
    runs,
    ratio: +ratioOf('deid').toFixed(3),
    ratioThreaded: +ratioOf('threaded').toFixed(3),
    // where deid's memory was at its peak RSS sample (MB): V8 heap, memory outside it (Buffers, typed arrays)
    deidPeakMemory: peak.rss
      ? { rssMB: mbOf(peak.rss), heapTotalMB: mbOf(peak.heapTotal), heapUsedMB: mbOf(peak.heapUsed), externalMB: mbOf(peak.external) }
      : undefined,
    targets: { ratio: 0.5, peakRssMB: 200 },
  };
  result.pass = result.ratio >= 0.5 && result.deid.peakRssMB < 200;
  return result;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The run of median time; peak RSS is the highest of all runs. */
function medianRun(ms) {
  const sorted = [...ms].sort((a, b) => a.seconds - b.seconds);
  return { ...sorted[Math.floor(sorted.length / 2)], peakMB: Math.max(...ms.map((m) => m.peakMB)) };
}

function mbOf(bytes) {
  return Math.round(bytes / 1024 / 1024);
}

async function countLines(file) {
  let n = 0;
  for await (const chunk of fs.createReadStream(file)) for (const b of chunk) if (b === 10) n++;
  return n;
}
