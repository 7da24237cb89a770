import type { Likelihood } from '../text/types.js';
import { patternDetector } from './pattern.js';
import type { Finding } from '../text/types.js';
import type { Detector, ScanInput } from './types.js';
import { MAY_RANGE_AFTER, monthDayRanges } from './date-month-range.js';

/** Where the date pattern of the current scan found a month name that a number follows (see monthDayRanges). */
const monthStarts: number[] = [];

/**
 * DATE and DATE_OF_BIRTH in the formats clinical text uses: ISO (2020-07-22,
 * with an optional time), numeric m/d/y, m/d, m/yy and m/yyyy, month names
 * ("Jul 22, 2020", "22nd of July 2020", "July 2020"), apostrophe years ('92),
 * four-digit years in year context, and the fixed-date holidays. The same
 * expression, anchored, parses a finding back into its parts for date
 * shifting (see parseDateText).
 */
const MON = String.raw`jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`;
const ORD = String.raw`(?:st|nd|rd|th)?`;
const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const BODY =
  String.raw`(?<iy>\d{4})(?<isep>[-/.])(?<im>\d{1,2})\k<isep>(?<id>\d{1,2})${TIME}` +
  // YYYYMMDD, as DICOM and HL7 v2 write dates (and people copying them)
  String.raw`|(?<cy>(?:19|20)\d{2})(?<cm>0[1-9]|1[0-2])(?<cd>0[1-9]|[12]\d|3[01])` +
  // "13OCT19": a day, month and year glued together, as military and VA notes write them
  String.raw`|(?<dd>\d{1,2})${ORD}(?: of | |-|(?=[a-z]))(?<mon2>${MON})\.?(?:(?:,? |-|(?<=[a-z]))(?<dy>\d{4}|'?\d{2}))?(?![\w/])` +
  // a two-digit year after a month and day needs the comma ("Dec 30, 99"), and no unit or clock after it ("Dec 30, 10 mg")
  String.raw`|(?<mon1>${MON})\.?(?:(?: {1,2}|(?<=\.)|-(?=\d{2}(?!\d))|(?=\d))(?<md>\d{1,2})${ORD}(?:, ?(?<mys>\d{2})(?![\w/:]|\.\d| ?(?:mg|mcg|ml|cc|units?|am|pm|%|hrs?|mins?|minutes|kg|lbs?|x)\b|,? {1,2}(?:of )?(?:\d{4}|'\d{2})))?)?(?:,? {1,2}(?:of )?(?<my>\d{4}|'\d{2}))?` +
  String.raw`|(?<nm2>\d{1,2})\/(?<ny2>\d{4})` +
  String.raw`|(?<nm>\d{1,2})(?<sep>[/.-])(?<nd>\d{1,2})(?:\k<sep>(?<ny>\d{4}|\d{2}))?` +
  String.raw`|'(?<ay>\d{2})` +
  // not when a month follows ("the 3rd of March"): the day-month form then takes the whole date
  String.raw`|(?:the )(?<od>\d{1,2})(?:st|nd|rd|th)(?! (?:of )?(?:${MON})\b)` +
  String.raw`|(?<bo>\d{1,2})(?:st|nd|rd|th)` +
  String.raw`|(?<yy>(?:19|20)\d{2})(?<dec>(?<=0)'?s)?` +
  String.raw`|(?<sy>\d{2})(?='|\b)` +
  String.raw`|(?<hol>(?:christmas|xmas)(?: eve| day)?|new year'?s(?: eve| day)?|thanksgiving|halloween|valentine'?s day|independence day|easter(?: sunday)?|good friday|passover|hanukkah|chanukah|yom kippur|rosh hashanah|labou?r day|memorial day|veterans'? day|mother'?s day|father'?s day|(?:4th|fourth) of july)`;

// A date may be one end of a range of dates ("11/30-12/1"), not of a range of numbers ("5-10").
const DATE_RE = new RegExp(String.raw`(?<![\w/.'])(?:(?<!\d-)|(?<=\d{1,2}\/\d{1,4}-))(?:${BODY})(?![\w]|\/\d|-(?!\d{1,2}\/\d)\d|\.\d)`, 'gi');
const DATE_ANCHORED = new RegExp(String.raw`^(?:${BODY})$`, 'id');

