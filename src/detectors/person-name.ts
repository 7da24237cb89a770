import type { Finding, Likelihood } from '../text/types.js';
import { TITLES } from './name-words.js';
import { CLINICAL_WORDS, LEX_CLINICAL, LEX_COMMON, LEX_CORE, LEX_NAME, LEX_RARE, LEX_STOP, commonWords, nameSet } from './dictionaries.js';
import { CAP, UPPER, gapAfter, tokensOf, type Tokens } from './tokens.js';
import { likelihoodRank, type Detector, type ScanInput } from './types.js';

/** Kin and role words: a name-list word right after one is a name even when it is also a common word ("wife Grace"). */
const RELATIONS = new Set([
  'wife', 'husband', 'son', 'daughter', 'mother', 'father', 'mom', 'dad', 'brother', 'sister', 'niece', 'nephew',
  'aunt', 'uncle', 'grandson', 'granddaughter', 'grandmother', 'grandfather', 'cousin', 'friend', 'neighbor',
  'fiance', 'fiancee', 'boyfriend', 'girlfriend', 'partner', 'spouse', 'named', 'name', 'hcp', 'proxy',
  'sibling', 'sons', 'daughters', 'visitor', 'dtr', 'sis', 'bro', 'fellow', 'intern', 'surgeon', 'resident', 'pcp', 'np', 'rn',
]);
const POST_NOMINAL = /^,? ?(?:m\.?d\.?|r\.?n\.?|n\.?p\.?|pa-c|ph\.?d\.?|dds|cnm|lpn|crnp|fnp|lcsw|licsw|msw|facs|rrt|crt|cns)(?![\w])/i;
const ADJACENT = /^\.? ?$|^ {1,2}$|^, ?$|^: ?$|^'s ?$|^-{1,3}$/;
const TITLE_GAP = /^\.? ?$|^ {1,2}$/;
const JOIN_GAP = /^ {1,2}$|^\. ?$|^-$/;
const BACK_GAP = /^ {1,2}$|^\. ?$/;

const LEVELS: readonly Likelihood[] = ['VERY_UNLIKELY', 'UNLIKELY', 'POSSIBLE', 'LIKELY', 'VERY_LIKELY'];

/** Reused per-word arrays (detection is synchronous; see tokens.ts). */
let scratchFacts = new Uint8Array(4096);
let scratchLevel = new Int8Array(4096);

// Per-word facts, bit flags.
const NAME = 1;
const COMMON = 2;
const CLIN = 4;
const STOP = 8;


/** Not a clinical, function or title word, and longer than an initial. */
function plain(t: Tokens, facts: Uint8Array, j: number): boolean {
  return !(facts[j]! & (CLIN | STOP)) && t.key[j]!.length > 1;
}

/** Whether word j may extend the name before it. */
function canJoin(t: Tokens, facts: Uint8Array, j: number, shouting: boolean): boolean {
  if (!plain(t, facts, j)) return false;
  const f = facts[j]!;
  if (f & NAME && !(f & COMMON)) return true;
  const fl = t.flags[j]!;
  // An unknown word after a name in all-capitals text ("KAREN ANN YANULIS").
  if (shouting) return !(f & COMMON) && t.key[j]!.length >= 3 && (facts[j - 1]! & NAME) !== 0;
  if (!(fl & CAP)) return false;
  return ((f & NAME) !== 0 || !(f & COMMON)) && !((fl & UPPER) !== 0 && t.key[j]!.length <= 4);
}

function isInitial(t: Tokens, text: string, j: number): boolean {
  return t.key[j]!.length === 1 && text.charCodeAt(t.end[j]!) === 46;
}

/**
 * PERSON_NAME from dictionaries and context. A word is a name when
 *  - a title precedes it ("Dr. Wall", "Mrs Grace") — VERY_LIKELY, or
 *  - a post-nominal follows it ("Smith MD", "Lander RRT") — LIKELY, or
 *  - a kin/role word precedes it ("wife Grace", "dtr Suzette") — LIKELY, or
 *  - it is in the name list and not a common English word — LIKELY when
 *    capitalised (3+ letters; not a short all-capitals abbreviation in
 *    mixed-case text), POSSIBLE in lower case (4+ letters, and not even a
 *    rarer English word: misspellings and jargon are lower case too);
 * and never when it is a clinical word (CLINICAL_WORDS) or a function word
 * without a title. Accepted words spread to neighbouring name-like words and
 * initials ("John Q. Smith"); each run becomes one finding.
 */
