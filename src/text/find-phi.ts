import { DETECTORS, INFO_TYPE_PARENT } from '../detectors/index.js';
import type { Detector, ScanInput } from '../detectors/types.js';
import { likelihoodRank } from '../detectors/types.js';
import { splitPersonNames } from '../detectors/name-parts.js';
import { BIRTH_DATE_CONTEXT, type ContextValue, type Finding, type Likelihood } from './types.js';
import { digitBounded } from './digit-bounded.js';

export interface FindPhiOptions {
  /** Report only these infoTypes (a parent such as PERSON_NAME or DATE includes its children). */
  infoTypes?: string[];
  excludeInfoTypes?: string[];
  /**
   * Values known to be PHI for this record: every whole-word occurrence is a
   * 'CTX' finding, whatever `infoTypes` says (excludeInfoTypes: ['CTX'] turns them off).
   */
  context?: ContextValue[];
  /** Drop findings below this likelihood. Default POSSIBLE. */
  minLikelihood?: Likelihood;
  /** Site-specific detectors (see termListDetector) run after the built-in ones. */
  extraDetectors?: readonly Detector[];
  /**
   * Report person names as their parts: FIRST_NAME, LAST_NAME, and PERSON_NAME
   * for what is neither (see src/detectors/name-parts.ts). Default: true when
   * infoTypes or excludeInfoTypes names FIRST_NAME or LAST_NAME.
   */
  nameParts?: boolean;
  /**
   * The infoTypes that will be transformed (a config's); overlaps are then
   * resolved in their favour (see resolveOverlaps). Default: all.
   */
  transformed?: (infoType: string) => boolean;
}

const NAME_PARTS = ['FIRST_NAME', 'LAST_NAME'];

/** Whether any of these infoType lists names FIRST_NAME or LAST_NAME. */
export function namesNameParts(...lists: (readonly string[] | undefined)[]): boolean {
  return lists.some((l) => l !== undefined && l.some((t) => NAME_PARTS.includes(t)));
}

function matches(set: ReadonlySet<string>, infoType: string): boolean {
  if (set.has(infoType)) return true;
  const parent = INFO_TYPE_PARENT[infoType];
  return parent !== undefined && set.has(parent);
}

function isShouting(text: string): boolean {
  let upper = 0;
  let lower = 0;
  const n = Math.min(text.length, 4000);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  return upper > 8 && upper > 3 * lower;
}

const HAS_DIGIT = /[0-9]/;

/**
 * The regex of a record's context values, and whether a match must still be
 * checked for a letter, digit or `_` just before it. Values of spaced scripts
 * need that boundary; it is checked after a match (NOT_AFTER_WORD) instead of
 * by a lookbehind at the start of the regex, which made V8 try the
 * lookbehind at every position of every string (same matches, ~1.8x faster).
 */
interface ContextMatcher {
  re: RegExp;
  checkBefore: boolean;
}
/**
 * Compiled matchers of the most recent context arrays. Bounded (cleared when
 * full) rather than weak: the patient store keeps every patient's array for
 * the whole run, so a weak cache kept a compiled regex per patient, and
 * V8's code space grew with the number of patients (2 MB on the 200 MB
 * benchmark input, 19 MB on 1000 MB).
 */
const CONTEXT_CACHE = new Map<ContextValue[], ContextRegexes>();
const CONTEXT_CACHE_LIMIT = 512;
const NOT_AFTER_WORD = /(?<![\p{L}\p{N}_])/iuy;
const NOT_AFTER_DIGIT = /(?<!\p{N})/uy;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer,
 * Myanmar), and Hangul, whose particles attach to the word before them
 * (김희중의, 김희중씨): a name in them sits between other letters, so word
 * boundaries cannot be required around it.
 */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/** The distinct context values of two characters or more, longest first: the regex's alternation order. */
function contextAlternatives(values: ContextValue[]): string[] {
  return [...new Set(values.filter((v) => v.infoType !== BIRTH_DATE_CONTEXT).map((v) => v.value.trim()).filter((v) => v.length >= 2))].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
  );
}

/**
 * The regexes of a record's context values, longest first, any case: one for
 * words (whole words), one for numbers (digitBounded: no digit beside them).
 * They are apart so that neither needs a lookbehind in the common case
 * (ContextMatcher); contextFindings merges their matches as one alternation
 * of all the values would find them.
 */
