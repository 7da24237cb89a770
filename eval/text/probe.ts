/**
 * Unseen-word probe on the PhysioNet DEV half (never the test half): the dev
 * half's gold names, places or dates are replaced by values no rule has seen,
 * at the same offsets, and the generic detectors are scored on the replaced
 * spans only (found = any overlapping finding; the overlap rule of the eval).
 *   npm run eval:probe            # five seeds, mean and range per probe
 *   npm run eval:probe -- --dump places   # the replaced spans still missed (every seed)
 *   npm run eval:probe -- --dev-part A    # dev part A only (patient id ≡ 1 mod 4; B: ≡ 3 mod 4, never dumped)
 *
 * Replacements keep each character's shape (case, digit, punctuation):
 *  - names: every letter run becomes a made-up word in no word list;
 *  - names-ambig: each name word becomes an ambiguous surname of deid's list
 *    (English words: "Bell", "Rose"), capitalised as the original;
 *  - places: letter runs that are not common English words, state/country
 *    names or abbreviations of up to three letters ("GH", "St.") become
 *    made-up words ("Calvert Hospital" -> "Tamuvex Hospital",
 *    "QUARTERMAIN 2" -> "BIGOSAMUNTE 2"); structure words stay;
 *  - places-all: every letter run of a place, structure words included;
 *  - places-towns: the words "places" replaces become one-word US towns of
 *    deid's location list (real names: gazetteer and context rules together);
 *  - dates: numeric month/day(/year) dates get a random month and day of the
 *    same digit counts (a 2-digit month is 10-12), and a random year;
 *  - date-forms: the same dates written in another of the ways clinical notes
 *    write dates ("Jan 3", "3rd of January", "01/03/04", "1-3-2004"…), upper
 *    case in all-capitals notes;
 *  - phone-forms: phone numbers of ten digits written in another NANP layout
 *    ("(617) 555-1212", "617.555.1212", "555-1212"…), pager numbers of four or
 *    five digits as another pager form ("4-1234", "#54321", "x4417").
 * Made-up words alternate consonants and vowels, so they read like names.
 */
import { loadPhysionet, physionetList, splitByPatient, splitDev, type Doc, type GoldSpan } from './corpora.js';
import { genericPredictor } from './predictors.js';
import { LEX_COMMON, lexFlags, regionNames } from '../../src/detectors/dictionaries.js';

const NAME_TYPES = new Set(['HCPName', 'RelativeProxyName', 'PTName']);
const NUMERIC_DATE = /^(\d{1,2})([/-])(\d{1,2})(?:([/-])(\d{2}|\d{4}))?$/;

/** Park-Miller generator: same seed, same replacements. */
function rng(seed: number): () => number {
  let s = seed % 2147483647 || 1;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

const CONS = 'bdfgklmnprstvz';
const VOW = 'aeiou';

function madeUp(len: number, r: () => number): string {
  for (;;) {
    let w = '';
    const startVowel = r() < 0.3;
    for (let i = 0; i < len; i++) {
      const pool = (i % 2 === 0) !== startVowel ? CONS : VOW;
      w += pool[Math.floor(r() * pool.length)];
    }
    if (len < 2 || lexFlags(w) === 0) return w;
  }
}

/** `w` written in the letter case of `like`, character by character (the last one's case for the rest). */
function caseLike(w: string, like: string): string {
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const c = like[Math.min(i, like.length - 1)]!;
    out += c >= 'A' && c <= 'Z' ? w[i]!.toUpperCase() : w[i]!;
  }
  return out;
}

type Kind = 'names' | 'names-ambig' | 'places' | 'places-all' | 'places-towns' | 'dates' | 'date-forms' | 'phone-forms';

interface Probed {
  doc: Doc;
  spans: GoldSpan[];
}

function pad(n: number, digits: number): string {
  return String(n).padStart(digits, '0');
}

