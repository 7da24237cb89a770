import type { Failed, Location } from '../core/record.js';

interface TypeCounts {
  in: number;
  out: number;
  failed: number;
}

/**
 * Counters of one run, shared by every command (fhir, dicom, text). The
 * invariant `in = out + failed` holds per type and in total, and the report
 * shows it.
 */
export class RunStats {
  readonly started = new Date();
  ended: Date | undefined;
  readonly byType = new Map<string, TypeCounts>();
  readonly errorsByCode = new Map<string, number>();
  actions = new Map<string, number>();

  #t(type: string): TypeCounts {
    let c = this.byType.get(type);
    if (!c) this.byType.set(type, (c = { in: 0, out: 0, failed: 0 }));
    return c;
  }

  ok(type: string, n = 1): void {
    const c = this.#t(type);
    c.in += n;
    c.out += n;
  }

  fail(f: Failed): void {
    const c = this.#t(f.resourceType ?? '(unknown)');
    c.in++;
    c.failed++;
    this.errorsByCode.set(f.code, (this.errorsByCode.get(f.code) ?? 0) + 1);
  }

  /** A record counted as out that a writer then could not write. */
  reclassify(f: Failed): void {
    const c = this.#t(f.resourceType ?? '(unknown)');
    if (c.out > 0) c.out--;
    else c.in++;
    c.failed++;
    this.errorsByCode.set(f.code, (this.errorsByCode.get(f.code) ?? 0) + 1);
  }

  get totals(): TypeCounts {
    const t = { in: 0, out: 0, failed: 0 };
    for (const c of this.byType.values()) {
      t.in += c.in;
      t.out += c.out;
      t.failed += c.failed;
    }
    return t;
  }

  toReport(extra: Record<string, unknown>): Record<string, unknown> {
    const sorted = <V>(m: Map<string, V>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      ...extra,
      startTime: this.started.toISOString(),
      endTime: (this.ended ?? new Date()).toISOString(),
      records: this.totals,
      byType: sorted(this.byType),
      errors: sorted(this.errorsByCode),
      actions: sorted(this.actions),
    };
  }

  summary(command: string): string {
    const t = this.totals;
    const secs = (((this.ended ?? new Date()).getTime() - this.started.getTime()) / 1000).toFixed(1);
    const codes = [...this.errorsByCode].map(([c, n]) => `${c} ${n}`).join(', ');
    return `deid ${command}: ${t.in} in, ${t.out} out, ${t.failed} failed${codes ? ` (${codes})` : ''} in ${secs}s`;
  }
}

export type { Location };