const DOB_CONTEXT = /(?:\bdob|\bd\.o\.b\.?|date of birth|birth ?date|\bborn(?: on)?|\bb\.)\W{0,4}$/i;
const YEAR_CONTEXT = /(?:\b(?:[a-z]{3,}(?:ectomy|otomy|ostomy|plasty|scopy|graphy)|quit|it is|it's|it was|(?:year|yr) (?:is|was)|in|of|year|yr|since|during|from|until|till|to|and|s\/p|dx|dx'd|diagnosed|born|circa|ca\.?|summer|winter|spring|fall|autumn|early|late|mid|class of)|[,(])\W{0,2}$/i;
const TIME_CONTEXT = /(?:\b(?:at|approx\.?|approximately|around|about|by|until|till|since|from|between|and|to)|[@~])\s{0,2}$/i;
/** Ventilator settings (PSV 10/5), scores (pain 5/10), fractions (1 1/2 hours, rales 1/3 up). */
const NOT_DATE_BEFORE = /\b(?:psv?|peep|c?pap|bi-?pap|vent|settings?|simv|imv|flowby|fio2|support|trial|wean(?:ed)? to|rales|crackles|drop|pain|cp|d5|ivf)\W{0,4}$/i;
/** "1 1/2 hours": a whole number before a fraction-shaped pair. */
const MIXED_FRACTION_BEFORE = /\b\d{1,2} $/;
const NOT_DATE_AFTER = /^\s?(?:%|shift\b|peep|fio2|ps\b|psv|c?pap|bi-?pap|ips\b|hours?|hrs?\b|up\b|way|str\b|tab|tabs|tablet|strength|ns\b|dose|of\b|amp|cup|inch|pain|cp\b)/i;
/** Two-digit years are dates only after a past-history word ("CABG 81", "MI 92", "in 94") or before an apostrophe ("74'"). */
const SHORT_YEAR_BEFORE = /\b(?:cabg|mi|cva|tia|aaa|ptca|avr|mvr|dvt|ppm|aicd|appy|ccy|tah|thr|tkr|orif|repair|dx'd|diagnosed|s\/p|[a-z]{3,}(?:ectomy|otomy|ostomy|plasty))(?: ?x ?\d)?,?(?: in)? $/i;
/** "CVA in 94 and 00", "CABG 81, 95": a two-digit year after another one of a past-history list. */
const YEAR_LIST_BEFORE = /\b(?:cabg|mi|cva|tia|aaa|ptca|avr|mvr|dvt|ppm|aicd|appy|ccy|tah|thr|tkr|orif|repair|dx'd|diagnosed|s\/p),?(?: in)? '?\d{2}(?:, '?\d{2}){0,3}(?:,? (?:and|&) |, ?)$/i;
const STRENGTH_CONTEXT = /\b(?:strength|strong|motor|grip|mae|extremit|ue|le|rue|lue|rle|lle|bue|ble|str|power|push|pull|moves?)\b[^\n]{0,30}$/i;
const UNIT_AFTER = /^\s?(?:cc|ml|mls|mg|mcg|units?|u\b|kcal|cals?|g\b|gm|grams?|mm|cm|kg|lbs?|x\b|hrs?|hours|min|mins|minutes|mmhg|%)/i;
const FULL_MONTH_ALONE = /^(?:january|february|april|june|july|august|september|october|november|december)$/i;

/** "the 4th ventricle", "the 5th digit": an ordinal before a counted thing is not a day. */
const NOT_DAY_AFTER = /^\s?(?:ventricle|nerve|digit|finger|toe|rib|intercostal|lumbar|cervical|thoracic|time|dose|day|week|floor|grade|degree|generation|attempt|try|round)/i;
/** Words before an ordinal day written without "the" ("on 16th", "since 3rd"). */
const BARE_DAY_BEFORE = /\b(?:on|since|until|till|by|dated?|before|after|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)\s$/i;
/** What may follow such a day: the end of the phrase or a word that is no counted thing ("on 16th had HD"; not "on 1st step mattress"). */
const BARE_DAY_AFTER = /^(?:\s*$|[.,;:)]|\s(?:&|-|@|\d|(?:at|and|to|thru|through|in|pt|patient|he|she|had|has|was|is|when|where|after|before|per|of)\b))/i;
const FEET_BEFORE = /\b(?:hob|head of bed|ambulated|walked|amb|elevated|x|distance)\W{0,2}$/i;
const MONTH_WORD_BEFORE = /\b(?:in|since|during|until|till|by|last|next|early|late|mid|of)\s$/i;
/** Pain scores ("c/o 3/10 back pain"), ventilator settings a few words after the mode ("CPAP .4%, 5/18"). */
const PAIN_NEAR = /\b(?:pain|angina|discomfort|pressure|ache|c\/o|scale|rates?|rated)\b|#\s?$/i;
const VENT_BEFORE = /\b(?:c?pap|psv?|peep|bi-?pap|[ie]pap|a\/c|prvc|cmv|ips|simv|ventilation|mask)\b(?:[^a-z\n]|\b(?:of|to|on|at|mode|decreased|increased|changed|over|with|and)\b){0,24}$/i;
/** Words after which a dash-joined pair is a day ("returned to OR on 7-8"), not a range of numbers. */
const DASH_DATE_BEFORE = /\b(?:on|since|dated?|until|till|through|thru|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)\s{1,2}$/i;
/** What makes "on 2-3" an amount: oxygen litres, doses, counts, durations, a plural noun ("on 1-2 pillows"). */
const AMOUNT_AFTER = /^\s?(?:l\b|lpm|lnc|liters?|litres?|nc\b|n\/c|fm\b|face|mask|times|days?|weeks?|wks?|months?|mos?\b|years?|yrs?|minutes|points?|breaths|beats|puffs?|drops?|per\b|\/|\+|x\b|-\d|(?!was\b|has\b|this\b)[a-z]{3,}s\b)/i;
const DATE_WORD_BEFORE = /\b(?:on|since|dated?|until|till|by|through|thru|from|of|at|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?)\W{0,2}$/i;

/** Scores on a fixed scale: the Glasgow coma scale ("GCS 11/15"), murmur grades ("3/6 SEM", "grade 2/6"), pupil sizes ("pupils 4/3"). */
const GCS_BEFORE = /\b(?:gcs|glasgow(?: coma scale)?)\W{0,3}(?:(?:of|is|was|now|score)\W{0,3}){0,2}$/i;
const MURMUR_BEFORE = /\b(?:grade|gr|murmur)\W{0,3}$/i;
const MURMUR_AFTER = /^\s?(?:s\.?e\.?m\b|hsm\b|murmur|(?:holo|pan)?systolic|diastolic)/i;
/** Two measures named together, then their two values ("H/H 10/30", "CO/CI 5/3", "PT/PTT 12/30", "K/Mg 4/2"). */
const LABEL = String.raw`(?:h|hgb|hb|hct|co|ci|pt|ptt|inr|cvp|pad|pas|pap|pcwp|k|mg|na|ca|phos|bun|cr|creat|glu|t|tmax|svr|pvr|sbp|dbp|map|hr|rr|tv|vt|peep|ps|fio2|ipap|epap|i|o|in|out)`;
const LABEL_PAIR_BEFORE = new RegExp(String.raw`\b(?!h\s?/\s?o\b)${LABEL}(?:\s?[/+&]\s?${LABEL}){1,3}\W{0,3}$`, 'i');
/** What is counted in "2/2 bottles", "4/4 extremities". */
const COUNT_OF_AFTER = /^ ?(?:blood )?(?:bottles?|cultures?|sets?|bcx|quadrants?|extremities|limbs?|lobes?|positive|pos\b)/i;
/** "SOB 2/2 CHF": 2/2 written for "secondary to" before a cause. */
const SECONDARY_TO_AFTER = /^ (?:[A-Z]{2,}\b|(?!with\b|at\b|and\b|to\b|by\b|for\b|in\b|on\b|am\b|pm\b|was\b|is\b|were\b|the\b)[a-z]{3,})/;
const PUPILS_BEFORE = /\b(?:pupils?|perrla?)\W{0,3}(?:(?:are|were|equal|=)\W{0,3})?$/i;

/** A month/day pair that the words around it show to be a score, a setting or a fraction. */
function notDatePair(text: string, start: number, end: number, mo: number, d: number): boolean {
  const before = text.slice(Math.max(0, start - 30), start);
  if (d === 15 && GCS_BEFORE.test(before)) return true;
  if (d === 6 && (MURMUR_BEFORE.test(before) || MURMUR_AFTER.test(text.slice(end, end + 14)))) return true;
  if (PUPILS_BEFORE.test(before) || LABEL_PAIR_BEFORE.test(before)) return true;
  // "2/2 bottles", "4/4 extremities", "1/2 cultures positive": a count out of a few.
  if (mo <= d && d <= 4 && COUNT_OF_AFTER.test(text.slice(end, end + 14))) return true;
  if (mo === 2 && d === 2 && !DATE_WORD_BEFORE.test(before) && SECONDARY_TO_AFTER.test(text.slice(end, end + 14))) return true;
  if (d === 10 && PAIN_NEAR.test(before + ' ' + text.slice(end, end + 30))) return true;
  if (VENT_BEFORE.test(before)) return true;
  // 1/2, 1/3, 2/3, 1/4, 3/4 are fractions unless a date word introduces them ("on 1/2"), a date ends
  // their range ("2/3 - 6/25", "3/4 thru 3/9"), a clock time follows ("4/5 AM", "3/4@1400") or comes first ("at 0330 2/3").
  if (!(mo < d && d <= 4) || DATE_WORD_BEFORE.test(before) || EVENT_BEFORE.test(before)) return false;
  if (endsRangeFromDate(text, start, before)) return false;
  const r = DATE_RANGE_AFTER.exec(text.slice(end, end + 10));
  // The range's other end must not be shaped like a fraction itself ("up 1/3-1/2").
  const dateEnd = r !== null && (r[1] === undefined || !(Number(r[1]) < Number(r[2]) && Number(r[2]) <= 4));
  // "1/3: pt stable": a pair opening a line as its heading.
  const heading = /(?:^|\n)[ \t]*$/.test(before) && text.charCodeAt(end) === 58;
  return !(dateEnd || heading || TIME_BEFORE.test(before) || NOTE_BEFORE.test(before) || SHIFT_AFTER.test(text.slice(end, end + 16)));
}

/**
 * Events a date is written after ("admitted 1/3", "extubated 2/3", "LBM 1/4", "cultures 3/4 neg"): a fraction-shaped
 * pair after one is a date; the words after it still make it an amount ("started 1/2 NS", "cx 2/4 bottles").
 */
const EVENT_BEFORE = /\b(?:admit(?:ted)?|adm|transferred|transfered|placed|inserted|removed|d\/c'?d|dc'?d|discontinued|extubated|intubated|reintubat(?:ed|ion)|cathed|echo|cxr|tee|tte|mri|ekg|bx|biopsy|lbm|bm|hd|dialysis|cultures?|drawn|last|done|seen|expired|fell|arrived|presented|returned)\W{0,3}$/i;
/** A month/day pair (a year may follow) and a range word just before another pair: "12/30-1/2", "1/30 thru 2/3". */
const RANGE_START_BEFORE = /(?<![\d/.])(\d{1,2})\/(\d{1,2})(?:\/(?:\d{2}|\d{4}))? ?(?:-|thru|through|to|until|till) ?$/i;

/**
 * A fraction-shaped pair that ends a range whose first end is a date is a
 * date too ("seen 12/30-1/2", "on 2/3-2/4"); "up 1/3-1/2" stays a fraction,
 * its first end being one.
 */
function endsRangeFromDate(text: string, start: number, before: string): boolean {
  const r = RANGE_START_BEFORE.exec(before);
  if (r === null) return false;
  const m1 = Number(r[1]);
  const d1 = Number(r[2]);
  const from = start - before.length + r.index;
  return validDay(m1, d1) && !notDatePair(text, from, from + r[1]!.length + 1 + r[2]!.length, m1, d1);
}

const DATE_RANGE_AFTER = /^ ?(?:-|thru|through|to|until|till) ?(\d{1,2})\/(\d{1,2})(?![\d/])|^ ?(?:am|pm)\b|^ ?@ ?\d{1,2}:?\d{2}\b/i;
const TIME_BEFORE = /\bat (?:[01]\d|2[0-3])[0-5]\d {1,2}$/;
/** The heading of a note before its date ("Nursing note 3/4", "NPN 1/2:", "Progress Note - 3/4"). */
const NOTE_BEFORE = /\b(?:note|npn|addendum)\W{0,3}$/i;
/** The shift a note covers, after its date ("3/4 7p-7a", "1/2 1900-0700", "3/4 7a->7p"). */
const SHIFT_AFTER = /^,? ?\(?(?:1?\d ?[ap]m?|[01]\d[0-5]\d|2[0-3][0-5]\d) ?-{1,2}>? ?(?:1?\d ?[ap]m?|[01]\d[0-5]\d|2[0-3][0-5]\d)\b/i;

function validDay(m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

const ORDINAL_WORDS = String.raw`(?:twenty-|thirty-)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth`;
const ORDINAL_VALUE: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13,
  fourteenth: 14, fifteenth: 15, sixteenth: 16, seventeenth: 17, eighteenth: 18, nineteenth: 19, twentieth: 20, thirtieth: 30,
};

function ordinalDay(word: string): number {
  const w = word.toLowerCase();
  const tens = w.startsWith('twenty-') ? 20 : w.startsWith('thirty-') ? 30 : 0;
  return tens + (ORDINAL_VALUE[tens ? w.slice(7) : w] ?? 0);
}

/** A day in words after its month ("Oct. thirteenth", "May the first") or before it ("the first of May"). */
const ORDINAL_AFTER_MONTH = new RegExp(String.raw`^\.? (?:the )?(${ORDINAL_WORDS})\b`, 'i');
const ORDINAL_BEFORE_MONTH = new RegExp(String.raw`\b(${ORDINAL_WORDS}) of $`, 'i');

const dates = patternDetector({
  name: 'date',
  infoTypes: ['DATE', 'DATE_OF_BIRTH'],
  needsDigits: false,
  re: DATE_RE,
  judge(m, input) {
    const g = m.groups!;
    const text = input.text;
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 12);
    let l: Likelihood | undefined;
    if (g.iy !== undefined) {
      if (validDay(Number(g.im), Number(g.id))) l = 'VERY_LIKELY';
    } else if (g.cy !== undefined) {
      // eight digits that read as a valid date; an MRN or order number of that shape is PHI as well
      if (validDay(Number(g.cm), Number(g.cd))) l = 'LIKELY';
    } else if (g.mon2 !== undefined) {
      // glued ("13OCT19") only with the month not in lower case: "2dec" may be a decrease
      const rest = m[0].slice(g.dd!.length);
      const glued = rest.startsWith(g.mon2) || (/^(?:st|nd|rd|th)/i.test(rest) && rest.startsWith(g.mon2, 2));
      if (glued && (g.mon2 === g.mon2.toLowerCase() || !validDay(MONTH_INDEX[g.mon2.slice(0, 3).toLowerCase()]!, Number(g.dd)))) return undefined;
      if (Number(g.dd) >= 1 && Number(g.dd) <= 31) l = 'VERY_LIKELY';
    } else if (g.mon1 !== undefined) {
      const mon = g.mon1;
      if (MAY_RANGE_AFTER.test(after)) monthStarts.push(m.index);
      if (g.md !== undefined && /^\d/.test(m[0].slice(mon.length))) {
        // "Oct13" glued: not in lower case ("dec10" may be a decrease), nor before a unit ("DEC10 CC/HR")
        if (mon === mon.toLowerCase() || UNIT_AFTER.test(after)) return undefined;
      }
      if (g.md === undefined && g.my === undefined) {
        const w = ORDINAL_AFTER_MONTH.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 30));
        const b = w ? undefined : ORDINAL_BEFORE_MONTH.exec(before);
        const word = w?.[1] ?? b?.[1];
        // "may" in lower case is the verb ("may first call", "the first of may be")
        if (word !== undefined && mon !== 'may' && validDay(MONTH_INDEX[mon.slice(0, 3).toLowerCase()]!, ordinalDay(word))) {
          return w ? { likelihood: 'POSSIBLE', end: m.index + m[0].length + w[0].length } : { likelihood: 'LIKELY', start: m.index - b![0].length };
        }
      }
      if (g.md !== undefined || g.my !== undefined) {
        if (g.md !== undefined && (Number(g.md) < 1 || Number(g.md) > 31)) return undefined;
        // "may 5" as in "may 5 times" is rare; a lower-case "may"/"mar" with only a day needs a year or an ordinal ("march 10th").
        if (/^(?:may|mar|march)$/i.test(mon) && g.my === undefined && g.mys === undefined && mon[0] === mon[0]!.toLowerCase() && (!/(?:st|nd|rd|th)$/i.test(m[0]) || NOT_DAY_AFTER.test(after))) return undefined;
        l = 'VERY_LIKELY';
      } else if (FULL_MONTH_ALONE.test(mon) && mon[0] === mon[0]!.toUpperCase() && !input.shouting) {
        l = 'POSSIBLE';
      } else if (mon.length >= 3 && (!/^(?:may|mar|march)$/i.test(mon) || (mon[0] === mon[0]!.toUpperCase() && mon[1] === mon[1]!.toLowerCase())) && MONTH_WORD_BEFORE.test(before)) {
        // "in sept.", "since Oct", "early March": a month alone after a time preposition (May and March written as names).
        l = 'POSSIBLE';
      } else {
        return undefined;
      }
    } else if (g.nm2 !== undefined) {
      const mo = Number(g.nm2);
      const y = Number(g.ny2);
      if (mo >= 1 && mo <= 12 && y >= 1900 && y <= 2099) l = 'LIKELY';
    } else if (g.nm !== undefined) {
      const mo = Number(g.nm);
      const d = Number(g.nd);
      if (g.ny !== undefined) {
        if (g.ny.length === 2 && (NOT_DATE_AFTER.test(after) || NOT_DATE_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index)))) return undefined;
        if (validDay(mo, d)) l = 'VERY_LIKELY';
        else if (validDay(d, mo)) l = 'LIKELY'; // d/m/y
      } else if (g.sep === '-') {
        // "on 7-8": a dash-joined month and day only after a word that introduces a date, or with
        // a leading zero ("CXR 02-09"), which ranges of amounts do not have.
        const zero = (g.nm.length === 2 && g.nm[0] === '0') || (g.nd.length === 2 && g.nd[0] === '0');
        if (!validDay(mo, d) || !(zero || DASH_DATE_BEFORE.test(before))) return undefined;
        if (UNIT_AFTER.test(after) || NOT_DATE_AFTER.test(after) || AMOUNT_AFTER.test(after)) return undefined;
        if (VENT_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) return undefined;
        l = 'POSSIBLE';
      } else if (g.sep === '.') {
        // "seen on 10.13": a dotted month and day only after a word that introduces a date and at
        // the end of the phrase; "on 1.5 L", "on 2.5 of neo", "weaned on 1.25" are amounts (rates and
        // doses come in halves and quarters).
        if (!validDay(mo, d) || !DASH_DATE_BEFORE.test(before) || !(BARE_DAY_AFTER.test(after) || /^\s(?:for|with|by)\b/i.test(after))) return undefined;
        if (/^(?:5|25|50|75)$/.test(g.nd)) return undefined;
        if (/^\s(?:\d|-)/.test(after) || VENT_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index))) return undefined;
        l = 'POSSIBLE';
      } else if (g.sep === '/') {
        if (mo < 1 || mo > 12) return undefined;
        if (d >= 1 && d <= 31 && validDay(mo, d) && ((g.nm.length === 2 && g.nm[0] === '0') || (g.nd.length === 2 && g.nd[0] === '0'))) {
          // "01/2", "05/05", "3/04": a leading zero is written only in dates, never in fractions, scores or settings.
          l = 'LIKELY';
        } else if (d >= 1 && d <= 31) {
          // 1/2, 2/3 … followed by a dose word are fractions.
          if (NOT_DATE_AFTER.test(after) || NOT_DATE_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index))) return undefined;
          if (mo < d && d <= 8 && MIXED_FRACTION_BEFORE.test(text.slice(Math.max(0, m.index - 4), m.index))) return undefined;
          // Motor strength "5/5", "4/5 strength".
          if (d === 5 && mo <= 5 && STRENGTH_CONTEXT.test(text.slice(Math.max(0, m.index - 40), m.index))) return undefined;
          if (notDatePair(text, m.index, m.index + m[0].length, mo, d)) return undefined;
          // "2/31", "4/31": a day the month lacks is still a date as written (a slip, or a surrogate); shifting redacts it.
          l = validDay(mo, d) ? 'LIKELY' : 'POSSIBLE';
        } else if (g.nd.length === 2 && d > 31 && !NOT_DATE_AFTER.test(after) && !NOT_DATE_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index))) {
          l = 'LIKELY'; // m/yy
        }
      }
    } else if (g.ay !== undefined) {
      l = 'POSSIBLE';
    } else if (g.yy !== undefined) {
      const y = Number(g.yy);
      if (UNIT_AFTER.test(after)) return undefined;
      const minute = y % 100;
      const timeLike = minute < 60 && y < 2400;
      // "1980s" is a decade, "CVA 2004" a year of past history; otherwise 2004 may be a time.
      if (timeLike && g.dec === undefined && !SHORT_YEAR_BEFORE.test(before)) {
        if (TIME_CONTEXT.test(before) || !YEAR_CONTEXT.test(before)) return undefined;
        l = 'POSSIBLE';
      } else {
        l = y <= 2030 ? 'LIKELY' : undefined;
      }
    } else if (g.od !== undefined) {
      const d = Number(g.od);
      if (d < 1 || d > 31 || NOT_DAY_AFTER.test(after)) return undefined;
      l = 'POSSIBLE';
      return { likelihood: l, infoType: 'DATE', start: m.index + 4 };
    } else if (g.bo !== undefined) {
      // "on 16th", "since 3rd": an ordinal day after a word that introduces a date; not "on 2nd attempt", "by 3rd day".
      const d = Number(g.bo);
      if (d < 1 || d > 31 || !BARE_DAY_BEFORE.test(before) || !BARE_DAY_AFTER.test(after) || NOT_DAY_AFTER.test(after)) return undefined;
      l = 'POSSIBLE';
    } else if (g.sy !== undefined) {
      const apostrophe = text[m.index + 2] === "'" && !/^'s/i.test(text.slice(m.index + 2, m.index + 4));
      // "HOB 30'", "ambulated 30'": feet and degrees, not '30.
      if (!((apostrophe && !FEET_BEFORE.test(before)) || SHORT_YEAR_BEFORE.test(before) || YEAR_LIST_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) || UNIT_AFTER.test(after) || /^\s?(?:\/|\.\d|x\b|times|days?|weeks?|months?|years?|yrs?|y\/?o|mins?|minutes|sec|%)/i.test(after)) return undefined;
      l = 'POSSIBLE';
    } else if (g.hol !== undefined) {
      l = 'POSSIBLE';
    }
    if (l === undefined) return undefined;
    return { likelihood: l, infoType: DOB_CONTEXT.test(before) ? 'DATE_OF_BIRTH' : 'DATE' };
  },
});

