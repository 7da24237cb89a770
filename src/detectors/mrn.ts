import { patternDetector } from './pattern.js';

/**
 * MEDICAL_RECORD_NUMBER: an identifier (at least 4 characters, at least one
 * digit) right after an MRN context word. Without the context word a number
 * is never an MRN: clinical notes are full of numbers. The other record
 * numbers Safe Harbor lists (45 CFR 164.514(b)(2)(i)(I)-(M): health plan
 * beneficiary, account, certificate, device and serial numbers) are found
 * the same way, after their own words, and reported under this infoType.
 */
export const mrnDetector = patternDetector({
  name: 'mrn',
  infoTypes: ['MEDICAL_RECORD_NUMBER'],
  needsDigits: true,
  re: /\b(?:MRN|MR#|MR No\.?|Med(?:ical)? Rec(?:ord)?s?(?: (?:No\.?|Number|Num|#))?|Unit (?:No\.?|Number|#)|Hosp(?:ital)? (?:No\.?|Number|#)|Patient (?:ID|No\.?|Number|#)|Pt (?:ID|No\.?|#)|Acct(?: No\.?|#)?|Account(?: (?:No\.?|Number|#))?|Chart (?:No\.?|Number|#)|Record (?:No\.?|Number|#)|(?:Member|Subscriber|Beneficiary|Policy|Insurance|(?:Health )?Plan|Medicaid|Medicare|Device|Certificate) (?:ID|No\.?|Number|#)|Serial(?: (?:No\.?|Number|Num|#))?|S\/N|SN(?=[ \t]{0,3}[:#])|UDI)[ \t]{0,3}[:#=]?[ \t]{0,3}([A-Z]{0,3}[-]?\d[\dA-Z-]{2,19})\b/gi,
  judge(m) {
    const id = m[1]!;
    if (id.replace(/\D/g, '').length < 3) return undefined;
    const end = m.index + m[0].length;
    return { likelihood: 'VERY_LIKELY', start: end - id.length, end };
  },
});
