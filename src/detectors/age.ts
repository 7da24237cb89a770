import { patternDetector } from './pattern.js';

const AGE_CONTEXT = /(?:\bage[ds]?|\bage of|\bi am|\bi'm|\bhe is|\bshe is|\bwho is|\bturned|\bturning)\W{0,3}$/i;
/** "pt is 96": the patient's age, not a value ("pt is 96% on RA", "pt is 98.6"). */
const PATIENT_IS = /\b(?:pt|patient) is (?:now )?$/i;
const NOT_AGE_AFTER = /^(?:[%./:,-]?\d|%|\.\d| ?(?:%|percent|degrees?|bpm|kg|lbs?|cm|mm|ml|cc|mg|units?|on|over|\/))/i;

/**
 * AGE: a number with a years-old unit ("92 yo", "92-year-old", "92 y/o") or
 * after an age context word ("age 92", "aged 92"). HIPAA Safe Harbor
 * (45 CFR 164.514(b)(2)(i)(C)) requires only ages over 89 to be removed: those
 * are VERY_LIKELY; younger ages are reported UNLIKELY, below the default
 * threshold (POSSIBLE), so a caller who wants every age lowers minLikelihood.
 */
export const ageDetector = patternDetector({
  name: 'age',
  infoTypes: ['AGE'],
  needsDigits: true,
  re: /(?<![\w.])(\d{1,3})(?<unit>[ -]?(?:years?|yrs?|y)\.?[ -]?(?:old|o\b|\/o)|[ -]?y\.o\.?|[ -]?yo(?:[mf]|wm|wf)?\b|[ -]?y\/o\b)?(?![\w])/gi,
  judge(m, input) {
    const n = Number(m[1]);
    if (n > 125) return undefined;
    if (m.groups!.unit === undefined) {
      const before = input.text.slice(Math.max(0, m.index - 16), m.index);
      if (!AGE_CONTEXT.test(before) && !(PATIENT_IS.test(before) && !NOT_AGE_AFTER.test(input.text.slice(m.index + m[0].length, m.index + m[0].length + 10)))) return undefined;
    }
    return { likelihood: n > 89 ? 'VERY_LIKELY' : 'UNLIKELY', end: m.index + m[1]!.length };
  },
});

const UNITS = 'one|two|three|four|five|six|seven|eight|nine';
const TEENS = 'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';

/**
 * AGE over 89 written in words ("ninety-two years old", "aged one hundred and
 * one", "a nonagenarian"): Safe Harbor's rule does not depend on how the age is
 * written. Only ages it requires removed are found (90 and up), each with a
 * years-old unit or after an age context word, VERY_LIKELY; the words naming
 * such an age group (nonagenarian, centenarian) count as one.
 */
export const spelledAgeDetector = patternDetector({
  name: 'age-words',
  infoTypes: ['AGE'],
  needsDigits: false,
  quick: (text) => /ninety|hundred|nonagenarian|centenarian/i.test(text),
  re: new RegExp(
    String.raw`\b(?:(ninety(?:[- ](?:${UNITS}))?|(?:(?:one|a)[ -])?hundred(?:(?:[ -]and)?[ -](?:${UNITS}|${TEENS}|twenty(?:[- ](?:${UNITS}))?))?)(?<unit>[ -](?:years?|yrs?)[ -]old|[ -]y\/?o\b)?|(?:nonagenarian|centenarian|supercentenarian)s?)\b`,
    'gi',
  ),
  judge(m, input) {
    if (m[1] === undefined) return { likelihood: 'VERY_LIKELY' };
    if (m.groups!.unit === undefined && !AGE_CONTEXT.test(input.text.slice(Math.max(0, m.index - 16), m.index))) return undefined;
    return { likelihood: 'VERY_LIKELY', end: m.index + m[1].length };
  },
});