/** A date word glued to the month/day after it ("on3/4", "since12/1"). */
const GLUED_DATE_WORD = /(?<![a-z])(?:on|since|from|until|till|thru|dated?)$/i;

/**
 * "labs on10/14/82": a full m/d/y glued to the word before it, or a month/day
 * glued to a date word ("seen on3/4") (its own pass: a lookbehind alternative slows the main one).
 */
const gluedDates = patternDetector({
  name: 'date-glued',
  infoTypes: ['DATE'],
  needsDigits: true,
  re: /[a-z](\d{1,2})\/(\d{1,2})(?:\/(\d{2}(?:\d{2})?))?(?![\d/]|\.\d)/gi,
  judge(m, input) {
    const text = input.text;
    const end = m.index + m[0].length;
    if (m[3] === undefined && !GLUED_DATE_WORD.test(text.slice(Math.max(0, m.index - 5), m.index + 1))) return undefined;
    // "AC 500x12/5/40%": a ventilator setting glued to its rate, not a date.
    if (!validDay(Number(m[1]), Number(m[2])) || /\dx$/i.test(text.slice(Math.max(0, m.index - 1), m.index + 1))) return undefined;
    if (NOT_DATE_AFTER.test(text.slice(end, end + 12)) || VENT_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index + 1))) return undefined;
    return { likelihood: 'VERY_LIKELY', start: m.index + 1 };
  },
});

