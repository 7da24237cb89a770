import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;

/**
 * A small file's bytes (a config, a key, a pipeline), read to its end or
 * until it proves longer than `max` bytes, whichever comes first: `over` is
 * then true and `bytes` empty. A size from stat() is no bound: a FIFO
 * (`-c <(…)`) or a device (`/dev/zero`) reports 0 and reading it whole
 * would take all memory. Throws what open/read throw (ENOENT, EISDIR…).
 */
export function readBounded(file: string, max: number): { bytes: Buffer; over: boolean } {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const b = Buffer.allocUnsafe(Math.min(CHUNK, max + 1 - total));
      const n = readSync(fd, b, 0, b.length, null);
      if (n === 0) break;
      chunks.push(b.subarray(0, n));
      total += n;
      if (total > max) return { bytes: Buffer.alloc(0), over: true };
    }
    return { bytes: Buffer.concat(chunks, total), over: false };
  } finally {
    closeSync(fd);
  }
}
