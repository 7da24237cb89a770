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
 * cannot be read, WRITE_FAILED when the copy cannot be written. Also serves
 * inputs named by a path that can be read only once (a pipe: `<(zcat x.gz)`);
 * `name` is what errors call the input.
 */
export async function spoolStdin(stdin: NodeJS.ReadableStream, dir: string, name = 'stdin'): Promise<SpooledStdin> {
  const p = path.join(dir, `.deid-stdin-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const forget = removeOnSignal(p);
  const remove = (): void => {
    forget();
    fs.rmSync(p, { force: true });
  };
  const copy = fs.createWriteStream(p, { flags: 'wx', mode: 0o600 });
  let writeError: unknown;
  copy.on('error', (e) => (writeError ??= e));
  try {
    await pipeline(stdin as Readable, copy as Writable);
  } catch {
    // the copy's own failure (no such folder, a full disk) is not stdin's; taken now, as the copy is
    // then destroyed with stdin's error too
    const own = writeError;
    // the file is opened asynchronously: removed before its open completes, it would be created after
    if (!copy.closed) await new Promise<void>((resolve) => copy.once('close', () => resolve()));
    remove();
    if (own !== undefined) throw new DeidError('WRITE_FAILED', `temporary copy of ${name} in ${dir} (${codeOf(own)})`);
    throw new DeidError('READ_FAILED', name);
  }
  return { path: p, remove };
}

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : 'error';
}