/** "10/03/10/04": two month/day dates joined by a slash, the second a few days after the first. */
const SLASH_PAIR = /(\d{1,2})\/(\d{1,2})\/(\d{1,2})\/(\d{1,2})(?![\w/]|\.\d)/g;

function slashPairs(input: ScanInput, out: Finding[]): void {
  const text = input.text;
  SLASH_PAIR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SLASH_PAIR.exec(text)) !== null) {
    // Not the end of a longer number, a decimal or another pair (checked here: a lookbehind is tried at every position).
    if (m.index > 0 && /[\w/.-]/.test(text[m.index - 1]!)) continue;
    const [mo1, d1, mo2, d2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    if (!validDay(mo1, d1) || !validDay(mo2, d2)) continue;
    const days = (mo2 - mo1) * 31 + d2 - d1;
    if (days <= 0 || days > 31) continue;
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    const end = m.index + m[0].length;
    if (NOT_DATE_BEFORE.test(before) || VENT_BEFORE.test(before) || UNIT_AFTER.test(text.slice(end, end + 12))) continue;
    const mid = m.index + m[1]!.length + 1 + m[2]!.length;
    out.push({ start: m.index, end: mid, infoType: 'DATE', likelihood: 'POSSIBLE' });
    out.push({ start: mid + 1, end, infoType: 'DATE', likelihood: 'POSSIBLE' });
  }
}

