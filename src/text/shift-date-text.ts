import { parseDateText, type DatePart } from '../detectors/date.js';
import { shiftCjkDate } from './shift-cjk-date.js';
import { applyDateEdits, shiftDateParts } from './shift-date-parts.js';

/** Year, month or day markers of CJK dates, Japanese era initials, Korean dotted dates (see src/detectors/date-cjk.ts). */
const CJK_MARK = /[年년月월日일号號]|^[MTSHR][0-9０-９]|^[0-9０-９]{4}\. /;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function styleLike(sample: string, word: string): string {
  if (sample === sample.toUpperCase()) return word.toUpperCase();
  if (sample === sample.toLowerCase()) return word.toLowerCase();
  return word[0]!.toUpperCase() + word.slice(1).toLowerCase();
}

function monthText(original: string, month: number): string {
  const full = MONTHS[month - 1]!;
  const lower = original.toLowerCase();
  let word: string;
  if (MONTHS.includes(lower)) word = full;
  else if (lower === 'sept' && month === 9) word = 'sept';
  else word = full.slice(0, 3);
  return styleLike(original, word);
}

/** Two-digit parts when the original date was written zero-padded, else as short as possible. */
function pad2(padded: boolean, n: number): string {
  return padded ? String(n).padStart(2, '0') : String(n);
}

function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

/**
 * Shifts a date written in free text by `days`, keeping its textual form:
 * separators, order, month names (full/abbreviated, letter case), zero
 * padding, ordinal suffixes, two- or four-digit years, and whatever is not a
 * part (times, words) unchanged. Partial dates are shifted at the middle of
 * the period they name and keep their precision (as src/core/dates.ts does).
 * Returns undefined when the text is not a date we can parse: callers redact.
 */
export function shiftDateText(s: string, days: number): string | undefined {
  if (CJK_MARK.test(s)) return shiftCjkDate(s, days);
  const p = parseDateText(s);
  if (!p) return undefined;
  const hasY = p.year !== undefined;
  const hasM = p.month !== undefined;
  const hasD = p.day !== undefined;
  const shifted = shiftDateParts(p.year, p.month, p.day, days);
  if (!shifted) return undefined;
  const { year: ny, month: nm, day: nd } = shifted;
  const edits: { part: DatePart; text: string }[] = [];
  const numeric = [p.monthName ? undefined : p.monthPart, p.dayPart].filter((x): x is DatePart => x !== undefined).map((x) => s.slice(x.start, x.end));
  const padded = numeric.some((x) => x.length === 2 && x[0] === '0') || (p.yearPart !== undefined && p.yearPart.start === 0 && numeric.length > 0);
  if (p.yearPart && hasY) {
    const w = p.yearWidth ?? 4;
    edits.push({ part: p.yearPart, text: w === 2 ? String(ny % 100).padStart(2, '0') : String(ny).padStart(4, '0') });
  }
  if (p.monthPart && hasM) {
    const orig = s.slice(p.monthPart.start, p.monthPart.end);
    edits.push({ part: p.monthPart, text: p.monthName ? monthText(orig, nm) : pad2(padded, nm) });
  }
  if (p.dayPart && hasD) {
    const orig = s.slice(p.dayPart.start, p.dayPart.end);
    const txt = pad2(padded || (p.monthName === true && orig.length === 2 && orig[0] === '0'), nd);
    if (p.dayOrdinal) {
      const sfx = s.slice(p.dayPart.end, p.dayPart.end + 2);
      edits.push({ part: { start: p.dayPart.end, end: p.dayPart.end + 2 }, text: styleLike(sfx, ordinal(nd)) });
    }
    edits.push({ part: p.dayPart, text: txt });
  }
  return applyDateEdits(s, edits);
}
