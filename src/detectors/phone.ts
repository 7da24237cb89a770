import type { Likelihood } from '../text/types.js';
import { contextBefore } from './context.js';
import { patternDetector } from './pattern.js';
import type { Detector } from './types.js';

const FAX_CONTEXT = /fax\W{0,3}(?:n(?:o|umber)\.?|#)?\W{0,3}$/;
/** A relative or contact person right before a number ("wife 555-1212", "dtr @ 555-1212", "son's cell is …"). */
const KIN = String.raw`(?:wife|husband|spouse|son|daughter|dtr|sister|brother|mother|mom|father|dad|niece|nephew|grandson|granddaughter|friend|family|fiance|partner|neighbor|proxy)(?:'s)?(?: (?:cell|home|work|phone|number|no\.?|#))?(?: (?:at|@|is))?`;
// Context words start a word: "approx 2130" and "lasix @ 0100" end in x, but not in the extension "x".
const PHONE_CONTEXT = new RegExp(
  String.raw`(?<![a-z])(?:phone|ph|tel|telephone|cell|mobile|mob|desk|office|home|work|pager|page|pg|pgr|pgr#|beeper|beep|bpr|call(?:ed)?|contact|number|no\.?|#|ext|x|reach(?:ed)? (?:at|@)|(?:call|reach|contact)(?:ed)? (?:him|her|them|me|us|family|pt|son|daughter|wife|husband) at|(?:#|number|no\.?) is|(?:h|w|c|hm|wk)\s?[:#)]|hm|wk|tele)\W{0,4}$`,
);
/**
 * Weaker phone words, tried only before a number of seven digits or a pager's "4-1234" (each
 * alternative costs on every number of a note): a relative, or whom one calls and "at" ("call RN at").
 */
const KIN_CONTEXT = new RegExp(String.raw`(?<![a-z])(?:${KIN}|(?:call|page|reach)(?:ed)? (?:the )?[a-z]{2,10} (?:at|@))\W{0,4}$`);

/** A phone number, then "or", "and", a comma or a slash: the next number is one too ("555-1212 or 555-1213"). */
const ANOTHER_NUMBER_BEFORE = /\d{3}[ .-]\d{4}(?: \([a-z]{1,6}\))?,? ?(?:or|and|&|\/|,) ?$/;

/** 4-5 digit numbers (pagers, extensions) need one of these right before them; "at 2130" is a time. */
const SHORT_CONTEXT = /(?<![a-z])(?:pager|page|pg|pgr|beeper|beep|bpr|ext|extension|x|phone|tel|cell|p(?=\s?#)|(?:paged?|beeped)(?: (?:at|to))?)(?: (?:number|num|no\.?))?\W{0,3}#?\W{0,2}$/;

/** Calling verbs: a five-digit number after them is an extension. */
const CALL_CONTEXT = /(?<![a-z])(?:call(?:ed)?(?: back)?|contact(?:ed)?|reach(?:ed)?)(?: (?:at|on))?\W{0,3}$/;

/**
 * A paging or calling word, then up to three words (whom: "Dr. Hovak", "covering MD", "RN Lee") and
 * "at", "@", "#", "(" or ":": "page Dr Hovak at 32145", "Contact: Bob 555-1212". Only before
 * numbers shaped like a pager or a phone (five digits, "4-1234", "#" and four digits, seven digits or
 * more), so "called HO at 1400" (a time) stays out; no sentence end between ("dr." is no end).
 */
const DISTANT_CONTEXT = new RegExp(
  String.raw`(?<![a-z])(?:page[ds]?|paging|call(?:ed|ing)?|beep(?:ed)?|contact(?:ed)?(?! precaution| isolation| lens)|reach(?:ed)?|pager|beeper|pgr|phone|tel|tele)(?:[ ,:]{1,2}(?:dr\.|[a-z][a-z'-]{0,14})){1,3}(?: ?(?:at|@|on|#|:|\(|-|,|is))?[ #:(@]{0,3}$`,
);

/**
 * A relative, then up to three words (a name, a comma or a colon between), right before a number of seven digits
 * or more: "daughter Lyn 4105551212", "wife: Ann Kelvard 555-1212". Tried with the other weaker contexts only.
 */
const KIN_DISTANT = /(?<![a-z])(?:wife|husband|spouse|son|daughter|dtr|sister|brother|mother|mom|father|dad|niece|nephew|grandson|granddaughter|friend|fiance|partner|neighbor|proxy|hcp)(?:'s)?(?:[ ,:]{1,2}[a-z][a-z'.-]{0,14}){1,3}[ :,(@-]{0,3}$/;

/** A clinician's title and name right before a pager number: "Dr. Hovak (4-1234)", "SW Mary Fole 4-1234". */
const NAMED_CONTEXT = /(?<![a-z])(?:dr\.?|doctor|rn|np|pa|sw|fellow|resident|intern|attending)\s{1,2}[a-z][a-z'-]+(?:\s[a-z][a-z'-]+)?[ (:,@-]{0,3}$/;

/** A time range in hhmm ("730-1530", "800-1200"): both ends on a quarter hour. */
function quarterHours(a: string, b: string): boolean {
  const ok = (x: string) => Number(x.slice(0, -2)) < 25 && Number(x.slice(-2)) % 15 === 0;
  return ok(a) && ok(b);
}

/**
 * "555-1212": a seven-digit local number without a phone word; a range of
 * amounts ("500-1000 cc", "200-1500", "SVR 954-1183") has round ends, a unit
 * after it, or a high end not far above the low one.
 */
function localNumber(s: string, after: string): boolean {
  const m = /^([2-9]\d{2})-(\d{4})$/.exec(s);
  if (!m || quarterHours(m[1]!, m[2]!) || /^\s?(?:cc|mls?\b|mg|mcg|units?|u\b|g\b|gm|kg|mmhg|%|\/)/i.test(after)) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  // "SVR 954-1183": a low and a high value of one measure.
  return !(a % 10 === 0 && b % 50 === 0) && !(b > a && b < 2.5 * a);
}

/** "200-1500", "500-1000": round ends make a range of amounts, not a phone number. */
function roundPair(s: string): boolean {
  const m = /(\d+)\D+(\d+)$/.exec(s);
  return m !== null && Number(m[1]) % 10 === 0 && Number(m[2]) % 50 === 0;
}

/** Before an "x" glued to 4-5 digits: "call x4417", "reached at x4417". */
const EXT_CONTEXT = /(?<![a-z])(?:pager|page|pg|pgr|beeper|beep|bpr|ext|extension|phone|tel|cell|call|contact|number|reached at|at)\W{0,3}#?\W{0,2}$/;
/** A number a list goes on from ("ext. 1234 or x1235", "555-1212, x4417"): the glued extension after it is another. */
const EXT_LIST_BEFORE = /(?:\d{3}[ .-]\d{4}|(?<![\d.\/:-])(?:\d-\d{4}|\d{4,5})),? ?(?:or|and|&|\/|,) ?$/;

/**
 * Telephone and fax numbers. A number preceded by "fax" is FAX, otherwise
 * PHONE_NUMBER. Alternatives, most specific first:
 *  1. NANP (optional +1), with separators or parentheses, optional extension;
 *  2. international: +CC then 2-5 groups;
 *  3. other grouped digit runs of 7-15 digits (national formats), POSSIBLE;
 *  4. 4-5 digit pager/extension numbers, only after a phone context word.
 */
const numbers = patternDetector({
  name: 'phone',
  infoTypes: ['PHONE_NUMBER', 'FAX'],
  needsDigits: true,
  // A slash joins two full numbers ("410-555-1234/410-555-9876"); elsewhere it makes a date or ratio.
  re: /(?<![\w+.])(?<!(?<!\d-\d{4})\/)(?<!\d-)(?:(?<nanp>(?:\+?1[ .-]?)?(?:\(\d{3}\)[ -]?|\d{3}(?:[ .\/-]?| - ))\d{3}(?:[ .-]?| - )\d{4}(?: ?(?:x|ext\.?|extension) ?\d{1,6})?)|(?<intl>\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,5})|(?<grp>(?:\(\d{1,5}\) ?)?\d{2,5}(?:[ .-]\d{2,5}){1,4})|(?<short>\d-\d{4}|\d{7}|\d{4,5}))(?!\w|\/(?!\d{3}-\d{3}-\d{4})|-\d|\.\d)/g,
  judge(m, input) {
    const g = m.groups!;
    const s = m[0];
    const digits = s.replace(/\D/g, '').length;
    const fax = contextBefore(input.text, m.index, FAX_CONTEXT, 20);
    const ctx =
      fax ||
      contextBefore(input.text, m.index, PHONE_CONTEXT, 20) ||
      ((digits >= 7 || /^\d-\d{4}$/.test(s)) &&
        (contextBefore(input.text, m.index, KIN_CONTEXT, 24) ||
          (!roundPair(s) && (contextBefore(input.text, m.index, ANOTHER_NUMBER_BEFORE, 24) || (digits <= 11 && (contextBefore(input.text, m.index, DISTANT_CONTEXT, 48) || (digits >= 7 && contextBefore(input.text, m.index, KIN_DISTANT, 40))))))));
    let l: Likelihood | undefined;
    if (g.nanp !== undefined) {
      const bare = /^\d+$/.test(s);
      l = bare ? (ctx ? 'LIKELY' : undefined) : 'LIKELY';
      if (l && ctx) l = 'VERY_LIKELY';
    } else if (g.intl !== undefined) {
      if (digits >= 8 && digits <= 15) l = 'LIKELY';
    } else if (g.grp !== undefined) {
      // A shift or time range ("0700-1900") is not a phone number.
      if (/^(?:[01]\d|2[0-4])[0-5]\d-(?:[01]\d|2[0-4])[0-5]\d$/.test(s)) return undefined;
      // Two dash-joined numbers are a range ("900-1000") unless a phone word precedes them.
      if (/^\d+-\d+$/.test(s) && !ctx && digits < 10 && !localNumber(s, input.text.slice(m.index + s.length, m.index + s.length + 8))) return undefined;
      if (digits >= 7 && digits <= 15) l = ctx ? 'LIKELY' : 'POSSIBLE';
      // "beeper 1-2345": a pager number with a dash after its first digits.
      else if (/^\d{1,2}-\d{4}$/.test(s) && contextBefore(input.text, m.index, SHORT_CONTEXT, 16)) l = 'POSSIBLE';
    } else if (contextBefore(input.text, m.index, SHORT_CONTEXT, 16)) {
      l = 'POSSIBLE';
    } else if (s.length === 5 && contextBefore(input.text, m.index, CALL_CONTEXT, 16)) {
      // "call 55512": a five-digit extension after a calling verb (four digits there may be a time).
      l = 'POSSIBLE';
    } else if (s.length >= 6 && ctx) {
      // Seven digits, or a digit, a dash and four ("number 8627713", "call 3-2290"), after any phone word; not "at 2130".
      l = 'POSSIBLE';
    }
    if (
      l === undefined &&
      (((/^\d{5}$/.test(s) || (/^\d{4}$/.test(s) && input.text[m.index - 1] === '#')) && contextBefore(input.text, m.index, DISTANT_CONTEXT, 48)) ||
        ((/^\d{5}$|^\d-\d{4}$/.test(s) || input.text[m.index - 1] === '#') && contextBefore(input.text, m.index, NAMED_CONTEXT, 36)))
    ) {
      l = 'POSSIBLE';
    }
    if (l === undefined) return undefined;
    return { likelihood: l, infoType: fax ? 'FAX' : 'PHONE_NUMBER' };
  },
});

/**
 * "pager x4417", "call x4-1234": an extension glued to its "x", only after a phone word
 * before the "x"; "ext1234": glued to "ext", which needs no other word.
 */
const extensions = patternDetector({
  name: 'phone-extension',
  infoTypes: ['PHONE_NUMBER'],
  needsDigits: true,
  // From the "x" ("ext" is checked back from it): a pattern opening with "e" is tried at every "e" of a note.
  re: /x(t\.?|tension)?( ?)(\d-\d{4}|\d{1,5})(?![\w/]|[.-]\d)/gi,
  quick: (text) => text.includes('x') || text.includes('X'),
  judge(m, input) {
    const text = input.text;
    const ext = m[1] !== undefined;
    const start = ext ? m.index - 1 : m.index;
    if (ext && !/e/i.test(text[start] ?? '')) return undefined;
    const digitsAt = m.index + 1 + (m[1]?.length ?? 0) + m[2]!.length;
    // "555-1212 ext 204", "555-1212 x22": an extension after a seven-digit number; after a ten-digit one the
    // number's own pattern has taken it.
    if (/^\d{1,4}$/.test(m[3]!) && start > 8) {
      const before = text.slice(Math.max(0, start - 11), start);
      if (/(?<![\d)][ .\/-]?)(?<!\d)\d{3}[ .-]\d{4} ?$/.test(before)) return { likelihood: 'POSSIBLE', start: digitsAt };
    }
    // Otherwise glued to its "x" or "ext", four or five digits or "4-1234".
    if (m[2] !== '' || m[1] === 'tension' || /^\d{1,3}$/.test(m[3]!)) return undefined;
    // Not glued to the word or number before (checked here: a lookbehind is tried at every position).
    if (start > 0 && /[\w+.]/.test(text[start - 1]!)) return undefined;
    if (!ext && !contextBefore(text, m.index, EXT_CONTEXT, 16) && !contextBefore(text, m.index, NAMED_CONTEXT, 36) && !contextBefore(text, m.index, EXT_LIST_BEFORE, 20)) return undefined;
    return { likelihood: 'POSSIBLE', start: digitsAt };
  },
});

/** Phone numbers, then extensions written on their own (kept apart: one regex with both forms scans far slower). */
export const phoneDetector: Detector = {
  name: 'phone',
  infoTypes: ['PHONE_NUMBER', 'FAX'],
  needsDigits: true,
  detect(input, out) {
    numbers.detect(input, out);
    extensions.detect(input, out);
  },
};
