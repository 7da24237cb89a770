import fs from 'node:fs';
import path from 'node:path';
import { DeidError } from '../core/errors.js';

/** How an input's bytes are read: by its name, or sniffed from its first line. */
export type InputFormat = 'ndjson' | 'json' | 'sniff';

export interface ResolvedInput {
  /** The path as given (or joined to the folder given); '-' for stdin. */
  file: string;
  /** Path to open, or null for stdin. */
  path: string | null;
  format: InputFormat;
  /** Gunzip first. For a sniffed input the gzip magic is also sniffed. */
  gzip: boolean;
  /**
   * A path that is no regular file (a pipe such as `<(zcat x.gz)`, a device):
   * its bytes can be read once only, so the run copies it first, as it does stdin.
   */
  once?: boolean;
}

const MANIFEST = 'manifest.json';
/** A Bulk Data manifest is small; a bigger file is not one. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Format from a file name; `.gz` is peeled first. */
export function formatFromName(name: string): { format: InputFormat; gzip: boolean } {
  let n = name.toLowerCase();
  const gzip = n.endsWith('.gz');
  if (gzip) n = n.slice(0, -3);
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl')) return { format: 'ndjson', gzip };
  if (n.endsWith('.json')) return { format: 'json', gzip };
  return { format: 'sniff', gzip };
}

function isBulkFile(name: string): boolean {
  return name.endsWith('.ndjson') || name.endsWith('.ndjson.gz');
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Local file names listed by a FHIR Bulk Data manifest (`output[].url`, in
 * manifest order): each url's last path segment, looked up in the folder.
 * https://hl7.org/fhir/uv/bulkdata/export.html#response---complete-status
 */
export function manifestFileNames(manifest: unknown): string[] {
  const output = (manifest as { output?: unknown } | null)?.output;
  if (!Array.isArray(output)) throw new DeidError('READ_FAILED', `${MANIFEST} has no output array`);
  return output.map((o, i) => {
    const url = (o as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || url.length === 0) throw new DeidError('READ_FAILED', `${MANIFEST} output[${i}] has no url`);
    let pathname: string;
    try {
      pathname = new URL(url, 'file:///').pathname;
    } catch {
      throw new DeidError('READ_FAILED', `${MANIFEST} output[${i}] url is not a URL`);
    }
    const name = decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1));
    if (name === '' || name === '.' || name === '..') throw new DeidError('READ_FAILED', `${MANIFEST} output[${i}] url names no file`);
    return name;
  });
}

async function expandFolder(given: string): Promise<ResolvedInput[]> {
  const names = await fs.promises.readdir(given);
  let files: string[];
  if (names.includes(MANIFEST)) {
    const mpath = path.join(given, MANIFEST);
    const st = await fs.promises.stat(mpath);
    if (st.size > MAX_MANIFEST_BYTES) throw new DeidError('READ_FAILED', `${mpath} is too large for a manifest`);
    let manifest: unknown;
    try {
      manifest = JSON.parse(await fs.promises.readFile(mpath, 'utf8'));
    } catch {
      throw new DeidError('READ_FAILED', `${mpath} is not valid JSON`);
    }
    files = manifestFileNames(manifest);
    for (const f of files) {
      if (!names.includes(f)) throw new DeidError('INPUT_NOT_FOUND', path.join(given, f), { file: path.join(given, f) });
    }
  } else {
    files = names.filter(isBulkFile).sort(byCodePoint);
  }
  return files.map((f) => ({ file: path.join(given, f), path: path.join(given, f), ...formatFromName(f) }));
}

/**
 * Resolves INPUT arguments to the list of inputs to read, in order. Throws
 * DeidError INPUT_NOT_FOUND before anything is read when one does not exist.
 * No arguments means stdin.
 */
export async function resolveInputs(inputs: readonly string[]): Promise<ResolvedInput[]> {
  const list = inputs.length === 0 ? ['-'] : inputs;
  const resolved: ResolvedInput[] = [];
  for (const given of list) {
    if (given === '-') {
      resolved.push({ file: '-', path: null, format: 'sniff', gzip: false });
      continue;
    }
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(given);
    } catch {
      throw new DeidError('INPUT_NOT_FOUND', given, { file: given });
    }
    if (st.isDirectory()) resolved.push(...(await expandFolder(given)));
    else resolved.push({ file: given, path: given, ...formatFromName(given), ...(st.isFile() ? {} : { once: true }) });
  }
  return resolved;
}
