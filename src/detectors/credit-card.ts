import { luhnValid } from './checksums.js';
import { contextBefore } from './context.js';
import { patternDetector } from './pattern.js';

const CARD_CONTEXT = /\b(?:card|credit|debit|visa|mastercard|amex|american express|discover|cc|payment)\b[^\n]{0,20}$/;
/** Issuer prefixes (ISO/IEC 7812 IIN ranges of the major networks). */
const IIN = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6(?:011|5|4[4-9]|22)|35|50|5[6-9]|6[0-9]|2131|1800)/;

/** CREDIT_CARD_NUMBER: 12-19 digits, optionally in groups, Luhn-valid, known issuer prefix. */
export const creditCardDetector = patternDetector({
  name: 'credit-card',
  infoTypes: ['CREDIT_CARD_NUMBER'],
  needsDigits: true,
  re: /(?<![\w-])(?:\d{4}[ -]){2,4}\d{1,4}(?![\w-])|(?<![\w-])\d{12,19}(?![\w-])/g,
  judge(m, input) {
    const d = m[0].replace(/[ -]/g, '');
    if (d.length < 12 || d.length > 19 || !luhnValid(d) || !IIN.test(d)) return undefined;
    const ctx = contextBefore(input.text, m.index, CARD_CONTEXT, 30);
    return { likelihood: ctx ? 'VERY_LIKELY' : d.length >= 15 ? 'LIKELY' : 'POSSIBLE' };
  },
});
