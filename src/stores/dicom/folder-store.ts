import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ErrorCodes } from '../../core/errors.js';
import { failed } from '../../core/record.js';
import { codeOf, DicomStoreError } from './codes.js';
import { filterLine, filterMatcher, parseDicomFilter } from './filter.js';
import { walkFiles } from './folder-walk.js';
import { removeOnSignal } from '../../core/remove-on-signal.js';
import { scanUids } from './header-uids.js';
import { claimExisting, SopClaims } from './sop-claims.js';
import { spoolInstance } from './spool.js';
import type { DicomStore, InstanceRef, ListOptions } from './types.js';
import { checkUid } from './uid.js';

/**
 * A folder tree of part-10 files. Any layout is read; writes go to
 * `<StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm`, atomically (temporary file
 * in the folder, then rename), replacing an instance with the same UIDs and
 * refusing one whose SOPInstanceUID the folder holds elsewhere.
 */
export class FolderDicomStore implements DicomStore {
  readonly kind = 'folder' as const;
  /** Where each SOPInstanceUID of the folder is (refuseElsewhere), made at the first write. */
  #places: Promise<{ claims: SopClaims; dir: string; forget: () => void }> | undefined;

  constructor(readonly uri: string, readonly root: string) {}

  async *list(filter?: string[], opts: ListOptions = {}): AsyncGenerator<InstanceRef> {
    const entries = filter ? parseDicomFilter(filter) : undefined;
    const match = entries ? filterMatcher(entries) : () => '';
    const hit = new Set<string>();
    const report = (file: string, code: string, reason: string): void => {
      if (!opts.onFailed) throw new DicomStoreError(code === 'STORE_INSTANCE_NOT_FOUND' ? code : 'STORE_READ_FAILED', `${file} (${code})`);
      opts.onFailed(failed(code, reason, { file }));
    };
    for await (const entry of walkFiles(this.root)) {
      if (entry.skipped) {
        report(entry.path, 'STORE_READ_FAILED', entry.skipped === 'symlink-folder' ? 'symbolic link to a folder is not followed' : 'folder could not be read');
        continue;
      }
      let uids;
      try {
        uids = await scanUids(createReadStream(entry.path));
      } catch (e) {
        const code = codeOf(e);
        report(entry.path, code, Object.hasOwn(ErrorCodes, code) ? ErrorCodes[code as keyof typeof ErrorCodes] : 'instance UIDs could not be read');
        continue;
      }
      const ref = { ...uids, location: entry.path };
      const line = match(ref);
      if (line === undefined) continue;
      hit.add(line);
      yield ref;
    }
    for (const e of entries ?? []) {
      const line = filterLine(e);
      if (!hit.has(line)) report(line, 'STORE_INSTANCE_NOT_FOUND', 'filter line matched no instance');
    }
  }

  /** Where an instance with these UIDs is written (UIDs checked: never a traversal). */
  pathOf(uids: { study: string; series: string; instance: string }): string {
    return path.join(this.root, checkUid(uids.study, 'study'), checkUid(uids.series, 'series'), `${checkUid(uids.instance, 'instance')}.dcm`);
  }

  async read(ref: InstanceRef): Promise<Readable> {
    const file = this.inside(ref.location) ? ref.location : this.pathOf(ref);
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
    } catch {
      throw new DicomStoreError('STORE_INSTANCE_NOT_FOUND', file);
    }
    return createReadStream(file);
  }

  async write(bytes: Readable | Buffer, ref?: InstanceRef): Promise<InstanceRef> {
    await this.ensure();
    const s = await spoolInstance(bytes, this.root);
    const dest = this.pathOf(s.uids);
    try {
      await this.refuseElsewhere(s.uids, dest);
    } catch (e) {
      await unlink(s.path).catch(() => undefined);
      throw e;
    }
    try {
      await mkdir(path.dirname(dest), { recursive: true });
      await rename(s.path, dest);
    } catch (e) {
      await unlink(s.path).catch(() => undefined);
      const where = ref ? ` (source ${ref.location})` : '';
      throw new DicomStoreError('STORE_WRITE_FAILED', `${dest}${where} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return { ...s.uids, location: dest };
  }

  async ensure(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
    } catch (e) {
      throw new DicomStoreError('STORE_WRITE_FAILED', `${this.root} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  async close(): Promise<void> {
    const places = this.#places;
    this.#places = undefined;
    if (!places) return;
    const { dir, forget } = await places;
    forget();
    await rm(dir, { recursive: true, force: true });
  }

  /**
   * A SOPInstanceUID names one instance wherever it is: the folder may not
   * hold it under another study or series too (a modality that reused one
   * UID in two studies). Such an instance is DICOM_DUPLICATE_SOP and is not
   * written; the one there stays. The same place is replaced as any write
   * replaces it (the same instance again, a redone study). What the folder
   * held before the first write is found by its names in this store's
   * layout, read once; later writes add theirs (SopClaims: on disk, so a
   * folder of millions of instances costs no memory).
   */
  private async refuseElsewhere(uids: { instance: string }, dest: string): Promise<void> {
    const { claims } = await (this.#places ??= this.indexPlaces());
    const rel = path.relative(this.root, dest);
    const kept = claims.claim(uids.instance, rel);
    if (kept !== undefined && kept !== rel) {
      throw new DicomStoreError('DICOM_DUPLICATE_SOP', `instance ${uids.instance} is already stored at ${kept}`);
    }
  }

  private async indexPlaces(): Promise<{ claims: SopClaims; dir: string; forget: () => void }> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'deid-folder-sops-'));
    const forget = removeOnSignal(dir);
    const claims = new SopClaims(path.join(dir, 'sop'));
    await claimExisting(claims, this.root);
    return { claims, dir, forget };
  }

  /** True when `p` is a path below the store root (refs from elsewhere are not trusted). */
  private inside(p: string): boolean {
    if (!path.isAbsolute(p)) return false;
    const rel = path.relative(this.root, path.resolve(p));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }
}
