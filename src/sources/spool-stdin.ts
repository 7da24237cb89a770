import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeidError } from '../core/errors.js';

/**
 * Copies stdin to a new temporary file in `dir` (readable by its owner only),
 * so that it can be read twice like any input without being held in memory.
 * The caller removes the file. Throws READ_FAILED (the file removed) when
 * stdin cannot be read.
 */
export async function spoolStdin(stdin: NodeJS.ReadableStream, dir: string): Promise<string> {
  const p = path.join(dir, `.deid-stdin-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await pipeline(stdin as Readable, fs.createWriteStream(p, { flags: 'wx', mode: 0o600 }) as Writable);
  } catch {
    fs.rmSync(p, { force: true });
    throw new DeidError('READ_FAILED', 'stdin');
  }
  return p;
}
