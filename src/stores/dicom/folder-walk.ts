import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Names a folder store never treats as instances: its own temporary files and hidden files, and DICOMDIR indexes. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.toUpperCase() === 'DICOMDIR';
}

export interface WalkEntry {
  path: string;
  /** Set for an entry that is not walked: a symbolic link to a folder (loops), or an unreadable folder. */
  skipped?: 'symlink-folder' | 'unreadable';
}

/**
 * Regular files under `root`, depth first, in byte order of names at each
 * level (deterministic). One folder's listing is held at a time, never the
 * whole tree. Symbolic links to files are followed; links to folders are
 * reported, not walked.
 */
export async function* walkFiles(root: string): AsyncGenerator<WalkEntry> {
  let entries: Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    yield { path: root, skipped: 'unreadable' };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (isIgnoredName(e.name)) continue;
    const p = path.join(root, e.name);
    if (e.isDirectory()) yield* walkFiles(p);
    else if (e.isFile()) yield { path: p };
    else if (e.isSymbolicLink()) {
      const s = await stat(p).catch(() => undefined);
      if (s?.isFile()) yield { path: p };
      else if (s?.isDirectory()) yield { path: p, skipped: 'symlink-folder' };
    }
  }
}
