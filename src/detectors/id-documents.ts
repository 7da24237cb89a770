import { contextBefore } from './context.js';
import { patternDetector } from './pattern.js';

const DL_CONTEXT =
  /\b(?:driver'?s? ?licen[cs]e|driving licen[cs]e|drivers? lic\.?|dl|d\/l|lic(?:ense)?)\W{0,10}(?:n(?:o|umber|um)\.?|#)?\W{0,4}$/;

/** US_DRIVERS_LICENSE_NUMBER: state formats vary too much for a pattern alone; needs a context word. */
export const driversLicenseDetector = patternDetector({
  name: 'drivers-license',
  infoTypes: ['US_DRIVERS_LICENSE_NUMBER'],
  needsDigits: true,
  re: /(?<![\w-])[A-Za-z]{0,2}\d[\d-]{3,16}\d(?![\w-])/g,
  judge(m, input) {
    return contextBefore(input.text, m.index, DL_CONTEXT, 40) ? { likelihood: 'LIKELY' } : undefined;
  },
});

/** PASSPORT: 6-9 alphanumerics after a passport context word. */
export const passportDetector = patternDetector({
  name: 'passport',
  infoTypes: ['PASSPORT'],
  needsDigits: true,
  re: /(?<![\w])[A-Za-z]{0,2}\d{6,9}(?![\w])/g,
  judge(m, input) {
    return contextBefore(input.text, m.index, /\bpassport\W{0,12}(?:n(?:o|umber)\.?|#)?\W{0,4}$/, 30)
      ? { likelihood: 'LIKELY' }
      : undefined;
  },
});

/**
 * US_MEDICARE_BENEFICIARY_ID_NUMBER (MBI, CMS format): 11 characters
 * C A AN N A AN N A A N N, letters excluding S L O I B Z, optional dashes
 * after positions 4 and 7.
 */
export const mbiDetector = patternDetector({
  name: 'mbi',
  infoTypes: ['US_MEDICARE_BENEFICIARY_ID_NUMBER'],
  needsDigits: true,
  re: /(?<![\w-])[1-9][AC-HJKMNP-RT-Yac-hjkmnp-rt-y][AC-HJKMNP-RT-Yac-hjkmnp-rt-y0-9]\d-?[AC-HJKMNP-RT-Yac-hjkmnp-rt-y][AC-HJKMNP-RT-Yac-hjkmnp-rt-y0-9]\d-?[AC-HJKMNP-RT-Yac-hjkmnp-rt-y]{2}\d{2}(?![\w-])/g,
  judge(m, input) {
    const ctx = contextBefore(input.text, m.index, /\b(?:mbi|medicare)\b[^\n]{0,20}$/, 30);
    return { likelihood: ctx ? 'VERY_LIKELY' : 'LIKELY' };
  },
});
