import { LEX_CLINICAL, LEX_COMMON, LEX_STOP } from './dictionaries.js';
import { CAP, UPPER, gapAfter, type Tokens } from './tokens.js';

/** Words before a ward name with a floor number ("transfer to Quartermain 2", "per Reisman 11 RN"). */
const WARD_BEFORE = new Set(['to', 'from', 'on', 'at', 'per', 'or', 'transfer', 'transferred', 'transfered']);
/** A floor number after the ward name: one or two digits, not a dose, rate or time. */
const FLOOR_AFTER = /^ ?\d{1,2}(?:\/\d{1,2})?(?!\d|[.,]\d|[:%'-]|\s*(?:mg|gms?|mcg|ml|cc|l|u|units?|hrs?|min|x|mm|cm|kg|g|meq|am|pm)\b)/i;
/** Generic unit words: "from ward 3" names no place. */
const UNIT_WORDS = new Set(['ward', 'floor', 'unit', 'room', 'bed', 'pod', 'wing', 'level', 'bay', 'bldg', 'building']);
/** Before a lower-case ward name: a move word ("transfer to quartermain 2", "from farr 4"). */
const LOWER_WARD_BEFORE = new Set(['transfer', 'transferred', 'transfered', 'trans', 'tx', 'sent', 'admitted', 'returned', 'back']);

/** Clinical abbreviations shaped like hospital initials (intracranial haemorrhage, home health). */
const NOT_HOSPITAL = new Set([
  'ich', 'sdh', 'ivh', 'sah', 'edh', 'bph', 'hh', 'dh', 'rh', 'nh', 'fh', 'lh', 'ph', 'sh', 'th', 'ch', 'uh', 'ah', 'oh', 'mh', 'doh', 'ugh', 'pph', 'lvh', 'rvh', 'nph', 'ldh', 'pth', 'tsh', 'adh', 'acth', 'fsh',
]);
const HOSPITAL_BEFORE = new Set(['to', 'at', 'from', 'by']);
/** Every word that may come right before a ward name or hospital initials: a cheap first test. */
export const ABBREV_BEFORE = new Set([...WARD_BEFORE, ...HOSPITAL_BEFORE]);

/**
 * Word i names a ward with its floor number: a word in no common, clinical
 * or function list, after a move or place word and before one or two digits.
 */
export function wardAt(text: string, t: Tokens, i: number): boolean {
  const key = t.key[i]!;
  if (key.length < 4 || i === 0 || t.lex[i]! & (LEX_COMMON | LEX_CLINICAL | LEX_STOP) || UNIT_WORDS.has(key) || key.includes('-')) return false;
  // "PSVof 15": capitals inside a word make an abbreviation, not a name.
  if (/[a-z][A-Z]|[A-Z]{2}[a-z]/.test(text.slice(t.start[i]!, t.end[i]!))) return false;
  const before = t.key[i - 1]!;
  if (!WARD_BEFORE.has(before) || gapAfter(text, t, i - 1) !== ' ') return false;
  if (!(t.flags[i]! & CAP) && before !== 'from' && !(i > 1 && LOWER_WARD_BEFORE.has(t.key[i - 2]!)) && !LOWER_WARD_BEFORE.has(before)) return false;
  return FLOOR_AFTER.test(text.slice(t.end[i]!, t.end[i]! + 12));
}

/**
 * Word i is a hospital's initials after a place word: two to four letters
 * ending in H ("GH", "JHH") or three to six ending in MC ("GBMC", "UMMC").
 */
export function hospitalInitialsAt(text: string, t: Tokens, i: number): boolean {
  const key = t.key[i]!;
  const n = key.length;
  if (n < 2 || n > 6 || i === 0) return false;
  const h = n <= 4 && key.charCodeAt(n - 1) === 104;
  const mc = n >= 3 && key.endsWith('mc');
  if (!(h || mc)) return false;
  // "to Beth Israel": a word written as a name (a capital, then lower case) is no initials.
  if ((t.flags[i]! & (CAP | UPPER)) === CAP && /[a-z]/.test(text.slice(t.start[i]! + 1, t.end[i]!))) return false;
  if (t.lex[i]! & (LEX_COMMON | LEX_CLINICAL | LEX_STOP) || (h && NOT_HOSPITAL.has(key))) return false;
  const before = t.key[i - 1]!;
  return HOSPITAL_BEFORE.has(before) && gapAfter(text, t, i - 1) === ' ' && (before !== 'by' || mc);
}
