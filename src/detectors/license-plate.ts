import { patternDetector } from './pattern.js';

/**
 * Vehicle license plates, which Safe Harbor names with vehicle identifiers
 * (45 CFR 164.514(b)(2)(i)(L)), reported as VEHICLE_IDENTIFICATION_NUMBER
 * (Google has no plate infoType). Plates have no common shape, so only a
 * plate named as one counts: "license plate 7ABC123", "plate #: ABC-1234",
 * "tag number XYZ 987". The plate is written in capitals and digits (a
 * lower-case word after the cue is prose: "license plate was not seen").
 */
export const licensePlateDetector = patternDetector({
  name: 'license-plate',
  infoTypes: ['VEHICLE_IDENTIFICATION_NUMBER'],
  needsDigits: false,
  quick: (text) => /plate|tag\s*(?:n|#)/i.test(text),
  // Bounded gaps: consecutive unbounded \s* would try every split of a long run of spaces (quadratic).
  re: /\b(?:(?:licen[cs]e|number|registration|reg\.?)[ \t]{1,3}plate|plate|tag)(?:[ \t]{0,3}(?:number|no\.?|#))?(?:[ \t]{1,3}(?:is|was|reads|read|of))?[ \t]{0,3}[:=#-]?[ \t]{0,3}([A-Z0-9]{1,4}[ -][A-Z0-9]{1,4}|[A-Z0-9]{2,8})\b/gi,
  judge(m) {
    const plate = m[1]!;
    const cue = m[0].slice(0, m[0].length - plate.length).toLowerCase();
    // "plate" and "tag" alone are too common ("plate 2 of the blood culture", "tag removed"): only with a number word.
    if (!/licen[cs]e|number|registration|reg\b|reg\.|no\b|no\.|#/.test(cue)) return undefined;
    if (!/^[A-Z0-9 -]+$/.test(plate)) return undefined;
    if (!/\d/.test(plate) && plate.replace(/[ -]/g, '').length < 3) return undefined;
    // digits alone after "plate no." are more often a culture plate's number: only after "license" or "registration"
    if (!/[A-Z]/.test(plate) && !/licen|reg/.test(cue)) return undefined;
    const end = m.index + m[0].length;
    return { likelihood: /\d/.test(plate) && /[A-Z]/.test(plate) ? 'LIKELY' : 'POSSIBLE', start: end - plate.length, end };
  },
});
