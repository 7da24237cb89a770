import fs from 'node:fs';
import path from 'node:path';
import { DeidError } from '../core/errors.js';
import { isOperationId } from './operation-id.js';
import type { OperationRecord } from './operation-record.js';

export const OPERATION_DIR_NAME = '.deid-operations';

export function operationFile(dir: string, id: string): string {
  if (!isOperationId(id)) throw new DeidError('USAGE', 'operation id must look like 20260101T000000Z-0123abcd');
  return path.join(dir, `${id}.json`);
}

export function errorLogFile(dir: string, id: string): string {
  return path.join(dir, `${id}.errors.ndjson`);
}

/** Temp file + rename in the same folder: a reader sees the old record or the new one, never half of one. */
export function saveOperation(dir: string, rec: OperationRecord): void {
  const file = operationFile(dir, rec.id);
  const tmp = path.join(dir, `.${rec.id}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, JSON.stringify(rec, null, 2) + '\n');
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // the folder itself is unusable: nothing was left in it
    }
    const code = (e as { code?: unknown }).code;
    throw new DeidError('WRITE_FAILED', `operation record in ${dir} (${typeof code === 'string' ? code : 'error'})`);
  }
}

export function loadOperation(dir: string, id: string): OperationRecord {
  const file = operationFile(dir, id);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new DeidError('INPUT_NOT_FOUND', `operation ${id} in ${dir}`);
  }
  try {
    const rec = JSON.parse(text) as OperationRecord;
    if (rec.id !== id || typeof rec.stores !== 'object') throw new Error('shape');
    return rec;
  } catch {
    throw new DeidError('READ_FAILED', `${file} is not an operation record`);
  }
}

/**
 * Saves a record at most every `intervalMs` (counters change with every
 * record) and at once when asked (a unit finished, the operation ended).
 */
export class OperationJournal {
  #last = 0;
  constructor(readonly dir: string, readonly rec: OperationRecord, private readonly prepare: () => void, readonly intervalMs = 1000) {}

  tick(now = Date.now()): void {
    if (now - this.#last < this.intervalMs) return;
    this.save(now);
  }

  save(now = Date.now()): void {
    this.prepare();
    this.rec.updateTime = new Date(now).toISOString();
    saveOperation(this.dir, this.rec);
    this.#last = now;
  }
}
