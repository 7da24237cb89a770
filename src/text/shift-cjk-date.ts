import { INITIAL_OF_ERA, eraFirstYear, eraOf, parseCjkDate } from '../detectors/date-cjk.js';
import type { DatePart } from '../detectors/date.js';
import { applyDateEdits, shiftDateParts } from './shift-date-parts.js';

const FULL_WIDTH = /[０-９]/;

/** `n` written like `orig`: full-width digits if it had them, zero-padded to its width if it began with a zero. */
function digitsLike(n: number, orig: string, minWidth = 1): string {
  const padded = orig.length >= 2 && (orig[0] === '0' || orig[0] === '０');
  const t = String(n).padStart(padded ? orig.length : minWidth, '0');
  return FULL_WIDTH.test(orig) ? t.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 48 + 0xff10)) : t;
}

/**
 * Shifts a CJK date (src/detectors/date-cjk.ts) by `days`, keeping its form:
 * the same markers (年月日, 년월일, spaces), digit width (full or half),
 * zero padding and precision; partial dates are shifted at the middle of the
 * period they name, as shiftDateText does. An era date is written in the era
 * the shifted date falls in: the same era while it stays inside it, the
 * neighbouring one when the shift crosses a boundary (平成31年4月20日 + 20 days
 * = 令和元年5月10日), and a Gregorian year when it leaves Meiji 6 behind. 元年
 * stays 元年 when the new year is 1 again, else it becomes digits.
 * Returns undefined when the text is not a readable date: callers redact.
 */
export function shiftCjkDate(s: string, days: number): string | undefined {
  const p = parseCjkDate(s);
  if (!p) return undefined;
  const shifted = shiftDateParts(p.year, p.month, p.day, days);
  if (!shifted) return undefined;
  const { year: ny, month: nm, day: nd } = shifted;
  const edits: { part: DatePart; text: string }[] = [];
  const orig = (part: DatePart) => s.slice(part.start, part.end);
  if (p.yearPart && p.era !== undefined && p.eraPart) {
    const era = eraOf(ny, nm, nd);
    const y = orig(p.yearPart);
    if (era === undefined) {
      edits.push({ part: { start: p.eraPart.start, end: p.yearPart.end }, text: digitsLike(ny, y === '元' ? '1' : y, 4) });
    } else {
      const n = ny - eraFirstYear(era) + 1;
      if (era !== p.era) edits.push({ part: p.eraPart, text: orig(p.eraPart).length === 1 ? INITIAL_OF_ERA[era]! : era });
      edits.push({ part: p.yearPart, text: n === 1 && y === '元' ? '元' : digitsLike(n, y === '元' ? '1' : y) });
    }
  } else if (p.yearPart) {
    edits.push({ part: p.yearPart, text: digitsLike(ny, orig(p.yearPart), 4) });
  }
  if (p.monthPart) edits.push({ part: p.monthPart, text: digitsLike(nm, orig(p.monthPart)) });
  if (p.dayPart) edits.push({ part: p.dayPart, text: digitsLike(nd, orig(p.dayPart)) });
  return applyDateEdits(s, edits);
}
