import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedInput } from '../sources/resolve-inputs.js';
import { isTypeFileName, MANIFEST_NAME } from '../sinks/bulk-folder-writer.js';

export interface RunFiles {
  /** '-' for stdout, else the output folder. */
  output: string;
  errorsFile?: string;
  reportFile?: string;
}

/** A path as the file system names it (symbolic links and `..` resolved), or resolved by hand if it does not exist yet. */
function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(p)), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

/**
 * Why the files a run writes would replace one of its inputs or one another
 * (the source is never modified), or undefined. The output folder may not
 * hold an input; --errors and --report may not name an input, the same
 * file, or a file the output folder is written with.
 */
export function outputClash(files: RunFiles, inputs: readonly ResolvedInput[]): string | undefined {
  const sources = new Set(inputs.filter((i) => i.path !== null).map((i) => real(i.path!)));
  const outDir = files.output === '-' ? undefined : real(files.output);
  if (outDir !== undefined && [...sources].some((s) => path.dirname(s) === outDir)) {
    return `${files.output} holds inputs; the source is never modified: write the copies to another folder`;
  }
  const named: Array<[string, string]> = [];
  if (files.errorsFile) named.push(['--errors', real(files.errorsFile)]);
  if (files.reportFile) named.push(['--report', real(files.reportFile)]);
  for (const [opt, p] of named) {
    if (sources.has(p)) return `${opt} names an input; the source is never modified`;
    const base = path.basename(p);
    if (outDir !== undefined && path.dirname(p) === outDir && (base === MANIFEST_NAME || (base.endsWith('.ndjson') && isTypeFileName(base.slice(0, -'.ndjson'.length))))) {
      return `${opt} names a file of the output folder`;
    }
  }
  if (named.length === 2 && named[0]![1] === named[1]![1]) return '--errors and --report name the same file';
  return undefined;
}