/** "11/3-5", "10/16 & 17", "10/16 thru 18": a month/day pair and the bare day that ends its range or list. */
const RANGE_DAY = /(?<![\w/.-])(\d{1,2})\/(\d{1,2})(?:-| ?& ?| and | thru | through )(\d{1,2})(?![\w/-]|\.\d|\/)/g;

function rangeDays(input: ScanInput, out: Finding[]): void {
  const text = input.text;
  RANGE_DAY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RANGE_DAY.exec(text)) !== null) {
    const mo = Number(m[1]);
    const d = Number(m[2]);
    const e = Number(m[3]);
    if (!validDay(mo, d) || !(e > d && validDay(mo, e))) continue;
    const end = m.index + m[0].length;
    const after = text.slice(end, end + 12);
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    if (UNIT_AFTER.test(after) || NOT_DATE_AFTER.test(after) || AMOUNT_AFTER.test(after) || NOT_DATE_BEFORE.test(before)) continue;
    const dayStart = m.index + m[1]!.length + 1 + m[2]!.length;
    if (notDatePair(text, m.index, dayStart, mo, d)) continue;
    out.push({ start: m.index, end: dayStart, infoType: 'DATE', likelihood: 'LIKELY' });
    out.push({ start: end - m[3]!.length, end, infoType: 'DATE', likelihood: 'POSSIBLE' });
  }
}