interface ContextRegexes {
  words: ContextMatcher | null;
  numbers: RegExp | null;
}

function contextRegex(values: ContextValue[]): ContextRegexes {
  let cm = CONTEXT_CACHE.get(values);
  if (cm !== undefined) return cm;
  const all = contextAlternatives(values);
  const numbers = all.filter(digitBounded).map((v) => escapeRe(v).replace(/\s+/g, '\\s+'));
  const rest = all.filter((v) => !digitBounded(v));
  const words = rest.filter((v) => !UNSPACED.test(v)).map((v) => escapeRe(v).replace(/\s+/g, '\\s+'));
  const unspaced = rest.filter((v) => UNSPACED.test(v)).map(escapeRe);
  const parts: string[] = [];
  let w: ContextMatcher | null;
  if (unspaced.length === 0 && words.length > 0) {
    w = { re: new RegExp(`(?:${words.join('|')})(?![\\p{L}\\p{N}_])`, 'giu'), checkBefore: true };
  } else {
    if (words.length) parts.push(`(?<![\\p{L}\\p{N}_])(?:${words.join('|')})(?![\\p{L}\\p{N}_])`);
    if (unspaced.length) parts.push(`(?:${unspaced.join('|')})`);
    w = parts.length === 0 ? null : { re: new RegExp(parts.join('|'), 'giu'), checkBefore: false };
  }
  cm = { words: w, numbers: numbers.length ? new RegExp(`(?:${numbers.join('|')})(?!\\p{N})`, 'giu') : null };
  if (CONTEXT_CACHE.size >= CONTEXT_CACHE_LIMIT) CONTEXT_CACHE.clear();
  CONTEXT_CACHE.set(values, cm);
  return cm;
}

/**
 * The context rule without the regex, for texts that are all ASCII (most
 * are): a value matched in such a text starts and ends at a word boundary
 * and keeps its own separators, so each of its runs of ASCII letters and
 * digits is a whole run of the text, equal up to ASCII case (under /iu only
 * U+017F and U+212A, which the values are tested for, match an ASCII
 * character and are not ASCII themselves; a value with any other non-ASCII
 * character other than white space never matches). Each value is filed under
 * its longest run; the values whose run the text holds are matched one
 * position after the other in the regex's own order (longest first), which
 * finds what the regex finds. The regex, whose compilation costs more than
 * most searches, is then only built for a text that is not ASCII.
 * `always`: some value has no run or may match ASCII through another
 * character (then every text goes to the regex).
 */
interface AsciiValue {
  /** position in the regex's alternation */
  rank: number;
  /** lower-cased, split at white space */
  words: string[];
  /** bounded by non-digits rather than by non-word characters (digitBounded) */
  digits: boolean;
}
interface ContextRuns {
  always: boolean;
  byRun: Map<string, AsciiValue[]>;
  minLen: number;
  maxLen: number;
  /** digitBounded values, filed under their longest run of digits (a maximal digit run of the text where they occur) */
  byDigitRun: Map<string, AsciiValue[]> | undefined;
  minDigitLen: number;
  maxDigitLen: number;
}
const CONTEXT_RUNS = new Map<ContextValue[], ContextRuns>();
const SPACE = /\s/u;
/** Characters that match an ASCII character under /iu. */
const ASCII_UNDER_IU = /[\x00-\x7f]/iu;

function isRunChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** [\p{L}\p{N}_] for an ASCII character. */
function isWordChar(c: number): boolean {
  return isRunChar(c) || c === 95;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** \s for an ASCII character. */
function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function contextRuns(values: ContextValue[]): ContextRuns {
  let cr = CONTEXT_RUNS.get(values);
  if (cr) return cr;
  cr = { always: false, byRun: new Map(), minLen: Infinity, maxLen: 0, byDigitRun: undefined, minDigitLen: Infinity, maxDigitLen: 0 };
  const all = contextAlternatives(values);
  for (let rank = 0; rank < all.length; rank++) {
    const value = all[rank]!;
    let matchable = true;
    for (const ch of value) {
      if (ch.charCodeAt(0) >= 128 && !SPACE.test(ch)) {
        if (ASCII_UNDER_IU.test(ch)) cr.always = true;
        matchable = false;
        break;
      }
    }
    if (!matchable) continue;
    const lower = value.toLowerCase();
    if (digitBounded(value)) {
      let run = '';
      for (const r of value.split(/[^0-9]+/)) if (r.length > run.length) run = r;
      cr.byDigitRun ??= new Map();
      let list = cr.byDigitRun.get(run);
      if (!list) cr.byDigitRun.set(run, (list = []));
      list.push({ rank, words: lower.split(/\s+/), digits: true });
      if (run.length < cr.minDigitLen) cr.minDigitLen = run.length;
      if (run.length > cr.maxDigitLen) cr.maxDigitLen = run.length;
      continue;
    }
    let best = '';
    for (const run of lower.split(/[^a-z0-9]+/)) if (run.length > best.length) best = run;
    if (best === '') {
      cr.always = true;
      continue;
    }
    let list = cr.byRun.get(best);
    if (!list) cr.byRun.set(best, (list = []));
    list.push({ rank, words: lower.split(/\s+/), digits: false });
    if (best.length < cr.minLen) cr.minLen = best.length;
    if (best.length > cr.maxLen) cr.maxLen = best.length;
  }
  if (CONTEXT_RUNS.size >= CONTEXT_CACHE_LIMIT) CONTEXT_RUNS.clear();
  CONTEXT_RUNS.set(values, cr);
  return cr;
}

/**
 * The values that may occur in `text`, in the regex's order; undefined when
 * the regex must decide (the text is not ASCII, or `always`).
 */
function asciiCandidates(text: string, cr: ContextRuns): AsciiValue[] | undefined {
  if (cr.always) return undefined;
  const { byRun, minLen, maxLen, byDigitRun, minDigitLen, maxDigitLen } = cr;
  let found: AsciiValue[] | undefined;
  let start = -1;
  let upper = false;
  let digitStart = -1;
  for (let i = 0, n = text.length; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (c >= 128) return undefined;
    if (byDigitRun !== undefined) {
      if (isDigit(c)) {
        if (digitStart < 0) digitStart = i;
      } else if (digitStart >= 0) {
        const len = i - digitStart;
        const list = len >= minDigitLen && len <= maxDigitLen ? byDigitRun.get(text.slice(digitStart, i)) : undefined;
        if (list) {
          found ??= [];
          for (const v of list) if (!found.includes(v)) found.push(v);
        }
        digitStart = -1;
      }
    }
    if (isRunChar(c)) {
      if (start < 0) {
        start = i;
        upper = false;
      }
      if (c <= 90 && c >= 65) upper = true;
    } else if (start >= 0) {
      const len = i - start;
      if (len >= minLen && len <= maxLen) {
        const run = upper ? text.slice(start, i).toLowerCase() : text.slice(start, i);
        const list = byRun.get(run);
        if (list) {
          found ??= [];
          for (const v of list) if (!found.includes(v)) found.push(v);
        }
      }
      start = -1;
    }
  }
  if (!found) return [];
  return found.length > 1 ? found.sort((a, b) => a.rank - b.rank) : found;
}

/** End of `v` matched at `p` of the lower-cased ASCII `lower`, followed by no word character (no digit for a number); -1 if none. */
function matchAt(lower: string, p: number, v: AsciiValue): number {
  const words = v.words;
  let q = p;
  for (let w = 0; w < words.length; w++) {
    if (w > 0) {
      if (q >= lower.length || !isAsciiSpace(lower.charCodeAt(q))) return -1;
      while (q < lower.length && isAsciiSpace(lower.charCodeAt(q))) q++;
    }
    if (!lower.startsWith(words[w]!, q)) return -1;
    q += words[w]!.length;
  }
  return q < lower.length && (v.digits ? isDigit(lower.charCodeAt(q)) : isWordChar(lower.charCodeAt(q))) ? -1 : q;
}

/** contextFindings for an ASCII text and its candidate values (see ContextRuns). */
function asciiContextFindings(text: string, cands: AsciiValue[], out: Finding[] | null): boolean {
  const lower = text.toLowerCase();
  // next start of each candidate's first word at or after p
  const next = cands.map((v) => lower.indexOf(v.words[0]!));
  let any = false;
  let p = 0;
  for (;;) {
    let at = -1;
    for (let i = 0; i < cands.length; i++) {
      if (next[i]! >= 0 && next[i]! < p) next[i] = lower.indexOf(cands[i]!.words[0]!, p);
      if (next[i]! >= 0 && (at < 0 || next[i]! < at)) at = next[i]!;
    }
    if (at < 0) return any;
    p = at + 1;
    const before = at > 0 ? lower.charCodeAt(at - 1) : 32;
    const afterWord = isWordChar(before);
    for (let i = 0; i < cands.length; i++) {
      if (next[i] !== at) continue;
      if (cands[i]!.digits ? isDigit(before) : afterWord) continue;
      const end = matchAt(lower, at, cands[i]!);
      if (end < 0) continue;
      if (!out) return true;
      any = true;
      out.push({ start: at, end, infoType: 'CTX', likelihood: 'VERY_LIKELY' });
      p = end;
      break;
    }
  }
}

/** Pushes every context finding to `out`; with no `out`, stops at the first. Returns whether there was one. */
function contextFindings(text: string, values: ContextValue[], out: Finding[] | null): boolean {
  const cands = asciiCandidates(text, contextRuns(values));
  if (cands) return cands.length > 0 && asciiContextFindings(text, cands, out);
  const { words, numbers } = contextRegex(values);
  let any = false;
  // the next match of each regex at or after p (a match found earlier stays valid while it starts at or after p)
  let w = words ? nextMatch(text, words.re, words.checkBefore ? NOT_AFTER_WORD : null, 0) : null;
  let d = numbers ? nextMatch(text, numbers, NOT_AFTER_DIGIT, 0) : null;
  for (;;) {
    // the earlier start wins; at one start the longer value, as in one alternation longest first
    const m = w && (!d || w[0] < d[0] || (w[0] === d[0] && w[1] - w[0] >= d[1] - d[0])) ? w : d;
    if (!m) return any;
    if (!out) return true;
    any = true;
    out.push({ start: m[0], end: m[1], infoType: 'CTX', likelihood: 'VERY_LIKELY' });
    const p = m[1];
    if (w && w[0] < p) w = nextMatch(text, words!.re, words!.checkBefore ? NOT_AFTER_WORD : null, p);
    if (d && d[0] < p) d = nextMatch(text, numbers!, NOT_AFTER_DIGIT, p);
  }
}

/**
 * The first match of `re` at or after `from` whose start passes `before` (a sticky
 * lookbehind; null: none to check), as [start, end]; null when there is none.
 */
function nextMatch(text: string, re: RegExp, before: RegExp | null, from: number): [number, number] | null {
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (before) {
      before.lastIndex = m.index;
      if (!before.test(text)) {
        // no match can start here: go on from the next code point, as the lookbehind form would
        const c = text.charCodeAt(m.index);
        const pair = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(m.index + 1) & 0xfc00) === 0xdc00;
        re.lastIndex = m.index + (pair ? 2 : 1);
        continue;
      }
    }
    return [m.index, m.index + m[0].length];
  }
  return null;
}

