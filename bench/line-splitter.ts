// Line splitter throughput: ours (src/sources/line-splitter.ts) against the
// simplest alternative, node:readline, on the same bytes in the same run.
//   node --import tsx bench/line-splitter.ts [repeat=4]
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { LineSplitter, LineSplitterCore, type SplitLine } from '../src/sources/line-splitter.js';
import type { Failed } from '../src/core/record.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.resolve(repoRoot, '../shared/data/fhir-samples/bulk-synthea-30-patients');
const repeat = Number(process.argv[2] ?? 4);
const CHUNK = 64 * 1024;

const one = Buffer.concat(
  fs
    .readdirSync(folder)
    .filter((n) => n.endsWith('.ndjson'))
    .sort()
    .map((n) => fs.readFileSync(path.join(folder, n))),
);
const data = Buffer.concat(Array.from({ length: repeat }, () => one));
const chunks: Buffer[] = [];
for (let i = 0; i < data.length; i += CHUNK) chunks.push(data.subarray(i, i + CHUNK));
const mb = data.length / (1024 * 1024);

async function ours(): Promise<number> {
  let n = 0;
  for await (const _ of Readable.from(chunks, { objectMode: false }).pipe(new LineSplitter({ asString: true }))) n++;
  return n;
}

function oursCore(): number {
  const core = new LineSplitterCore({ asString: true });
  const out: Array<SplitLine | Failed> = [];
  let n = 0;
  for (const c of chunks) {
    core.push(c, out);
    n += out.length;
    out.length = 0;
  }
  core.end(out);
  return n + out.length;
}

async function withReadline(): Promise<number> {
  let n = 0;
  const rl = readline.createInterface({ input: Readable.from(chunks, { objectMode: false }), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim() !== '') n++;
  return n;
}

async function best(name: string, fn: () => number | Promise<number>): Promise<number> {
  let bestMs = Infinity;
  let lines = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    lines = await fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    bestMs = Math.min(bestMs, ms);
  }
  console.log(`${name.padEnd(28)} ${lines} lines  ${bestMs.toFixed(1)} ms  ${(mb / (bestMs / 1000)).toFixed(0)} MiB/s`);
  return bestMs;
}

console.log(`input: ${mb.toFixed(1)} MiB (bulk-synthea-30-patients x${repeat}), ${CHUNK / 1024} KiB chunks, best of 5`);
const a = await best('LineSplitter (stream)', ours);
const c = await best('LineSplitterCore (no stream)', oursCore);
const r = await best('node:readline', withReadline);
console.log(`ratio readline/LineSplitter: ${(r / a).toFixed(2)}x   readline/core: ${(r / c).toFixed(2)}x`);
