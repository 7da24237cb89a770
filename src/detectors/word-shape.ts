import { LEX_CLINICAL, LEX_COMMON, LEX_STOP, lexFlags } from './dictionaries.js';

/**
 * Endings of English and clinical words ("radiology", "extubation", "cvicu",
 * "heparinize", "lisinopril"): the lexicon misses much clinical vocabulary,
 * and a word in no list with one of these endings is rarely a name.
 */
const WORD_ENDING =
  /(?:olog(?:y|ist)|tion|sion|itis|a?emia|osis|[eo]s?tomy|scopy|gram|graphy|pathy|plasty|ase|ide|pril|olol|mycin|cillin|azole|pam|statin|sartan|ist|ics?|al|ous|ive|i[sz]e|i[sz]ing|ate|ary|ity|ment|ness|less|ful|[ai]ble|ly|ism|oid|ies|ed|ing|noc|cu)$/;
/** Prefixes glued to a listed word ("overbreathe", "reintubate", "posthospital"). */
const PREFIX = /^(?:re|over|under|un|non|pre|post|hyper|hypo|anti|de|dis|mis|sub|intra|inter|trans|peri|multi|semi|mid|self|co|pseudo|micro|macro)(?=[a-z]{3})/;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** A common English, clinical or function word (not a rare word, a name or a place: those lists hold most short letter strings). */
const WORDISH = LEX_COMMON | LEX_CLINICAL | LEX_STOP;

function wordish(v: string): boolean {
  return (lexFlags(v) & WORDISH) !== 0;
}

/**
 * Whether a lower-case word that is in no list reads as a word rather than a
 * name: a clinical or English ending, a prefix on a listed word, or one edit
 * (a letter dropped, added, changed or two swapped) from a listed word that is
 * common word, or two common words written as one — notes are full of misspellings ("famly", "hemrroids").
 * Made-up and foreign names ("Guloz", "Ketudor") are none of these.
 * Place names are often two words written as one ("Riverside"): `compounds` false does not count those.
 * About 50 lookups per letter: call it only for words a context has already picked.
 */
export function wordLike(key: string, compounds = true): boolean {
  const ck = compounds ? key : key + '|';
  const hit = CACHE.get(ck);
  if (hit !== undefined) return hit;
  if (CACHE.size >= CACHE_LIMIT) CACHE.clear();
  const r = wordLikeUncached(key, compounds);
  CACHE.set(ck, r);
  return r;
}

/** Answers for recent words: the same words come back in the notes of one patient or one site. */
const CACHE = new Map<string, boolean>();
const CACHE_LIMIT = 4096;

function wordLikeUncached(key: string, compounds: boolean): boolean {
  if (WORD_ENDING.test(key)) return true;
  const p = PREFIX.exec(key);
  if (p && lexFlags(key.slice(p[0].length)) !== 0) return true;
  const n = key.length;
  // "bedpan", "flowsheet", "housestaff": two words written as one.
  if (compounds) for (let i = 3; i <= n - 3; i++) if (wordish(key.slice(0, i)) && wordish(key.slice(i))) return true;
  for (let i = 0; i < n; i++) if (wordish(key.slice(0, i) + key.slice(i + 1))) return true;
  for (let i = 0; i + 1 < n; i++) if (key[i] !== key[i + 1] && wordish(key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2))) return true;
  for (let i = 0; i < n; i++) {
    const head = key.slice(0, i);
    const tail = key.slice(i + 1);
    for (const c of LETTERS) if (c !== key[i] && wordish(head + c + tail)) return true;
  }
  for (let i = 0; i <= n; i++) {
    const head = key.slice(0, i);
    const tail = key.slice(i);
    for (const c of LETTERS) if (wordish(head + c + tail)) return true;
  }
  return false;
}
