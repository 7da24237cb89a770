import { deaValid } from './checksums.js';
import { contextBefore } from './context.js';
import { patternDetector } from './pattern.js';

/** US_DEA_NUMBER: registrant-type letter, name letter (or 9), 7 digits, checksum. */
export const deaDetector = patternDetector({
  name: 'dea',
  infoTypes: ['US_DEA_NUMBER'],
  needsDigits: true,
  re: /(?<![\w-])[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}(?![\w-])/g,
  judge(m, input) {
    if (!deaValid(m[0])) return undefined;
    return { likelihood: contextBefore(input.text, m.index, /\bdea\W{0,12}(?:n(?:o|umber)\.?|#)?\W{0,4}$/, 24) ? 'VERY_LIKELY' : 'LIKELY' };
  },
});