/** A fraction-shaped pair: 1/2, 1/3, 1/4, 2/3, 2/4, 3/4. */
const FRACTION_PAIR = /(?<![\w/.'-])([123])\/([234])(?![\w/]|\.\d|-\d)/g;
const NUMERIC_MONTH = /^(\d{1,2})[/-]\d/;

/**
 * "3/4" in a note that dates other events in March ("3/5", "3/12") is the
 * 4th of March, not three quarters: a fraction-shaped pair whose month is
 * the month of another month/day date of the same text, when nothing
 * around it makes it an amount, a setting or a score.
 */
function sameMonthPairs(input: ScanInput, out: Finding[], from: number): void {
  const text = input.text;
  let months = 0;
  for (let k = from; k < out.length; k++) {
    const f = out[k]!;
    if (f.likelihood === 'POSSIBLE') continue;
    const m = NUMERIC_MONTH.exec(text.slice(f.start, f.start + 4));
    if (m) {
      const mo = Number(m[1]);
      if (mo >= 1 && mo <= 3) months |= 1 << mo;
    }
  }
  if (months === 0) return;
  FRACTION_PAIR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = FRACTION_PAIR.exec(text)) !== null) {
    const mo = Number(m[1]);
    const d = Number(m[2]);
    if (!(months & (1 << mo)) || mo >= d) continue;
    const start = m.index;
    const end = start + m[0].length;
    if (out.some((f) => f.start < end && f.end > start)) continue;
    const before = text.slice(Math.max(0, start - 30), start);
    const after = text.slice(end, end + 12);
    if (NOT_DATE_AFTER.test(after) || UNIT_AFTER.test(after) || AMOUNT_AFTER.test(after) || NOT_DATE_BEFORE.test(before)) continue;
    if (MIXED_FRACTION_BEFORE.test(text.slice(Math.max(0, start - 4), start)) || VENT_BEFORE.test(before) || /\b(?:rate|strength|str|full|way|of)\s$/i.test(before)) continue;
    out.push({ start, end, infoType: 'DATE', likelihood: 'POSSIBLE' });
  }
}