export const personNameDetector: Detector = {
  name: 'person-name',
  // FIRST_NAME and LAST_NAME are cut out of its findings on request (name-parts.ts).
  infoTypes: ['PERSON_NAME', 'FIRST_NAME', 'LAST_NAME'],
  needsDigits: false,
  detect(input: ScanInput, out: Finding[]): void {
    const t = tokensOf(input);
    const n = t.count;
    if (n === 0) return;
    const names = nameSet();
    const common = commonWords();
    const text = input.text;
    const shouting = input.shouting;
    if (scratchFacts.length < n) {
      scratchFacts = new Uint8Array(n * 2);
      scratchLevel = new Int8Array(n * 2);
    }
    const facts = scratchFacts;
    for (let i = 0; i < n; i++) {
      const lx = t.lex[i]!;
      let f = 0;
      if (lx & LEX_NAME) f |= NAME;
      else if (t.key[i]!.includes('-')) {
        const parts = t.key[i]!.split('-');
        if (parts.every((p) => p.length >= 3 && names.has(p) && !common.has(p) && !CLINICAL_WORDS.has(p))) f |= NAME;
      }
      if (lx & LEX_COMMON) f |= COMMON;
      if (lx & LEX_CLINICAL) f |= CLIN;
      if (lx & LEX_STOP) f |= STOP;
      facts[i] = f;
    }
    const level = scratchLevel;
    level.fill(-1, 0, n);
    const LIKELY = likelihoodRank('LIKELY');
    const POSSIBLE = likelihoodRank('POSSIBLE');
    const VERY = likelihoodRank('VERY_LIKELY');
    const LOWER_CASE = POSSIBLE;
    for (let i = 0; i < n; i++) {
      const k = t.key[i]!;
      if (k.length < 2) continue;
      const f = facts[i]!;
      const fl = t.flags[i]!;
      const prevKey = i > 0 ? t.key[i - 1]! : '';
      if (i > 0 && TITLES.has(prevKey) && !(f & STOP) && !(f & CLIN && !(fl & CAP))) {
        // Title + name; an unlisted word must look like a name (capitalised in
        // mixed-case text, listed in all-capitals text), since "ms" is also
        // "mental status" and notes are full of misspellings.
        const strong = prevKey === 'dr' || prevKey === 'doctor' || prevKey === 'drs';
        const nameish =
          f & NAME ||
          (fl & CAP && !shouting && !(fl & UPPER && k.length <= 3)) ||
          (!(f & COMMON) && prevKey !== 'ms' && (fl & CAP || strong) && k.length >= 3);
        if (nameish && (prevKey !== 'ms' || fl & CAP) && TITLE_GAP.test(gapAfter(text, t, i - 1))) {
          level[i] = VERY;
          continue;
        }
      }
      if (f & (CLIN | STOP)) continue;
      const e = t.end[i]!;
      const nameLike = (f & NAME && !(f & COMMON)) || (fl & CAP && !shouting && (f & NAME || !(f & COMMON))) || (shouting && !(f & COMMON) && k.length >= 3);
      const post = POST_NOMINAL.exec(text.slice(e, e + 8));
      // "2L NP" is nasal prongs: NP marks a name only after a name-list word that is not a common word.
      if (post && (nameLike || (f & NAME && !/np/i.test(post[0])))) {
        level[i] = LIKELY;
        continue;
      }
      const core = (t.lex[i]! & LEX_CORE) !== 0;
      const relOk = f & NAME ? !core || (fl & CAP && !shouting) : !(f & COMMON) && fl & CAP && !shouting;
      if (i > 0 && RELATIONS.has(prevKey) && k.length >= 3 && relOk && ADJACENT.test(gapAfter(text, t, i - 1))) {
        // "son bill", "husband milovan", "DAUGHTER-KRISSY".
        level[i] = LIKELY;
        continue;
      }
      // "my name is Siiri", "I am Rubija": an unlisted capitalised word after a self-introduction.
      if (i > 1 && fl & CAP && !shouting && !(f & COMMON) && k.length >= 3 && ((prevKey === 'is' && t.key[i - 2] === 'name') || (prevKey === 'am' && t.key[i - 2] === 'i'))) {
        level[i] = LIKELY;
        continue;
      }
      if (f & NAME && !(f & COMMON)) {
        if (fl & CAP) {
          if (k.length >= 3 && (shouting || !(fl & UPPER && k.length <= 4))) level[i] = LIKELY;
        } else if (k.length >= 4 && !(t.lex[i]! & LEX_RARE)) level[i] = LOWER_CASE;
      }
    }
    // Spread to neighbours: a name-list word, or an unknown capitalised word
    // in mixed-case text, next to an accepted name; and initials.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        if (level[i]! < 0) continue;
        const j = i + 1;
        if (j < n && level[j]! < 0 && (canJoin(t, facts, j, shouting) || isInitial(t, text, j)) && JOIN_GAP.test(gapAfter(text, t, i))) level[j] = level[i]!;
        // "Suzette and Hank": a capitalised name-list word joined to a name by "and".
        const a = i + 2;
        if (a < n && level[a]! < 0 && (t.key[i + 1] === 'and' || t.key[i + 1] === '&') && facts[a]! & NAME && t.flags[a]! & CAP && !(facts[a]! & (CLIN | STOP))) {
          if (t.end[i + 1]! - t.end[i]! <= 5 && t.start[a]! - t.end[i + 1]! === 1) level[a] = level[i]!;
        }
        const h = i - 1;
        if (h >= 0 && level[h]! < 0) {
          const f = facts[h]!;
          const ok = (plain(t, facts, h) && (f & NAME) !== 0 && (!(f & COMMON) || ((t.flags[h]! & CAP) !== 0 && !shouting))) || isInitial(t, text, h);
          if (ok && BACK_GAP.test(gapAfter(text, t, h))) level[h] = level[i]!;
        }
      }
    }
    let i = 0;
    while (i < n) {
      if (level[i]! < 0) {
        i++;
        continue;
      }
      let best = level[i]!;
      let j = i;
      while (j + 1 < n && level[j + 1]! >= 0 && JOIN_GAP.test(gapAfter(text, t, j))) {
        j++;
        if (level[j]! > best) best = level[j]!;
      }
      // A lone initial is not a name.
      if (!(i === j && t.key[i]!.length === 1)) {
        let end = t.end[j]!;
        if (t.key[j]!.length === 1 && text.charCodeAt(end) === 46) end++;
        out.push({ start: t.start[i]!, end, infoType: 'PERSON_NAME', likelihood: LEVELS[best]! });
      }
      i = j + 1;
    }
  },
};
