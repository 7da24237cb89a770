import { ssnStructureValid } from './checksums.js';
import { contextBefore } from './context.js';
import { patternDetector } from './pattern.js';

const SSN_CONTEXT = /(?:ssn|ss#|social security|soc\.? sec\.?|social)\W{0,12}(?:n(?:o|umber)\.?|#)?\W{0,4}$/;

/** US SSN: dashed/spaced ddd-dd-dddd anywhere; nine bare digits only after an SSN context word. */
export const ssnDetector = patternDetector({
  name: 'ssn',
  infoTypes: ['US_SOCIAL_SECURITY_NUMBER'],
  needsDigits: true,
  re: /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g,
  judge(m, input) {
    if (!ssnStructureValid(m[1]!, m[3]!, m[4]!)) return undefined;
    const ctx = contextBefore(input.text, m.index, SSN_CONTEXT, 30);
    if (m[2] === '') return ctx ? { likelihood: 'VERY_LIKELY' } : undefined;
    return { likelihood: ctx ? 'VERY_LIKELY' : m[2] === '-' ? 'LIKELY' : 'POSSIBLE' };
  },
});