function randomDate(s: string, r: () => number): string | undefined {
  const m = NUMERIC_DATE.exec(s);
  if (!m) return undefined;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const month = m[1]!.length === 1 ? int(1, 9) : m[1]![0] === '0' ? int(1, 9) : int(10, 12);
  const day = m[3]!.length === 1 ? int(1, 9) : m[3]![0] === '0' ? int(1, 9) : int(10, 28);
  let out = `${m[1]!.length === 2 ? pad(month, 2) : month}${m[2]}${m[3]!.length === 2 ? pad(day, 2) : day}`;
  if (m[5]) out += m[4]! + (m[5].length === 2 ? pad(int(0, 99), 2) : String(int(1950, 2030)));
  return out;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINAL = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

/** A random date written in one of the forms of clinical notes. */
function randomDateForm(s: string, r: () => number, shouting: boolean): string | undefined {
  if (!NUMERIC_DATE.test(s)) return undefined;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const mo = int(1, 12);
  const d = int(1, 28);
  const y = int(1990, 2025);
  const yy = pad(y % 100, 2);
  const name = MONTHS[mo - 1]!;
  const abbr = name.slice(0, 3);
  const forms = [
    `${mo}/${d}`, `${mo}/${d}/${yy}`, `${pad(mo, 2)}/${pad(d, 2)}/${y}`, `${mo}-${d}-${y}`, `${mo}-${d}-${yy}`, `${mo}.${d}.${yy}`,
    `${abbr} ${d}`, `${abbr}. ${d}`, `${abbr} ${ORDINAL(d)}`, `${d} ${abbr}`, `${d}-${abbr}-${y}`, `${name} ${d}, ${y}`,
    `${name} ${d}`, `${ORDINAL(d)} of ${name}`, `${y}-${pad(mo, 2)}-${pad(d, 2)}`, `${pad(mo, 2)}/${pad(d, 2)}`, `${abbr} ${d}, ${y}`,
  ];
  const out = forms[Math.floor(r() * forms.length)]!;
  return shouting ? out.toUpperCase() : out;
}

/** A random phone number in another layout of the same kind (a full number, or a pager/extension). */
function randomPhoneForm(s: string, r: () => number): string | undefined {
  const digits = s.replace(/\D/g, '');
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const n = (k: number) => Array.from({ length: k }, (_, i) => String(i === 0 ? int(2, 9) : int(0, 9))).join('');
  if (digits.length >= 10) {
    const [a, b, c] = [n(3), n(3), n(4)];
    const forms = [`(${a}) ${b}-${c}`, `(${a})${b}-${c}`, `${a}.${b}.${c}`, `${a} ${b} ${c}`, `${a}-${b}-${c}`, `${a}/${b}-${c}`, `1-${a}-${b}-${c}`, `${b}-${c}`, `${a} ${b}-${c}`, `${a}-${b}${c}`];
    return forms[Math.floor(r() * forms.length)]!;
  }
  if (digits.length === 4 || digits.length === 5) {
    const forms = [n(5), n(4), `${int(1, 9)}-${n(4)}`, `#${n(5)}`, `x${n(4)}`];
    return forms[Math.floor(r() * forms.length)]!;
  }
  return undefined;
}

function replaceSpan(s: string, kind: Kind, r: () => number, pool: string[], shouting = false): string | undefined {
  if (kind === 'dates') return randomDate(s, r);
  if (kind === 'date-forms') return randomDateForm(s, r, shouting);
  if (kind === 'phone-forms') return randomPhoneForm(s, r);
  if ((kind === 'places' || kind === 'places-towns') && regionNames().has(s.toLowerCase().replace(/[\s-]+/g, ' '))) return undefined;
  let changed = false;
  const out = s.replace(/[A-Za-z]+/g, (w) => {
    const k = w.toLowerCase();
    if ((kind === 'places' || kind === 'places-towns') && ((lexFlags(k) & LEX_COMMON) !== 0 || regionNames().has(k) || w.length <= 3)) return w;
    changed = true;
    if (kind === 'names-ambig' || kind === 'places-towns') {
      const a = pool[Math.floor(r() * pool.length)]!;
      return w === w.toUpperCase() && w.length > 1 ? a.toUpperCase() : a[0]!.toUpperCase() + a.slice(1).toLowerCase();
    }
    return caseLike(madeUp(w.length, r), w);
  });
  return changed ? out : undefined;
}

function probe(dev: Doc[], kind: Kind, seed: number, ambig: string[]): Probed[] {
  const r = rng(seed * 7919 + kind.length);
  const want = (g: GoldSpan) =>
    kind.startsWith('names') ? NAME_TYPES.has(g.type) : kind.startsWith('places') ? g.type === 'Location' : kind === 'phone-forms' ? g.type === 'Phone' : g.type === 'Date';
  const out: Probed[] = [];
  for (const d of dev) {
    let text = '';
    let at = 0;
    const spans: GoldSpan[] = [];
    const letters = d.text.slice(0, 4000).replace(/[^A-Za-z]/g, '');
    const upper = letters.replace(/[^A-Z]/g, '').length;
    const shouting = upper > 8 && upper > 3 * (letters.length - upper);
    // Left to right, with the text rebuilt as it goes: an ambiguous surname may change a span's length.
    for (const g of d.gold.slice().sort((a, b) => a.start - b.start)) {
      if (!want(g) || g.start < at) continue;
      const rep = replaceSpan(d.text.slice(g.start, g.end), kind, r, ambig, shouting);
      if (rep === undefined) continue;
      text += d.text.slice(at, g.start);
      spans.push({ start: text.length, end: text.length + rep.length, type: g.type });
      text += rep;
      at = g.end;
    }
    if (spans.length === 0) continue;
    out.push({ doc: { ...d, text: text + d.text.slice(at) }, spans });
  }
  return out;
}

function score(items: Probed[], dumpMissed: boolean): { found: number; total: number } {
  const predict = genericPredictor();
  let found = 0;
  let total = 0;
  for (const { doc, spans } of items) {
    const preds = predict(doc);
    for (const g of spans) {
      total++;
      if (preds.some((p) => p.start < g.end && g.start < p.end)) found++;
      else if (dumpMissed) console.log(`${g.type}\t${doc.text.slice(Math.max(0, g.start - 30), g.start)}[[${doc.text.slice(g.start, g.end)}]]${doc.text.slice(g.end, g.end + 20)}`.replace(/\n/g, ' '));
    }
  }
  return { found, total };
}

function main(): void {
  const args = process.argv.slice(2);
  const dumpAt = args.indexOf('--dump');
  const dumpKind = dumpAt >= 0 ? (args[dumpAt + 1] as Kind) : undefined;
  const partAt = args.indexOf('--dev-part');
  const part = partAt >= 0 ? args[partAt + 1] : undefined;
  if (part !== undefined && part !== 'A' && part !== 'B') throw new Error('--dev-part takes A or B');
  if (part === 'B' && dumpKind) throw new Error('--dump is refused for dev part B: it is only scored, never read');
  const half = splitByPatient(loadPhysionet()).dev;
  const dev = part === undefined ? half : splitDev(half)[part];
  const ambig = physionetList('last_names_ambig.txt');
  // One-word US towns of deid's location list (real names: the gazetteer and the context rules together).
  const towns = physionetList('locations_unambig.txt').filter((w) => /^[A-Z]+$/.test(w));
  const kinds: Kind[] = ['names', 'names-ambig', 'places', 'places-all', 'places-towns', 'dates', 'date-forms', 'phone-forms'];
  const seeds = [1, 2, 3, 4, 5];
  console.log(`Unseen-word probe, PhysioNet ${part === undefined ? 'dev half' : `dev part ${part}`}, generic detectors: replaced gold spans still found (overlap), seeds 1-5`);
  for (const kind of kinds) {
    if (dumpKind && kind !== dumpKind) continue;
    const rs = seeds.map((s) => score(probe(dev, kind, s, kind === 'places-towns' ? towns : ambig), dumpKind === kind));
    const fr = rs.map((x) => x.found / x.total);
    const mean = fr.reduce((a, b) => a + b, 0) / fr.length;
    console.log(
      `  ${kind.padEnd(12)} ${mean.toFixed(3)} (${Math.min(...fr).toFixed(3)}-${Math.max(...fr).toFixed(3)}; found ${rs.map((x) => x.found).join('/')} of ${rs[0]!.total})`,
    );
  }
}

main();
