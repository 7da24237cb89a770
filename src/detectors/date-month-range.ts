import type { Finding } from '../text/types.js';
import type { ScanInput } from './types.js';

/**
 * "Dec 3-5", "March 10 - 12", "Oct 3 and 4", "Jan 3 to 5": a month name and
 * a day, then the bare day that ends the range or list. The main date
 * pattern takes "Dec 3" only when no "-5" follows it (a dash and a number
 * make a range of amounts there), so this pass finds both days. It is tried
 * only where the main pattern found a month name followed by a number
 * (`starts`): a pattern opening with twelve month names, tried at every
 * position of every note, cost more than the rest of the date pass.
 */
const MONTH_DAY_RANGE =
  /(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? {1,2}(\d{1,2})(?:st|nd|rd|th)?( ?(?:-|to|thru|through|and|&) ?)(\d{1,2})(?:st|nd|rd|th)?(?![\w/]|[.:,]\d|-\d)/dyi;

/** After a month name: a day, or a separator and a number (what may make a range). */
export const MAY_RANGE_AFTER = /^\.? {1,2}\d|^ ?(?:-|to|thru|through|and|&) ?\d/i;

/** What makes the end of "may 3-5" an amount rather than a day. */
const AMOUNT_AFTER = /^\s?(?:%|x\b|times|days?|weeks?|wks?|months?|years?|yrs?|hours?|hrs?|min|mins|minutes|mg|mcg|ml|cc|l\b|units?|tabs?|puffs?|drops?|points?)/i;

export function monthDayRanges(input: ScanInput, out: Finding[], starts: readonly number[]): void {
  const text = input.text;
  for (const at of starts) {
    MONTH_DAY_RANGE.lastIndex = at;
    const m = MONTH_DAY_RANGE.exec(text);
    if (m === null) continue;
    const mon = m[1]!;
    // The verb "may" and the word "mar" written in lower case are no months here.
    if (/^(?:may|mar|march)$/i.test(mon) && mon[0] === mon[0]!.toLowerCase()) continue;
    const d = Number(m[2]);
    const e = Number(m[4]);
    if (d < 1 || !(e > d && e <= 31)) continue;
    const end = m.index + m[0].length;
    if (AMOUNT_AFTER.test(text.slice(end, end + 10))) continue;
    const ix = m.indices!;
    const first = { start: m.index, end: ix[3]![0] };
    if (!out.some((f) => f.start < first.end && first.start < f.end)) out.push({ ...first, infoType: 'DATE', likelihood: 'VERY_LIKELY' });
    out.push({ start: ix[4]![0], end, infoType: 'DATE', likelihood: 'POSSIBLE' });
  }
}
