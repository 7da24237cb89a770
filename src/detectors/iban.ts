import { ibanValid } from './checksums.js';
import { patternDetector } from './pattern.js';

/** IBAN_CODE: compact or in groups of four, ISO 7064 MOD 97-10 checked. */
export const ibanDetector = patternDetector({
  name: 'iban',
  infoTypes: ['IBAN_CODE'],
  needsDigits: true,
  re: /(?<![\w])[A-Za-z]{2}\d{2}(?:[A-Za-z0-9]{10,30}|(?: [A-Za-z0-9]{4}){2,7}(?: [A-Za-z0-9]{1,4})?)(?![\w])/g,
  judge(m) {
    return ibanValid(m[0]) ? { likelihood: 'VERY_LIKELY' } : undefined;
  },
});
