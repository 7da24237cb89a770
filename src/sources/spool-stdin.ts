import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeidError } from '../core/errors.js';
import { removeOnSignal } from '../core/remove-on-signal.js';

/** A copy of stdin in a file; `remove` deletes it. */
export interface SpooledStdin {
  path: string;
  remove(): void;
}

/**
 * Copies stdin to a new temporary file in `dir` (readable by its owner only),
 * so that it can be read twice like any input without being held in memory.
 * The copy holds the input's PHI: from its creation on it is also removed if
 * a signal stops the process. Throws READ_FAILED (the file removed) when stdin
 * cannot be read.
 */
export async function spoolStdin(stdin: NodeJS.ReadableStream, dir: string): Promise<SpooledStdin> {
  const p = path.join(dir, `.deid-stdin-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const forget = removeOnSignal(p);
  const remove = (): void => {
    forget();
    fs.rmSync(p, { force: true });
  };
  try {
    await pipeline(stdin as Readable, fs.createWriteStream(p, { flags: 'wx', mode: 0o600 }) as Writable);
  } catch {
    remove();
    throw new DeidError('READ_FAILED', 'stdin');
  }
  return { path: p, remove };
}
