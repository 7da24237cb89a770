import { npiValid } from './checksums.js';
import { contextBefore } from './context.js';
import { patternDetector } from './pattern.js';

const NPI_CONTEXT = /\bnpi\W{0,12}(?:n(?:o|umber)\.?|#)?\W{0,4}$/;

/** US_HEALTHCARE_NPI: 10 digits with a valid check digit; LIKELY only after "NPI". */
export const npiDetector = patternDetector({
  name: 'npi',
  infoTypes: ['US_HEALTHCARE_NPI'],
  needsDigits: true,
  re: /(?<![\w-])[12]\d{9}(?![\w-])/g,
  judge(m, input) {
    if (!npiValid(m[0])) return undefined;
    return { likelihood: contextBefore(input.text, m.index, NPI_CONTEXT, 24) ? 'VERY_LIKELY' : 'POSSIBLE' };
  },
});