export const dateDetector: Detector = {
  name: 'date',
  infoTypes: ['DATE', 'DATE_OF_BIRTH'],
  needsDigits: false,
  detect(input, out) {
    const from = out.length;
    monthStarts.length = 0;
    dates.detect(input, out);
    if (monthStarts.length > 0) monthDayRanges(input, out, monthStarts);
    if (input.hasDigits && input.text.includes('/')) {
      gluedDates.detect(input, out);
      rangeDays(input, out);
      slashPairs(input, out);
      if (out.length > from) sameMonthPairs(input, out, from);
    }
  },
};

export interface DatePart {
  start: number;
  end: number;
}

/** A date found in text, with where each of its parts sits in the text. */
export interface ParsedDate {
  year?: number;
  /** Digits the year was written with (2 or 4). */
  yearWidth?: number;
  month?: number;
  day?: number;
  yearPart?: DatePart;
  monthPart?: DatePart;
  dayPart?: DatePart;
  /** True when the month is written as a name. */
  monthName?: boolean;
  /** The day carried an ordinal suffix (1st, 2nd…). */
  dayOrdinal?: boolean;
}

const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

function part(indices: RegExpIndicesArray['groups'], name: string): DatePart | undefined {
  const r = indices?.[name];
  return r ? { start: r[0], end: r[1] } : undefined;
}

