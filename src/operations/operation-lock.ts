import fs from 'node:fs';
import path from 'node:path';
import { DeidError } from '../core/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code === 'EPERM';
  }
}

/**
 * One process at a time per operation: a resume started while the operation
 * still runs (draining after a signal, or in another terminal) would prune
 * the error log under it and rewrite the same unit parts. The lock file
 * holds the owner's pid; a lock whose process is gone (a kill) is taken over.
 */
export class OperationLock {
  private constructor(readonly file: string) {}

  static acquire(dir: string, id: string): OperationLock {
    const file = path.join(dir, `.${id}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        return new OperationLock(file);
      } catch (e) {
        if ((e as { code?: unknown }).code !== 'EEXIST') {
          const code = (e as { code?: unknown }).code;
          throw new DeidError('WRITE_FAILED', `operation lock in ${dir} (${typeof code === 'string' ? code : 'error'})`);
        }
      }
      const owner = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new DeidError('USAGE', `operation ${id} is running in process ${owner}; wait for it to end before resuming it`);
      }
      fs.rmSync(file, { force: true });
    }
    throw new DeidError('USAGE', `operation ${id} is being started by another process`);
  }

  release(): void {
    try {
      if (fs.readFileSync(this.file, 'utf8').trim() === String(process.pid)) fs.rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}
