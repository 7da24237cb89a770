import { patternDetector } from './pattern.js';

const STATE_ABBR =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|AS|MP|AA|AE|AP';
const ZIP_WORD = /\b(?:zip|zip code|zipcode|postal code|postcode)(?: is| was)?\W{0,3}$/i;
const AFTER_STATE = new RegExp(String.raw`\b(?:${STATE_ABBR})\.?,? {1,2}$`);
/** "…, Springfield 12345" / a line that starts with a capitalised place name. */
const AFTER_PLACE = /(?:^|[,;] |\n)[A-Z][a-z]+(?: [A-Z][a-z]+){0,2},? {1,2}$/;

/**
 * ZIP codes (HIPAA geographic subdivision), reported as LOCATION. A 5 or 5+4
 * digit number counts only after a ZIP context word, a state abbreviation or
 * a capitalised place name; otherwise it is any lab value or count.
 */
export const zipDetector = patternDetector({
  name: 'zip',
  infoTypes: ['LOCATION'],
  needsDigits: true,
  re: /(?<![\w\-.,/])(?:\d{5}(?:-\d{4})?|(?<other>\d{3,4}(?:[ -]\d{2,4})?|\d{5}-\d{3}))(?![\w\-/]|[.,]\d)/g,
  judge(m, input) {
    const before = input.text.slice(Math.max(0, m.index - 40), m.index);
    if (ZIP_WORD.test(before)) return { likelihood: 'VERY_LIKELY' };
    // Other countries' postal codes (3-4 digits, 1234-567, 12 345) only after a ZIP word.
    if (m.groups!.other !== undefined) return undefined;
    if (AFTER_STATE.test(before)) return { likelihood: 'LIKELY' };
    if (AFTER_PLACE.test(before)) return { likelihood: 'POSSIBLE' };
    return undefined;
  },
});
