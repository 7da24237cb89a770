import type { Finding, Likelihood } from '../text/types.js';
import { CLINICAL_WORDS, commonWords, nameSet } from './dictionaries.js';
import { gap, tokensOf, type Token } from './tokens.js';
import { adjust, likelihoodRank, type Detector, type ScanInput } from './types.js';

const TITLES = new Set(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'dear', 'sr', 'jr', 'rev', 'attending', 'resident', 'nurse', 'np', 'rn', 'pcp', 'drs']);
const RELATIONS = new Set([
  'wife', 'husband', 'son', 'daughter', 'mother', 'father', 'mom', 'dad', 'brother', 'sister', 'niece', 'nephew',
  'aunt', 'uncle', 'grandson', 'granddaughter', 'grandmother', 'grandfather', 'cousin', 'friend', 'neighbor',
  'fiance', 'fiancee', 'boyfriend', 'girlfriend', 'partner', 'spouse', 'named', 'name', 'called', 'hcp', 'proxy',
  'sibling', 'sons', 'daughters', 'grandchildren', 'visitor', 'visited', 'by', 'with', 'per', 'from', 'to', 'and', 'dtr', 'sis', 'bro',
  'pt', 'patient', 'mr', 'ms', 'mrs', 'signed', 'spoke', 'contact', 'contacted', 'notified', 'paged', 'aware', 'informed', 'called', 'team', 'fellow', 'intern', 'surgeon',
]);
/** Weak context: these words are frequent before names but also before anything. */
const WEAK_RELATIONS = new Set(['by', 'with', 'per', 'from', 'to', 'and', 'pt', 'patient', 'signed', 'spoke', 'contact', 'contacted', 'notified', 'paged', 'aware', 'informed', 'called', 'team']);
const POST_NOMINAL = /^,? ?(?:m\.?d\.?|r\.?n\.?|n\.?p\.?|pa-c|d\.?o\.?|ph\.?d\.?|dds|cnm|lpn|crnp|fnp|lcsw|msw|facs)\b/i;

interface Word {
  tok: Token;
  isName: boolean;
  common: boolean;
  clinical: boolean;
}

function lookupKey(key: string): string {
  return key.endsWith("'s") || key.endsWith('\u2019s') ? key.slice(0, -2) : key;
}

/**
 * PERSON_NAME from dictionaries and context. A word is a name when
 *  - a title precedes it ("Dr. Wall", "Mrs Grace") — VERY_LIKELY, or
 *  - a post-nominal follows it ("Smith MD") — LIKELY, or
 *  - a kin/role word precedes it ("wife Grace", "daughter Suzette") and it is capitalised — LIKELY, or
 *  - it is in the name list and not a common English word — LIKELY when
 *    capitalised, POSSIBLE in lower case;
 * and never when it is a clinical word (see CLINICAL_WORDS) without a title.
 * Accepted words spread to neighbouring capitalised words and initials
 * ("John Q. Smith"), and the run becomes one finding.
 */
export const personNameDetector: Detector = {
  name: 'person-name',
  infoTypes: ['PERSON_NAME'],
  needsDigits: false,
  detect(input: ScanInput, out: Finding[]): void {
    const toks = tokensOf(input);
    if (toks.length === 0) return;
    const names = nameSet();
    const common = commonWords();
    const text = input.text;
    const words: Word[] = toks.map((tok) => {
      const k = lookupKey(tok.key);
      let isName = names.has(k);
      if (!isName && k.includes('-')) isName = k.split('-').every((p) => names.has(p) && !common.has(p));
      return { tok, isName, common: common.has(k), clinical: CLINICAL_WORDS.has(k) };
    });
    const level: (Likelihood | undefined)[] = new Array(words.length);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const t = w.tok;
      if (t.key.length < 2) continue;
      const prev = i > 0 ? words[i - 1] : undefined;
      const g = prev ? gap(text, prev.tok, t) : '';
      const adjacent = prev !== undefined && /^\.? ?$|^ {1,2}$|^, ?$|^: ?$|^'s ?$/.test(g);
      const titled = adjacent && TITLES.has(prev!.tok.key) && /^\.? ?$|^ {1,2}$/.test(g) && (t.cap || w.isName);
      if (titled && !(w.common && !t.cap)) {
        level[i] = 'VERY_LIKELY';
        continue;
      }
      if (w.clinical || TITLES.has(t.key)) continue;
      const after = text.slice(t.end, t.end + 8);
      if (t.cap && !input.shouting && POST_NOMINAL.test(after) && (w.isName || !w.common)) {
        level[i] = 'LIKELY';
        continue;
      }
      if (t.cap && input.shouting && POST_NOMINAL.test(after) && w.isName) {
        level[i] = 'LIKELY';
        continue;
      }
      const related = adjacent && RELATIONS.has(prev!.tok.key);
      if (related && t.cap && w.isName && !WEAK_RELATIONS.has(prev!.tok.key)) {
        level[i] = 'LIKELY';
        continue;
      }
      if (w.isName && !w.common) {
        level[i] = t.cap ? 'LIKELY' : related ? 'POSSIBLE' : 'POSSIBLE';
        if (!t.cap && !related && input.shouting === false && /^[a-z]/.test(text.slice(t.start, t.start + 1))) level[i] = 'POSSIBLE';
      }
    }
    // Spread to neighbours: a capitalised name-list word, or an unknown
    // capitalised word in mixed-case text, next to an accepted name.
    const canJoin = (w: Word): boolean =>
      w.tok.cap && !w.clinical && !TITLES.has(w.tok.key) && (w.isName || (!w.common && !input.shouting && w.tok.key.length > 1));
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < words.length; i++) {
        if (level[i] === undefined) continue;
        const j = i + 1;
        if (j < words.length && level[j] === undefined && /^ {1,2}$|^\. ?$|^-$/.test(gap(text, words[i]!.tok, words[j]!.tok))) {
          const w = words[j]!;
          if (canJoin(w) || (w.tok.key.length === 1 && w.tok.cap && text[w.tok.end] === '.')) level[j] = adjust(level[i]!, 0);
        }
        const h = i - 1;
        if (h >= 0 && level[h] === undefined && /^ {1,2}$|^\. ?$/.test(gap(text, words[h]!.tok, words[i]!.tok))) {
          const w = words[h]!;
          if ((w.tok.cap && w.isName && !w.clinical && !TITLES.has(w.tok.key)) || (w.tok.key.length === 1 && w.tok.cap && text[w.tok.end] === '.')) {
            level[h] = level[i];
          }
        }
      }
    }
    let i = 0;
    while (i < words.length) {
      if (level[i] === undefined) {
        i++;
        continue;
      }
      let best = level[i]!;
      let j = i;
      while (j + 1 < words.length && level[j + 1] !== undefined && /^ {1,2}$|^\. ?$|^-$/.test(gap(text, words[j]!.tok, words[j + 1]!.tok))) {
        j++;
        if (likelihoodRank(level[j]!) > likelihoodRank(best)) best = level[j]!;
      }
      // A lone initial is not a name.
      if (!(i === j && words[i]!.tok.key.length === 1)) {
        let end = words[j]!.tok.end;
        if (words[j]!.tok.key.length === 1 && text[end] === '.') end++;
        out.push({ start: words[i]!.tok.start, end, infoType: 'PERSON_NAME', likelihood: best });
      }
      i = j + 1;
    }
  },
};