/**
 * Whether findPhi(text, { context, excludeInfoTypes }) reports a context
 * value: when it does not, its findings are those it gives with no context.
 */
export function hasContextFinding(text: string, context: ContextValue[] | undefined, excludeInfoTypes?: readonly string[]): boolean {
  if (!context || context.length === 0 || text.length < 2 || excludeInfoTypes?.includes('CTX')) return false;
  return contextFindings(text, context, null);
}

/**
 * Person names and their parts: a LOCATION as likely on the same words wins over them. The location
 * detector reports one of a name's words as a place only from the words around it ("lives in Warren",
 * "admitted to Tamsin Hovak", "from Kelvard, NH"), while a name rule may fire on the word alone; so a tie
 * goes to the place, whether names are reported whole or as FIRST_NAME / LAST_NAME.
 */
const NAME_TYPES = new Set(['PERSON_NAME', 'FIRST_NAME', 'LAST_NAME']);

/** -1 when a wins a tie against b by kind: LOCATION over a person's name (see NAME_TYPES); else 0. */
function placeOverName(a: Finding, b: Finding): number {
  if (a.infoType === 'LOCATION' && NAME_TYPES.has(b.infoType)) return -1;
  if (b.infoType === 'LOCATION' && NAME_TYPES.has(a.infoType)) return 1;
  return 0;
}

/** Orders findings for the overlap rule: the first of a cluster in this order wins. */
function better(a: Finding, b: Finding): number {
  return (
    likelihoodRank(b.likelihood) - likelihoodRank(a.likelihood) ||
    b.end - b.start - (a.end - a.start) ||
    a.start - b.start ||
    placeOverName(a, b) ||
    (a.infoType < b.infoType ? -1 : a.infoType > b.infoType ? 1 : 0)
  );
}

