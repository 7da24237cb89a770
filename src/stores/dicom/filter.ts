import { DicomStoreError } from './codes.js';
import type { InstanceRef } from './types.js';
import { isValidUid } from './uid.js';

/**
 * One filter line: a study, a series of it, or one instance. Same form as
 * the lines of Google's DicomFilterConfig.resourcePathsGcsUri file:
 * `/studies/{uid}`, `/studies/{uid}/series/{uid}`,
 * `/studies/{uid}/series/{uid}/instances/{uid}`.
 */
export interface FilterEntry {
  study: string;
  series?: string;
  instance?: string;
}

const LINE = /^\/studies\/([^/]+)(?:\/series\/([^/]+)(?:\/instances\/([^/]+))?)?$/;

/** One trimmed, non-blank filter line → its entry; undefined when it is not one of the three forms with valid UIDs. */
export function parseFilterLine(line: string): FilterEntry | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const uids = [m[1], m[2], m[3]].filter((u): u is string => u !== undefined);
  if (!uids.every(isValidUid)) return undefined;
  const e: FilterEntry = { study: m[1]! };
  if (m[2] !== undefined) e.series = m[2];
  if (m[3] !== undefined) e.instance = m[3];
  return e;
}

/**
 * Filter lines → entries. Blank lines are ignored; a bad line is refused
 * with its 1-based number (never its text). Entries covered by a broader one
 * and repeats are dropped, so listing the entries never yields an instance
 * twice. Order of first appearance is kept.
 */
export function parseDicomFilter(lines: readonly string[]): FilterEntry[] {
  const parsed: FilterEntry[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const e = parseFilterLine(line);
    if (!e) throw new DicomStoreError('STORE_FILTER_INVALID', `line ${i + 1}`);
    parsed.push(e);
  });
  const studies = new Set(parsed.filter((e) => e.series === undefined).map((e) => e.study));
  const series = new Set(parsed.filter((e) => e.series !== undefined && e.instance === undefined).map((e) => `${e.study}/${e.series}`));
  const seen = new Set<string>();
  return parsed.filter((e) => {
    const key = [e.study, e.series, e.instance].filter(Boolean).join('/');
    if (seen.has(key)) return false;
    seen.add(key);
    if (e.series !== undefined && studies.has(e.study)) return false;
    if (e.instance !== undefined && series.has(`${e.study}/${e.series}`)) return false;
    return true;
  });
}

/**
 * For stores that walk everything: the filter line an instance falls under
 * (undefined when none does), so unmatched lines can be reported at the end.
 */
export function filterMatcher(entries: readonly FilterEntry[]): (r: InstanceRef) => string | undefined {
  const lines = new Map<string, string>();
  for (const e of entries) lines.set([e.study, e.series, e.instance].filter(Boolean).join('/'), filterLine(e));
  return (r) =>
    lines.get(r.study) ?? lines.get(`${r.study}/${r.series}`) ?? lines.get(`${r.study}/${r.series}/${r.instance}`);
}

export function filterLine(e: FilterEntry): string {
  let s = `/studies/${e.study}`;
  if (e.series !== undefined) s += `/series/${e.series}`;
  if (e.instance !== undefined) s += `/instances/${e.instance}`;
  return s;
}
