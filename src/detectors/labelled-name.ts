import { LEX_CLINICAL, LEX_COMMON, LEX_FIRST, LEX_NAME, LEX_STOP, lexFlags } from './dictionaries.js';
import type { Finding } from '../text/types.js';
import type { Detector, ScanInput } from './types.js';
import { isRelation } from './person-name.js';

/**
 * PERSON_NAME written where a form or a header puts one: after a label
 * ("Patient: SMITH, JOHN", "Name: Zelphina Quarterfield", "Mother's name:
 * Ovemu Taziret", "RE: JOHNSON, ROBERT"), and after "patient"/"pt" without a
 * colon when it is written LAST, FIRST in capitals ("patient DE LA CRUZ,
 * MARIA"). The free-text rules read names from the words around them and miss
 * these: a label is followed by nothing but the name, and capitals mark no
 * name in text that is not shouted.
 *
 * The name is the run of capitalised words after the label, up to the first
 * word that is an English or clinical word and no name ("Patient: Stable,
 * afebrile" holds none). Name particles (de, la, van…) are part of it.
 */
const LABEL = String.raw`(?:(?:patient|pt|client|resident|member|subscriber|guarantor|insured|policy ?holder|spouse|mother|father|guardian|emergency contact|next of kin|nok)(?:'s)?(?: (?:full |legal )?name)?|(?:full |legal |last |first |maiden )?name|re|attn)`;
const WORD = String.raw`[A-Za-z][A-Za-z'’-]{0,30}\.?`;
const NAME = String.raw`${WORD}(?:[ \t]{1,2}${WORD}){0,3}(?:,[ \t]{0,2}${WORD}(?:[ \t]{1,2}${WORD}){0,2})?`;
const QUICK = /name|patient|pt\b|re\b|attn|client|resident|member|subscriber|guarantor|insured|holder|spouse|mother|father|guardian|contact|kin\b|nok\b/i;
const RE = new RegExp(String.raw`\b(?<label>${LABEL})(?:(?<colon>[ \t]{0,3}:[ \t]{0,3})|[ \t]{1,3})(?<name>${NAME})`, 'gi');

const PARTICLES = new Set(['de', 'del', 'della', 'la', 'le', 'van', 'von', 'der', 'den', 'da', 'di', 'du', 'dos', 'das', 'st', 'bin', 'ibn', 'al', 'el', 'y']);
const UPPER = /^[A-Z]/;

interface Word {
  text: string;
  start: number;
  end: number;
  /** A comma comes right after it. */
  comma: boolean;
}

function wordsOf(s: string, offset: number): Word[] {
  const out: Word[] = [];
  const re = /[A-Za-z][A-Za-z'’-]*\.?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const end = m.index + m[0].length;
    out.push({ text: m[0], start: offset + m.index, end: offset + end, comma: s[end] === ',' });
  }
  return out;
}

/** Words that end a name in a header line: the next field's label, a credential. */
const FIELD_WORDS = new Set([
  'dob', 'mrn', 'ssn', 'id', 'dos', 'age', 'sex', 'gender', 'phone', 'tel', 'acct', 'account', 'admit', 'adm', 'room', 'rm', 'bed',
  'unit', 'md', 'do', 'rn', 'np', 'pa', 'dds', 'phd', 'lpn', 'cna', 'jr', 'sr',
]);

/**
 * How a word reads as part of a name: 'strong' (a first name, a surname that
 * is no English word, or a word in no list), 'weak' (a surname that is also
 * an English or clinical word: Stable, Alert, Wall), or no name word at all.
 */
function nameWord(w: string): 'strong' | 'weak' | undefined {
  if (!UPPER.test(w)) return undefined;
  const k = w.replace(/\.$/, '').toLowerCase();
  if (k.length === 1) return w.endsWith('.') || w.length === 1 ? 'weak' : undefined; // an initial
  if (FIELD_WORDS.has(k)) return undefined;
  const f = lexFlags(k);
  if (f & LEX_STOP) return undefined;
  if (f & LEX_FIRST) return 'strong';
  const english = (f & (LEX_COMMON | LEX_CLINICAL)) !== 0;
  if (f & LEX_NAME) return english ? 'weak' : 'strong';
  return english ? undefined : 'strong';
}

/** The name a label match holds, as its kept words (empty when it holds none). */
function nameAfterLabel(m: RegExpExecArray, input: ScanInput): Word[] {
  const g = m.groups!;
  const colon = g.colon !== undefined;
  const label = g.label!.toLowerCase();
  if (!colon && !/^(?:patient|pt)$/.test(label)) return [];
  const nameAt = m.index + m[0].length - g.name!.length;
  let words = wordsOf(g.name!, nameAt);
  // "Guardian: Niece, Patricia WAITE": a relation before the name is not part of it
  const firstName = words.findIndex((w) => !isRelation(w.text.toLowerCase()));
  words = firstName < 0 ? [] : words.slice(firstName);
  // the run of name words; particles only inside it
  const kept: Word[] = [];
  let strong = 0;
  for (const w of words) {
    const particle = PARTICLES.has(w.text.toLowerCase());
    const kind = particle ? undefined : nameWord(w.text);
    if (!particle && kind === undefined) break;
    if (kind === 'strong') strong++;
    kept.push(w);
  }
  while (kept.length > 0 && PARTICLES.has(kept[kept.length - 1]!.text.toLowerCase())) kept.pop();
  // a name has a word that reads as one: "Patient: Stable, afebrile" holds none
  if (kept.length === 0 || strong === 0) return [];
  const commaAt = kept.findIndex((w) => w.comma);
  const lastFirst = commaAt >= 0 && commaAt < kept.length - 1;
  if (colon) {
    // one word in no list after a label may be anything ("Name: Lisinopril"): a known name, LAST, FIRST or two words
    const known = kept.some((w) => lexFlags(w.text.replace(/\.$/, '').toLowerCase()) & (LEX_NAME | LEX_FIRST));
    if (!(known || lastFirst || kept.length >= 2)) return [];
  } else {
    // no label: LAST, FIRST in capitals, in text whose capitals mean something ("PT INITIALLY ACIDOTIC, VENT…" is shouted)
    const caps = kept.every((w) => w.text === w.text.toUpperCase());
    if (!(lastFirst && caps) || input.shouting) return [];
  }
  return kept;
}

function endOf(w: Word): number {
  return w.text.length > 2 && w.text.endsWith('.') ? w.end - 1 : w.end;
}

/**
 * One PERSON_NAME per side of a comma ("SMITH" and "JOHN A." in "SMITH, JOHN
 * A."), as the name rules find LAST, FIRST, so that FIRST_NAME / LAST_NAME
 * configs read which part is which.
 */
export const labelledNameDetector: Detector = {
  name: 'labelled-name',
  infoTypes: ['PERSON_NAME'],
  needsDigits: false,
  detect(input: ScanInput, out: Finding[]): void {
    if (!QUICK.test(input.text)) return;
    RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = RE.exec(input.text)) !== null) {
      const kept = nameAfterLabel(m, input);
      if (kept.length === 0) continue;
      const comma = kept.findIndex((w) => w.comma);
      const sides = comma >= 0 && comma < kept.length - 1 ? [kept.slice(0, comma + 1), kept.slice(comma + 1)] : [kept];
      for (const side of sides) out.push({ start: side[0]!.start, end: endOf(side[side.length - 1]!), infoType: 'PERSON_NAME', likelihood: 'LIKELY' });
    }
  },
};
