import { patternDetector } from './pattern.js';
import type { Detector } from './types.js';

const SUFFIX =
  'Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Alley|Row|Crescent|Close|Gardens|Grove|Path|Pike|Plaza|Turnpike|Tpke|Expressway|Freeway|Mews|Walk|Wharf|Green|Heights|Hts|Ridge|Run|Crossing|Xing|Point|Landing|Commons|Estates|Park|Hill|View';
const UNIT = String.raw`(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Room|Rm\.?|Floor|Fl\.?|#) ?#?[0-9]{1,5}[A-Za-z]?`;
/** Continental street words that come before the number ("Koskikatu 25", "Hauptstraße 5"). */
const EU = String.raw`(?:\d{1,6} )?[A-ZÀ-Þ][a-zà-ÿ]{2,30}(?:katu|kuja|tie|polku|vej|vænget|gade|stræde|straße|strasse|weg|gasse|laan|straat|plein|gatan|gränd|vägen|veien|vegen|stien|bakken|gata|väg|allee|platz|utca|ulica)`;
/** Streets named after a leading word: Via Franscini 71, Rua do Ouro 5, Calle Mayor 3. */
const LEAD = String.raw`(?:\d{1,6} )?(?:Via|Viale|Piazza|Corso|Rua|Avenida|Calle|Carrer|Rue|Boulevard|Plaza|Strada|Ulica|Ul\.) (?:[A-Za-zÀ-ÿ'.-]{1,30} ){0,3}[A-ZÀ-Þ][A-Za-zÀ-ÿ'.-]{1,30},?`;
const UNIT_ALONE = String.raw`(?:Apt\.?|Apartment|Suite|Ste\.?|Unit) ?#?[0-9]{1,5}[A-Za-z]?`;

/**
 * STREET_ADDRESS: "[number] [direction] Name… Suffix [unit]", continental
 * "Streetname number", a PO box, and unit designators alone ("Apt. 117").
 * The name part is at most four capitalised words, so matching is bounded.
 */
const addresses = patternDetector({
  name: 'street-address',
  infoTypes: ['STREET_ADDRESS'],
  needsDigits: true,
  re: new RegExp(
    String.raw`\b(?:(?<us>\d{1,6}[A-Za-z]? (?:(?:[NSEW]|North|South|East|West|NE|NW|SE|SW)\.? )?(?:(?:[A-Z][A-Za-z'.-]{0,30}|\d{1,3}(?:st|nd|rd|th)) ){1,4}(?:${SUFFIX})\b\.?(?:,? ${UNIT})?)|(?<eu>(?:${EU}|${LEAD}) \d{1,4}[A-Za-z]?(?:,? ${UNIT})?)|(?<po>(?:P\.? ?O\.? )?Box \d{1,6}|PSC \d{1,6}, Box \d{1,6})|(?<unit>${UNIT_ALONE}))(?![\w])`,
    'g',
  ),
  judge(m) {
    const g = m.groups!;
    // A period after a full suffix word ends the sentence, not an abbreviation.
    if (g.us !== undefined && /[A-Za-z]{5,}\.$/.test(m[0])) return { likelihood: 'LIKELY', end: m.index + m[0].length - 1 };
    if (g.unit !== undefined) return { likelihood: 'POSSIBLE' };
    if (g.po !== undefined) return { likelihood: 'LIKELY' };
    return { likelihood: 'LIKELY' };
  },
});

/**
 * "lives at 45 kelvard road", "ADDRESS: 45 KELVARD AVE": where capitals mark no names, a number, one to three
 * words and a street word, after a word that says where someone lives.
 */
const livingAt = patternDetector({
  name: 'street-address-lived',
  infoTypes: ['STREET_ADDRESS'],
  needsDigits: true,
  re: /\b(?:lives?|living|lived|resides?|residing|address(?: is)?|home) ?(?:at|on|is)?:? ?(\d{1,6} (?:[a-z][a-z'.-]{1,30} ){1,3}(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|place|pl|terrace|pike|circle|cir|highway|hwy)\b\.?)/gi,
  judge(m) {
    const addr = m[1]!;
    if (/[A-Z]/.test(addr) && /[a-z]/.test(addr)) return undefined;
    // Mixed-case addresses are the main pattern's; a full stop after a whole street word ends the sentence.
    const end = m.index + m[0].length - (/[a-z]{4,}\.$/i.test(addr) ? 1 : 0);
    return { likelihood: 'LIKELY', start: m.index + m[0].length - addr.length, end };
  },
});

/** Street addresses: the mixed-case patterns, then addresses after a living word in any case. */
export const streetAddressDetector: Detector = {
  name: 'street-address',
  infoTypes: ['STREET_ADDRESS'],
  needsDigits: true,
  detect(input, out) {
    addresses.detect(input, out);
    livingAt.detect(input, out);
  },
};
