import fs from 'node:fs';
import type { Failed } from '../core/record.js';
import { errorLogLine } from '../sinks/error-log.js';
import { DeidError } from '../core/errors.js';

/** Bytes buffered before an append. */
const FLUSH_BYTES = 64 * 1024;

/**
 * The error log of an operation: one NDJSON line per failed record with the
 * store and unit it belongs to, appended as the run goes (it must survive a
 * kill). On resume the lines of units that are redone are dropped first, so
 * each failure is logged once.
 */
export class ErrorJournal {
  #pending = '';
  readonly counts: Record<string, number> = {};

  constructor(readonly file: string) {}

  add(store: string, unit: string, f: Failed): void {
    this.counts[f.code] = (this.counts[f.code] ?? 0) + 1;
    this.#pending += JSON.stringify({ store, unit, ...errorLogLine(f) }) + '\n';
    if (this.#pending.length >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    try {
      fs.appendFileSync(this.file, text);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new DeidError('WRITE_FAILED', `error log (${typeof code === 'string' ? code : 'error'})`);
    }
  }

  /** Keeps the lines of the units `keep` accepts (rewritten atomically); returns their counts by code. */
  static prune(file: string, keep: (store: string, unit: string, file: string) => boolean): Record<string, number> {
    const counts: Record<string, number> = {};
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return counts;
    }
    const kept: string[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      let l: { store?: unknown; unit?: unknown; code?: unknown; file?: unknown };
      try {
        l = JSON.parse(line) as typeof l;
      } catch {
        continue; // a line cut by a kill
      }
      if (typeof l.store !== 'string' || typeof l.unit !== 'string' || !keep(l.store, l.unit, typeof l.file === 'string' ? l.file : '')) continue;
      kept.push(line);
      const code = String(l.code);
      counts[code] = (counts[code] ?? 0) + 1;
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, kept.length ? kept.join('\n') + '\n' : '');
    fs.renameSync(tmp, file);
    return counts;
  }
}
