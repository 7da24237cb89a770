import { vinCheckValid } from './checksums.js';
import { contextBefore } from './context.js';
import { patternDetector } from './pattern.js';

/** VEHICLE_IDENTIFICATION_NUMBER: 17 characters (no I, O, Q), check digit or "VIN" context. */
export const vinDetector = patternDetector({
  name: 'vin',
  infoTypes: ['VEHICLE_IDENTIFICATION_NUMBER'],
  needsDigits: true,
  re: /\b[A-HJ-NPR-Za-hj-npr-z0-9]{17}\b/g,
  judge(m, input) {
    const s = m[0];
    if (!/\d/.test(s) || !/[A-Za-z]/.test(s)) return undefined;
    const ctx = contextBefore(input.text, m.index, /\b(?:vin|vehicle identification)\W{0,12}(?:n(?:o|umber)\.?|#)?\W{0,4}$/, 30);
    if (vinCheckValid(s)) return { likelihood: ctx ? 'VERY_LIKELY' : 'LIKELY' };
    return ctx ? { likelihood: 'LIKELY' } : undefined;
  },
});
