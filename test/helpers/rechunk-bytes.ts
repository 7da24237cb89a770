/**
 * Re-chunking for stream tests: the same bytes cut into 1-byte, 7-byte and
 * seeded random-size chunks must give the same items as the whole buffer.
 */

import { seededRandom, splitChunks } from './rechunk.js';

export { seededRandom };

/** Cuts `buf` into chunks of `size` bytes (the last may be shorter). */
export function fixedChunks(buf: Buffer, size: number): Buffer[] {
  return splitChunks(buf, size);
}

/** Cuts `buf` into chunks of 1..maxSize bytes drawn from a seeded PRNG. */
export function randomChunks(buf: Buffer, seed: number, maxSize = 4096): Buffer[] {
  return splitChunks(buf, { random: { seed, min: 1, max: maxSize } });
}

export interface Chunking {
  name: string;
  split(buf: Buffer): Buffer[];
}

/** The chunkings every stream test runs: 1 byte, 7 bytes, random sizes (seed 20240611). */
export const CHUNKINGS: readonly Chunking[] = [
  { name: '1-byte', split: (b) => fixedChunks(b, 1) },
  { name: '7-byte', split: (b) => fixedChunks(b, 7) },
  { name: 'random', split: (b) => randomChunks(b, 20240611) },
];

/** Something fed chunk by chunk that collects its output into an array. */
export interface ChunkConsumer<T> {
  push(chunk: Buffer, out: T[]): void;
  end(out: T[]): void;
}

/** Feeds chunks to a fresh consumer and returns everything it produced. */
export function feedChunks<T>(make: () => ChunkConsumer<T>, chunks: readonly Buffer[]): T[] {
  const c = make();
  const out: T[] = [];
  for (const ch of chunks) c.push(ch, out);
  c.end(out);
  return out;
}
