import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDeidError } from '../../core/errors.js';
import { DicomStoreError } from './codes.js';
import { scanUids, type InstanceUids } from './header-uids.js';

export interface Spooled {
  /** Temporary file holding the instance; the caller renames or removes it. */
  path: string;
  uids: InstanceUids;
  size: number;
}

/** A temporary name in `dir` that folder listings ignore (leading dot). */
export function tempName(dir: string): string {
  return path.join(dir, `.deid-tmp-${process.pid}-${randomBytes(8).toString('hex')}.dcm`);
}

/**
 * Copies an instance into a temporary file of `dir` and reads it back whole:
 * what is stored or sent afterwards is known complete and well formed, and
 * can be sent again on a retry without holding it in memory.
 */
export async function spoolInstance(bytes: Readable | Buffer, dir: string): Promise<Spooled> {
  const tmp = tempName(dir);
  const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600 });
  let size = 0;
  const input = Buffer.isBuffer(bytes) ? Readable.from([bytes]) : bytes;
  // Which side failed first: pipeline() then destroys the other with the same error.
  let first: 'source' | 'file' | undefined;
  input.once('error', () => (first ??= 'source'));
  out.once('error', () => (first ??= 'file'));
  try {
    await pipeline(input, async function* (src: AsyncIterable<Buffer>) {
      for await (const c of src) {
        size += c.length;
        yield c;
      }
    }, out);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    if (isDeidError(e) || e instanceof DicomStoreError) throw e;
    // The source failing is a read problem; the temporary file failing is a write problem.
    if (first !== 'file') throw new DicomStoreError('STORE_READ_FAILED', 'input stream failed');
    const fsCode = (e as NodeJS.ErrnoException).code;
    throw new DicomStoreError('STORE_WRITE_FAILED', fsCode ? `temporary file (${fsCode})` : 'temporary file');
  }
  try {
    const uids = await scanUids(createReadStream(tmp), { whole: true });
    return { path: tmp, uids, size };
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
