import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A file written under a temporary name in its final folder (same file
 * system, so the rename is atomic) and renamed only on commit: an aborted
 * run never leaves a half-written file under the final name.
 *
 * A path that names something other than a regular file (a FIFO such as
 * `--errors >(…)`, `/dev/stderr`) is written in place: renaming over it
 * would replace the pipe its reader waits on with a file.
 */
export class AtomicFile {
  readonly finalPath: string;
  readonly tempPath: string;
  private handle: fs.promises.FileHandle | null = null;
  private created = false;
  private done = false;
  /** Written in place (the final path is not a regular file). */
  private direct = false;

  constructor(finalPath: string) {
    this.finalPath = finalPath;
    const dir = path.dirname(finalPath);
    this.tempPath = path.join(dir, `.${path.basename(finalPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  }

  get isOpen(): boolean {
    return this.handle !== null;
  }

  /** Opens (or reopens, appending) the temporary file. */
  async open(): Promise<void> {
    if (this.handle) return;
    if (this.done) throw new Error(`${this.tempPath} was already committed or discarded`);
    if (!this.created) this.direct = isSpecialFile(this.finalPath);
    if (this.direct) {
      this.created = true;
      const handle = await fs.promises.open(this.finalPath, 'a');
      if (this.done) {
        await handle.close().catch(() => undefined);
        throw new Error(`${this.finalPath} was discarded while it was being opened`);
      }
      this.handle = handle;
      return;
    }
    const flags = this.created ? 'a' : 'wx';
    // The file may exist from here on: a discard() while the open is pending must remove it.
    this.created = true;
    const handle = await fs.promises.open(this.tempPath, flags);
    if (this.done) {
      await handle.close().catch(() => undefined);
      fs.rmSync(this.tempPath, { force: true });
      throw new Error(`${this.tempPath} was discarded while it was being opened`);
    }
    this.handle = handle;
  }

  async append(data: string | Buffer): Promise<void> {
    await this.open();
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await this.handle!.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
  }

  /** Closes the handle; the file can be reopened later to append. */
  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    if (h) await h.close();
  }

  /** Renames the temporary file to its final name (creating it empty if nothing was written). */
  async commit(): Promise<void> {
    if (this.done) return;
    if (!this.created) await this.open();
    await this.close();
    if (!this.direct) await fs.promises.rename(this.tempPath, this.finalPath);
    this.done = true;
  }

  /**
   * Removes the temporary file at once (synchronously, so that a process
   * exiting right after an abort leaves nothing behind); the handle, if
   * open, is closed in the background. Nothing can be written afterwards.
   */
  discard(): void {
    if (this.done) return;
    this.done = true;
    if (this.created && !this.direct) fs.rmSync(this.tempPath, { force: true });
    const h = this.handle;
    this.handle = null;
    h?.close().catch(() => undefined);
  }
}

/** Whether `p` exists and is not a regular file once links are followed (a FIFO, a character device). */
function isSpecialFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}
