import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Small seeded PRNG (mulberry32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type ChunkPlan = number | { random: { seed: number; min?: number; max?: number } };

/** Splits `buf` into chunks: all of `plan` bytes, or random sizes from a seeded PRNG. */
export function splitChunks(buf: Buffer, plan: ChunkPlan): Buffer[] {
  const out: Buffer[] = [];
  if (typeof plan === 'number') {
    for (let i = 0; i < buf.length; i += plan) out.push(buf.subarray(i, i + plan));
    return out;
  }
  const rnd = seededRandom(plan.random.seed);
  const min = plan.random.min ?? 1;
  const max = plan.random.max ?? 4096;
  for (let i = 0; i < buf.length; ) {
    const n = min + Math.floor(rnd() * (max - min + 1));
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

/** A byte stream that delivers `buf` in the chunks of `plan`. */
export function rechunked(buf: Buffer, plan: ChunkPlan): Readable {
  return Readable.from(splitChunks(buf, plan), { objectMode: false });
}

/** Runs `buf`, chunked per `plan`, through `stages` and collects what comes out (bytes or objects). */
export async function runChunked<T = unknown>(buf: Buffer, plan: ChunkPlan, ...stages: Transform[]): Promise<T[]> {
  const out: T[] = [];
  const sink = new Writable({
    objectMode: true,
    write(x: T, _enc, cb) {
      out.push(x);
      cb();
    },
  });
  await pipeline([rechunked(buf, plan), ...stages, sink]);
  return out;
}

/** The standard plans every re-chunking test runs: 1 byte, 7 bytes, and seeded random sizes. */
export const STANDARD_PLANS: { name: string; plan: ChunkPlan }[] = [
  { name: '1-byte', plan: 1 },
  { name: '7-byte', plan: 7 },
  { name: 'random(seed 42)', plan: { random: { seed: 42, min: 1, max: 5000 } } },
  { name: 'random(seed 7)', plan: { random: { seed: 7, min: 1, max: 70000 } } },
];
