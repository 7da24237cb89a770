import fs from 'node:fs';
import path from 'node:path';
import { DeidError } from '../core/errors.js';
import { AtomicFile } from '../sinks/atomic-file.js';

/**
 * Creates a report's (temporary) file and its folder before a run, so that a
 * report that cannot be written stops the run before its output does
 * (WRITE_FAILED).
 */
export async function openReport(file: string): Promise<AtomicFile> {
  const f = new AtomicFile(file);
  try {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await f.open();
  } catch (e) {
    f.discard();
    throw writeFailed(e);
  }
  return f;
}

/** Writes a JSON report atomically (complete or absent), to a path or a file from openReport. */
export async function writeReport(file: string | AtomicFile, report: Record<string, unknown>): Promise<void> {
  const f = typeof file === 'string' ? new AtomicFile(file) : file;
  try {
    await f.append(JSON.stringify(report, null, 2) + '\n');
    await f.commit();
  } catch (e) {
    f.discard();
    throw writeFailed(e);
  }
}

function writeFailed(e: unknown): DeidError {
  const code = (e as { code?: unknown } | null)?.code;
  return new DeidError('WRITE_FAILED', typeof code === 'string' ? `report (${code})` : 'report');
}
