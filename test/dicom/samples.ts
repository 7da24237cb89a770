import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shared sample data, relative to the repository (../shared/data). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const samplesDir = path.resolve(repoRoot, '../shared/data/dicom-samples');

/** Every sample file (relative names), PROVENANCE.md excluded. */
export function sampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir).sort()) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!f.endsWith('.md')) out.push(path.relative(samplesDir, p));
    }
  };
  walk(samplesDir);
  return out;
}

export function samplePath(name: string): string {
  return path.join(samplesDir, name);
}

/** Samples that are not well formed, with the error each must raise. */
export const MALFORMED: Record<string, 'DICOM_TRUNCATED' | 'DICOM_MALFORMED'> = {
  'edge-cases/MR_truncated.dcm': 'DICOM_TRUNCATED',
  'edge-cases/rtplan_truncated.dcm': 'DICOM_TRUNCATED',
  // No preamble and no meta, and the first element header is off by one byte.
  'edge-cases/no_meta.dcm': 'DICOM_MALFORMED',
};