function fullYear(s: string): { year: number; width: number } {
  const digits = s.replace("'", '');
  if (digits.length === 4) return { year: Number(digits), width: 4 };
  const n = Number(digits);
  // Two-digit years: 00-30 read as 2000s, the rest as 1900s.
  return { year: n <= 30 ? 2000 + n : 1900 + n, width: 2 };
}

/** Parses the exact text of a DATE finding; undefined when it is not one date (holidays, times…). */
export function parseDateText(s: string): ParsedDate | undefined {
  const m = DATE_ANCHORED.exec(s);
  if (!m || !m.groups || !m.indices) return undefined;
  const g = m.groups;
  const ix = m.indices.groups;
  const p: ParsedDate = {};
  const setYear = (name: string) => {
    const v = g[name];
    if (v === undefined) return;
    const y = fullYear(v);
    p.year = y.year;
    p.yearWidth = y.width;
    const r = part(ix, name)!;
    p.yearPart = v.startsWith("'") ? { start: r.start + 1, end: r.end } : r;
  };
  const setMonthName = (name: string) => {
    p.month = MONTH_INDEX[g[name]!.slice(0, 3).toLowerCase()];
    p.monthPart = part(ix, name);
    p.monthName = true;
  };
  const setNum = (name: string, key: 'month' | 'day') => {
    const v = g[name];
    if (v === undefined) return;
    p[key] = Number(v);
    if (key === 'month') p.monthPart = part(ix, name);
    else p.dayPart = part(ix, name);
  };
  if (g.iy !== undefined) {
    setYear('iy');
    setNum('im', 'month');
    setNum('id', 'day');
  } else if (g.cy !== undefined) {
    setYear('cy');
    setNum('cm', 'month');
    setNum('cd', 'day');
  } else if (g.mon2 !== undefined) {
    setNum('dd', 'day');
    setMonthName('mon2');
    setYear('dy');
  } else if (g.mon1 !== undefined) {
    setMonthName('mon1');
    setNum('md', 'day');
    setYear('my');
    setYear('mys');
  } else if (g.nm2 !== undefined) {
    setNum('nm2', 'month');
    setYear('ny2');
  } else if (g.nm !== undefined) {
    setNum('nm', 'month');
    if (g.ny === undefined && Number(g.nd) > 31) setYear('nd');
    else setNum('nd', 'day');
    setYear('ny');
    if (p.day !== undefined && p.month! > 12 && p.day <= 12) {
      // d/m/y: swap the parts.
      [p.month, p.day] = [p.day, p.month];
      [p.monthPart, p.dayPart] = [p.dayPart, p.monthPart];
    }
  } else if (g.ay !== undefined) {
    setYear('ay');
  } else if (g.yy !== undefined) {
    setYear('yy');
  } else {
    return undefined;
  }
  if (p.dayPart && p.day !== undefined) p.dayOrdinal = /^\d+(?:st|nd|rd|th)/i.test(s.slice(p.dayPart.start));
  if (p.month !== undefined && (p.month < 1 || p.month > 12)) return undefined;
  return p;
}