/**
 * Overlap rule: findings that overlap (directly or through a chain) form a
 * cluster, and each cluster becomes ONE finding that covers the union of
 * their spans (so no part of any detected value is left in the text), with
 * the infoType and likelihood of the cluster's best finding: highest
 * likelihood, then longest span, then earliest start, then LOCATION before a
 * person's name (placeOverName), then infoType name.
 * The result depends only on the set of findings, not on detector order.
 * A cluster whose best finding is in `kept` (an excluded infoType: found, not
 * transformed) is left out, so the text it covers stays as it is.
 *
 * `transformed` tells which infoTypes the config transforms. When a cluster's
 * best finding is of one it does not, the cluster is resolved again without
 * such findings: a config that names only some infoTypes would otherwise
 * leave a finding it names untouched because an unnamed one overlapped it.
 */
export function resolveOverlaps(findings: Finding[], kept?: ReadonlySet<Finding>, transformed?: (infoType: string) => boolean): Finding[] {
  if (findings.length === 0) return [];
  if (findings.length === 1 && !kept) return findings.slice();
  const sorted = findings.slice().sort((a, b) => a.start - b.start || b.end - a.end || better(a, b));
  const out: Finding[] = [];
  let start = sorted[0]!.start;
  let end = sorted[0]!.end;
  let best = sorted[0]!;
  let members: Finding[] | undefined = transformed ? [best] : undefined;
  const close = () => {
    if (kept?.has(best)) return;
    if (members && members.length > 1 && !transformed!(best.infoType)) {
      const rest = members.filter((f) => kept?.has(f) || transformed!(f.infoType));
      if (rest.length > 0) {
        for (const f of resolveOverlaps(rest, kept, transformed)) out.push(f);
        return;
      }
    }
    out.push({ start, end, infoType: best.infoType, likelihood: best.likelihood });
  };
  for (let i = 1; i < sorted.length; i++) {
    const f = sorted[i]!;
    if (f.start < end) {
      if (f.end > end) end = f.end;
      if (better(f, best) < 0) best = f;
      members?.push(f);
    } else {
      close();
      start = f.start;
      end = f.end;
      best = f;
      if (members) members = [f];
    }
  }
  close();
  return out;
}

/** Runs the detectors over `text` and returns non-overlapping findings sorted by start. */
export function findPhi(text: string, opts: FindPhiOptions = {}): Finding[] {
  const raw: Finding[] = [];
  const excluded = new Set<Finding>();
  if (opts.context && opts.context.length > 0 && text.length >= 2 && !opts.excludeInfoTypes?.includes('CTX')) {
    contextFindings(text, opts.context, raw);
  }
  if (text.length >= 2) {
    const want = opts.infoTypes ? new Set(opts.infoTypes) : undefined;
    const skip = opts.excludeInfoTypes && opts.excludeInfoTypes.length > 0 ? new Set(opts.excludeInfoTypes) : undefined;
    const input: ScanInput = { text, hasDigits: HAS_DIGIT.test(text), shouting: isShouting(text) };
    const min = likelihoodRank(opts.minLikelihood ?? 'POSSIBLE');
    const parts = opts.nameParts ?? namesNameParts(opts.infoTypes, opts.excludeInfoTypes);
    const run = (d: Detector) => {
      if (d.needsDigits && !input.hasDigits) return;
      if (want && !d.infoTypes.some((t) => matches(want, t))) return;
      let found: Finding[] = [];
      d.detect(input, found);
      if (parts && found.some((f) => f.infoType === 'PERSON_NAME')) found = splitPersonNames(text, found.sort((a, b) => a.start - b.start || a.end - b.end));
      for (const f of found) {
        if (likelihoodRank(f.likelihood) < min) continue;
        if (want && !matches(want, f.infoType)) continue;
        // An excluded infoType is found but not transformed: its finding still claims its span.
        if (skip && matches(skip, f.infoType)) excluded.add(f);
        raw.push(f);
      }
    };
    for (const d of DETECTORS) run(d);
    if (opts.extraDetectors) for (const d of opts.extraDetectors) run(d);
  }
  return resolveOverlaps(raw, excluded.size > 0 ? excluded : undefined, opts.transformed);
}
