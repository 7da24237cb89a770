import { CLINICAL_WORDS, nameSet } from './dictionaries.js';
import { patternDetector } from './pattern.js';

const ORG_SUFFIX =
  'Inc|Incorporated|LLC|L\\.L\\.C\\.|Ltd|Limited|Corp|Corporation|Company|Co|PLC|LLP|LP|GmbH|AG|SA|NV|BV|Group|Holdings|Systems|Technologies|Solutions|Partners|Associates|Foundation|Bank|Insurance|Pharmacy|Pharmaceuticals|Laboratories|Labs|Enterprises|Industries|and Sons|& Sons';

const ORG_HINT = new RegExp(String.raw`\b(?:${ORG_SUFFIX}|and)\b`);

/**
 * ORGANIZATION_NAME: capitalised words followed by a legal or business
 * suffix ("Acme Widgets Inc.", "Smith and Sons"), and the law-firm shape
 * "Name, Name and Name" / "Name-Name".
 */
export const organizationDetector = patternDetector({
  name: 'organization',
  infoTypes: ['ORGANIZATION_NAME'],
  needsDigits: false,
  quick: (text) => ORG_HINT.test(text),
  re: new RegExp(
    String.raw`\b(?:(?:[A-Z][A-Za-z&'.-]{0,30}(?:,? | & | and )){1,4}(?:${ORG_SUFFIX})\b\.?|[A-Z][a-z]{1,20}, [A-Z][a-z]{1,20},? and [A-Z][a-z]{1,20}\b|[A-Z][a-z]{1,20} and [A-Z][a-z]{1,20} (?:LLC|Inc|Ltd|PLC|Group)\b)`,
    'g',
  ),
  judge(m) {
    // "BS. Inc": a sentence ending before an abbreviation ("Inc" = increased) is not a company.
    if (/\. (?:Inc|Co|Corp|Ltd)\b/.test(m[0])) return undefined;
    // "Name, Name and Name" only when all three are surnames ("Flagyl, Vanco and Levoq" is a drug list).
    const firm = /^([A-Z][a-z]{1,20}), ([A-Z][a-z]{1,20}),? and ([A-Z][a-z]{1,20})$/.exec(m[0]);
    if (firm && ![firm[1]!, firm[2]!, firm[3]!].every((w) => nameSet().has(w.toLowerCase()) && !CLINICAL_WORDS.has(w.toLowerCase()))) return undefined;
    return { likelihood: 'LIKELY', end: m.index + m[0].replace(/\.$/, (d) => (/(?:Inc|Co|Corp|Ltd)\.$/.test(m[0]) ? d : '')).length };
  },
});
