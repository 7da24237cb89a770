import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeOnSignal } from '../core/remove-on-signal.js';

/** Largest read of the copy when it is read again. */
const READ = 256 * 1024;
/** Bytes of writes in flight before the input waits for them. */
const IN_FLIGHT = 1024 * 1024;
const EMPTY = Buffer.alloc(0);
const noop = (): void => undefined;

/**
 * The compressed bytes of the gzip member being read from an input that
 * cannot be read again (stdin read once), kept so that corrupt deflate data
 * can be inflated again up to the byte that fails (gunzip.ts), as a file's.
 *
 * They go to a file only its owner can read, made in a new folder of $TMPDIR
 * and unlinked at once: the open descriptor is all that holds it, so no end
 * of the run (an error, a signal, a closed stdout, even SIGKILL) leaves the
 * copy behind. Where an open file cannot be unlinked, it is removed by
 * `remove()` and on SIGINT/SIGTERM/SIGHUP. A new member truncates the file
 * (`keepFrom`), so it holds at most the largest member; memory holds at
 * most IN_FLIGHT bytes of writes, whatever the input's size.
 *
 * A copy that cannot be made or written (no $TMPDIR, a full disk) only takes
 * the re-read away: the input is still read to its end, and corrupt data
 * loses what its failing inflate call decoded, as without a copy.
 */
export class MemberCopy {
  private fd: number | undefined;
  private dir: string | undefined;
  private forget: (() => void) | undefined;
  /** Input offset of the file's first byte. */
  private base = 0;
  /** Input offset after the last byte seen. */
  private end = 0;
  /** The last chunk seen and its input offset: a member starts in it (Bytes in gunzip.ts reads no further ahead). */
  private last: Buffer = EMPTY;
  private lastAt = 0;
  /** The file's operations, one after the other. */
  private queue: Promise<unknown> = Promise.resolve();
  private broken = false;
  /** Bytes handed to writes that have not finished. */
  private writing = 0;

  constructor() {
    let dir: string | undefined;
    try {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-gz-'));
      this.fd = fs.openSync(path.join(dir, 'member'), 'wx+', 0o600);
    } catch {
      this.broken = true;
    }
    if (dir === undefined) return;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      this.dir = dir;
      this.forget = removeOnSignal(dir);
    }
  }

  /** `src` as it is, each chunk copied on its way; a slow disk holds the input back. */
  async *tee(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of src) {
      this.append(chunk);
      yield chunk;
      if (this.writing > IN_FLIGHT) await this.queue;
    }
  }

  /** Only the input from offset `from` on is needed: the file is cut to it. */
  keepFrom(from: number): void {
    // `from` is before the last chunk only if gunzip.ts read further ahead than it does: all is kept
    if (from < this.lastAt || from > this.end || from === this.base) return;
    const tail = this.last.subarray(from - this.lastAt);
    void this.run(async (fd) => {
      await new Promise<void>((resolve, reject) => fs.ftruncate(fd, 0, (e) => (e ? reject(e) : resolve())));
      this.base = from;
      if (tail.length > 0) await write(fd, tail, 0);
    });
  }

  /** The input from offset `from` (not before the last `keepFrom`) to the last byte seen; throws if the copy does not hold it. */
  async *readFrom(from: number): AsyncGenerator<Buffer> {
    await this.queue;
    if (this.broken || from < this.base) throw Object.assign(new Error('no copy of the input'), { code: 'ENOENT' });
    for (let pos = from - this.base; pos < this.end - this.base; ) {
      const at = pos;
      const b = await this.run((fd) => read(fd, Math.min(READ, this.end - this.base - at), at));
      if (b === undefined || b.length === 0) throw Object.assign(new Error('copy of the input cut short'), { code: 'EIO' });
      pos += b.length;
      yield b;
    }
  }

  /** Closes the file (after the operation in flight) and removes it if it is still there. */
  remove(): void {
    const fd = this.fd;
    this.fd = undefined;
    this.broken = true;
    // the descriptor is not closed under an operation in flight: its number could be reused by then
    if (fd !== undefined) void this.queue.then(() => fs.close(fd, noop));
    if (this.dir !== undefined) {
      this.forget?.();
      fs.rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
    }
  }

  private append(chunk: Buffer): void {
    const at = this.end;
    this.end += chunk.length;
    this.last = chunk;
    this.lastAt = at;
    if (this.broken) return;
    this.writing += chunk.length;
    const done = (): void => {
      this.writing -= chunk.length;
    };
    // a failure is the queue's to note (run)
    void this.run((fd) => write(fd, chunk, at - this.base)).then(done, done);
  }

  /** Runs `op` after the operations before it; one that fails leaves the copy unusable. */
  private run<T>(op: (fd: number) => Promise<T>): Promise<T | undefined> {
    const p = this.queue.then(() => (this.broken || this.fd === undefined ? undefined : op(this.fd)));
    this.queue = p.catch(() => {
      this.broken = true;
    });
    return p;
  }
}

async function write(fd: number, b: Buffer, position: number): Promise<void> {
  for (let done = 0; done < b.length; ) {
    const n = await new Promise<number>((resolve, reject) =>
      fs.write(fd, b, done, b.length - done, position + done, (e, written) => (e ? reject(e) : resolve(written))),
    );
    done += n;
  }
}

function read(fd: number, length: number, position: number): Promise<Buffer> {
  const b = Buffer.allocUnsafe(length);
  return new Promise<Buffer>((resolve, reject) => fs.read(fd, b, 0, length, position, (e, n) => (e ? reject(e) : resolve(b.subarray(0, n)))));
}
