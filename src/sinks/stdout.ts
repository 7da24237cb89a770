import { DeidError } from '../core/errors.js';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The reader of our output went away (`deid fhir … | head -1`). */
export function isEpipe(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

const guarded = new WeakSet<object>();

/**
 * Makes a closed stdout pipe a quiet event: EPIPE errors on `out` are
 * swallowed (no uncaught 'error', no stack trace). Any other error is left to
 * the other 'error' listeners (pipeToStdout's pipeline), or thrown as Node
 * would if there are none. Idempotent.
 */
export function guardStdout(out: NodeJS.WritableStream = process.stdout): void {
  if (guarded.has(out)) return;
  guarded.add(out);
  out.on('error', (e: unknown) => {
    if (isEpipe(e) || out.listenerCount('error') > 1) return;
    throw e;
  });
}

/**
 * Pipes bytes to stdout. Resolves 'closed' when the reader closed the pipe
 * early (the source is destroyed, so upstream stages stop reading), 'done'
 * when everything was written; rejects on any other error.
 */
export async function pipeToStdout(
  source: Readable,
  out: NodeJS.WritableStream = process.stdout,
): Promise<'done' | 'closed'> {
  guardStdout(out);
  try {
    await pipeline(source, out as Writable, { end: false });
    return 'done';
  } catch (e) {
    if (isEpipe(e)) {
      source.destroy();
      return 'closed';
    }
    throw isWriteError(e) ? new DeidError('WRITE_FAILED', `stdout (${(e as { code: string }).code})`) : e;
  }
}

/** An error of the system call that wrote (ENOSPC, EIO, EBADF…), which is not a fault of deid's. */
function isWriteError(e: unknown): boolean {
  const err = e as { code?: unknown; syscall?: unknown } | null;
  return typeof err?.code === 'string' && err.syscall === 'write';
}
