import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ErrorCodes } from '../../core/errors.js';
import { failed } from '../../core/record.js';
import { codeOf, DicomStoreError } from './codes.js';
import { filterLine, filterMatcher, parseDicomFilter } from './filter.js';
import { walkFiles } from './folder-walk.js';
import { scanUids } from './header-uids.js';
import { spoolInstance } from './spool.js';
import type { DicomStore, InstanceRef, ListOptions } from './types.js';
import { checkUid } from './uid.js';

/**
 * A folder tree of part-10 files. Any layout is read; writes go to
 * `<StudyUID>/<SeriesUID>/<SOPInstanceUID>.dcm`, atomically (temporary file
 * in the folder, then rename), replacing an instance with the same UIDs.
 */
export class FolderDicomStore implements DicomStore {
  readonly kind = 'folder' as const;
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

  async close(): Promise<void> {}

  /** True when `p` is a path below the store root (refs from elsewhere are not trusted). */
  private inside(p: string): boolean {
    if (!path.isAbsolute(p)) return false;
    const rel = path.relative(this.root, path.resolve(p));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }
}
