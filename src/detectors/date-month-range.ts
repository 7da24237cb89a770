import type { Finding } from '../text/types.js';
import type { ScanInput } from './types.js';

/**
 * "Dec 3-5", "March 10 - 12", "Oct 3 and 4", "Jan 3 to 5": a month name and
 * a day, then the bare day that ends the range or list. The main date
 * pattern takes "Dec 3" only when no "-5" follows it (a dash and a number
 * make a range of amounts there), so this pass finds both days.
 * It scans for the two numbers first, then looks back for the month: a
 * pattern opening with twelve month names is tried at every position.
 */
const DAY_RANGE = /(\d{1,2})(?:st|nd|rd|th)?( ?(?:-|to|thru|through|and|&) ?)(\d{1,2})(?:st|nd|rd|th)?(?![\w/]|[.:,]\d|-\d)/dgi;
const MONTH_BEFORE = /(?<![\w/.'])(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.? {1,2}$/i;

/** What makes the end of "may 3-5" an amount rather than a day. */
const AMOUNT_AFTER = /^\s?(?:%|x\b|times|days?|weeks?|wks?|months?|years?|yrs?|hours?|hrs?|min|mins|minutes|mg|mcg|ml|cc|l\b|units?|tabs?|puffs?|drops?|points?)/i;

export function monthDayRanges(input: ScanInput, out: Finding[]): void {
  const text = input.text;
  DAY_RANGE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DAY_RANGE.exec(text)) !== null) {
    // The day must follow a space, not be the end of a longer number or of "1/2" (checked here: a lookbehind is tried at every position).
    if (m.index === 0 || text.charCodeAt(m.index - 1) !== 32) continue;
    const mb = MONTH_BEFORE.exec(text.slice(Math.max(0, m.index - 12), m.index));
    if (mb === null) continue;
    const mon = mb[1]!;
    // The verb "may" and the word "mar" written in lower case are no months here.
    if (/^(?:may|mar|march)$/i.test(mon) && mon[0] === mon[0]!.toLowerCase()) continue;
    const d = Number(m[1]);
    const e = Number(m[3]);
    if (d < 1 || !(e > d && e <= 31)) continue;
    const end = m.index + m[0].length;
    if (AMOUNT_AFTER.test(text.slice(end, end + 10))) continue;
    const ix = m.indices!;
    const first = { start: m.index - mb[0].length, end: ix[2]![0] };
    if (!out.some((f) => f.start < first.end && first.start < f.end)) out.push({ ...first, infoType: 'DATE', likelihood: 'VERY_LIKELY' });
    out.push({ start: ix[3]![0], end, infoType: 'DATE', likelihood: 'POSSIBLE' });
  }
}
