import fs from 'node:fs';
import { DeidError } from '../core/errors.js';
import type { OperationRecord } from './operation-record.js';

/** `--resources Type/id,…` and `--resources-file F` (one per line, # comments) together. */
export function resourceList(list: string | undefined, file: string | undefined): string[] | undefined {
  const out: string[] = [];
  if (list) out.push(...list.split(',').map((s) => s.trim()).filter(Boolean));
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new DeidError('INPUT_NOT_FOUND', file, { file });
    }
    for (const line of text.split(/\r?\n/)) {
      const l = line.trim();
      if (l && !l.startsWith('#')) out.push(l);
    }
  }
  return list || file ? [...new Set(out)] : undefined;
}

/** An RFC 3339 instant (date-only means its midnight UTC). */
export function parseInstant(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim())) {
    throw new DeidError('USAGE', '--skip-modified-after must be an instant such as 2024-01-31T00:00:00Z');
  }
  const d = new Date(v.trim());
  if (Number.isNaN(d.getTime())) throw new DeidError('USAGE', '--skip-modified-after is not a valid instant');
  return d;
}

/** The one-line summary on stderr. */
export function operationSummary(command: string, rec: OperationRecord): string {
  const c = rec.counters;
  const secs = ((Date.parse(rec.endTime ?? rec.updateTime) - Date.parse(rec.startTime)) / 1000).toFixed(1);
  const codes = Object.entries(rec.errors).map(([k, n]) => `${k} ${n}`).join(', ');
  let dup = 0;
  for (const st of Object.values(rec.stores)) for (const n of Object.values(st.duplicates ?? {})) dup += n;
  const dups = dup ? ` (${dup} of them read again under the same id, kept once)` : '';
  return `deid ${command}: operation ${rec.id} ${rec.status}: ${c.success} stored${dups}, ${c.failure} failed${codes ? ` (${codes})` : ''}${c.pending ? `, ${c.pending} pending` : ''} in ${secs}s`;
}
