import type { DatePart } from '../detectors/date.js';

const DAY_MS = 86_400_000;

/**
 * A written date's parts moved by `days`. A partial date is shifted at the
 * middle of the period it names (day 15 of a month, 2 July of a year) so it
 * keeps its precision; a year-less date uses a reference year, a leap one
 * when the date is 29 February. Undefined when there is neither year nor month
 * or the day does not exist: callers redact.
 */
export function shiftDateParts(year: number | undefined, month: number | undefined, day: number | undefined, days: number): { year: number; month: number; day: number } | undefined {
  if (month === undefined && year === undefined) return undefined;
  const refYear = year ?? (month === 2 && day === 29 ? 2000 : 2001);
  const m = month ?? 7;
  const d = day ?? (month !== undefined ? 15 : 2);
  const maxDay = new Date(Date.UTC(refYear, m, 0)).getUTCDate();
  if (d < 1 || d > maxDay) return undefined;
  const base = new Date(0);
  base.setUTCFullYear(refYear, m - 1, d);
  const shifted = new Date(base.getTime() + days * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** `s` with each part replaced by its text (parts do not overlap). */
export function applyDateEdits(s: string, edits: { part: DatePart; text: string }[]): string {
  edits.sort((a, b) => b.part.start - a.part.start);
  let out = s;
  for (const e of edits) out = out.slice(0, e.part.start) + e.text + out.slice(e.part.end);
  return out;
}
