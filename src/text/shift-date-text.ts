import { parseDateText, type DatePart } from '../detectors/date.js';
import { shiftCjkDate } from './shift-cjk-date.js';

const DAY_MS = 86_400_000;
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
  if (!hasM && !hasY) return undefined;
  // Year-less dates use a reference year (leap when the date is 29 Feb).
  const refYear = hasY ? p.year! : p.month === 2 && p.day === 29 ? 2000 : 2001;
  const m = hasM ? p.month! : 7;
  const d = hasD ? p.day! : hasM ? 15 : 2;
  const maxDay = new Date(Date.UTC(refYear, m, 0)).getUTCDate();
  if (d < 1 || d > maxDay) return undefined;
  const base = new Date(Date.UTC(2000, 0, 1));
  base.setUTCFullYear(refYear, m - 1, d);
  const shifted = new Date(base.getTime() + days * DAY_MS);
  const ny = shifted.getUTCFullYear();
  const nm = shifted.getUTCMonth() + 1;
  const nd = shifted.getUTCDate();
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
  edits.sort((a, b) => b.part.start - a.part.start);
  let out = s;
  for (const e of edits) out = out.slice(0, e.part.start) + e.text + out.slice(e.part.end);
  return out;
}
