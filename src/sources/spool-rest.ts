import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeidError } from '../core/errors.js';
import { removeOnSignal } from '../core/remove-on-signal.js';

/** The rest of an input copied to a file; `error` is the input's own, if it failed before its end. */
export interface SpooledRest {
  path: string;
  error: unknown;
  remove(): void;
}

/**
 * Copies what is left of an input that cannot be read again (stdin) to a
 * file only its owner can read, in a new folder of $TMPDIR, showing each
 * chunk to `see` on the way. The copy holds the input's PHI: it is removed by
 * `remove()` and on SIGINT/SIGTERM/SIGHUP. An input that fails keeps what
 * came before the failure in the copy, its error in `error`; a copy that
 * cannot be written is WRITE_FAILED.
 */
export async function spoolRest(rest: AsyncIterator<Buffer>, see: (chunk: Buffer) => void): Promise<SpooledRest> {
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-rest-'));
  } catch (e) {
    throw new DeidError('WRITE_FAILED', `temporary copy of stdin in ${os.tmpdir()} (${codeOf(e)})`);
  }
  const forget = removeOnSignal(dir);
  const remove = (): void => {
    forget();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const file = path.join(dir, 'rest');
  let error: unknown;
  async function* seen(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const r = await rest.next();
        if (r.done) return;
        see(r.value);
        yield r.value;
      }
    } catch (e) {
      error = e;
    }
  }
  try {
    await pipeline(Readable.from(seen(), { objectMode: false }), fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (e) {
    remove();
    throw new DeidError('WRITE_FAILED', `temporary copy of stdin in ${dir} (${codeOf(e)})`);
  }
  return { path: file, error, remove };
}

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : 'error';
}
