import fs from 'node:fs';
import path from 'node:path';
import { walkFiles } from './folder-walk.js';
import { isValidUid } from './uid.js';

/** Codes of a file system that has no symbolic links. */
const NO_SYMLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Which output path each SOPInstanceUID written by a run went to. A
 * SOPInstanceUID names one instance (PS3.3 C.12.1.1.1), but two source
 * instances of different studies or series may share one (a modality that
 * reuses UIDs): they would land on two names, and a store that reads the
 * folder would keep one of them or both. The second one's path is refused.
 *
 * Kept on disk, not in memory, since a run may write millions of instances:
 * one symbolic link per UID in the run's temporary folder, pointing at the
 * path claimed. Making a link is atomic and fails on a name that exists, and
 * reading it back names the instance that was kept. A file system without
 * symbolic links gets a map in memory.
 */
export class SopClaims {
  readonly #dir: string;
  #made = false;
  #memory: Map<string, string> | undefined;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The path claimed earlier for `sop`; undefined when `rel` is now its path. */
  claim(sop: string, rel: string): string | undefined {
    if (this.#memory === undefined) {
      if (!this.#made) {
        fs.mkdirSync(this.#dir, { recursive: true });
        this.#made = true;
      }
      const link = path.join(this.#dir, sop);
      try {
        fs.symlinkSync(rel, link);
        return undefined;
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        if (code === 'EEXIST') return fs.readlinkSync(link);
        if (!NO_SYMLINKS.has(code) || fs.readdirSync(this.#dir).length > 0) throw e;
        this.#memory = new Map();
      }
    }
    const had = this.#memory.get(sop);
    if (had === undefined) this.#memory.set(sop, rel);
    return had;
  }
}

/**
 * Claims the SOPInstanceUIDs a folder already holds in the
 * `<StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm` layout, by their names
 * (nothing is read): the first in name order keeps a UID found twice.
 */
export async function claimExisting(claims: SopClaims, root: string): Promise<void> {
  for await (const entry of walkFiles(root)) {
    if (entry.skipped) continue;
    const parts = path.relative(root, entry.path).split(path.sep);
    if (parts.length !== 3 || !parts[2]!.endsWith('.dcm')) continue;
    const sop = parts[2]!.slice(0, -'.dcm'.length);
    if (isValidUid(parts[0]!) && isValidUid(parts[1]!) && isValidUid(sop)) claims.claim(sop, parts.join(path.sep));
  }
}
