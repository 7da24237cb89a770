/**
 * Corrupt deflate data for gzip tests, with what zlib alone makes of it:
 * the offset of the byte it fails at and what it decodes before.
 */
import zlib from 'node:zlib';

const SYNC = { finishFlush: zlib.constants.Z_SYNC_FLUSH };

/** Index of the first byte of `raw` (deflate data) whose prefix zlib cannot inflate, by zlib alone. */
export function failingByte(raw: Buffer): number {
  let lo = 0;
  let hi = raw.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    try {
      zlib.inflateRawSync(raw.subarray(0, m + 1), SYNC);
      lo = m + 1;
    } catch {
      hi = m;
    }
  }
  return lo;
}

export interface Corrupt {
  gz: Buffer;
  /** Offset in gz of the byte zlib fails at. */
  at: number;
  /** What zlib decodes of the member before that byte. */
  decodable: Buffer;
}

/**
 * `gz` (one member whose deflate data starts at `dataStart`) with bytes
 * overwritten at `near` so that zlib fails within a few bytes: the offset it
 * fails at and what it decodes before, as zlib alone tells them.
 */
export function corruptNear(gz: Buffer, near: number, dataStart = 10): Corrupt {
  for (let shift = 0; shift < 256; shift += 8) {
    for (const fill of [0xff, 0x00, 0xa5]) {
      for (const len of [2, 4, 8, 16]) {
        const bad = Buffer.from(gz);
        bad.fill(fill, near + shift, near + shift + len);
        const raw = bad.subarray(dataStart);
        try {
          zlib.inflateRawSync(raw.subarray(0, near + shift + 200 - dataStart), SYNC);
          continue; // not noticed within 200 bytes
        } catch {
          // noticed: where exactly
        }
        const k = failingByte(raw);
        if (dataStart + k < near) continue;
        return { gz: bad, at: dataStart + k, decodable: zlib.inflateRawSync(raw.subarray(0, k), SYNC) };
      }
    }
  }
  throw new Error(`no corruption found near ${near}`);
}
