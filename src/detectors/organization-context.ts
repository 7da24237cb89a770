import type { Finding } from '../text/types.js';
import { CLINICAL_WORDS, LEX_COMMON, LEX_NAME, LEX_STOP, fold, lexFlags } from './dictionaries.js';
import { TITLES } from './name-words.js';
import { tokensOf } from './tokens.js';
import type { Detector, ScanInput } from './types.js';

/**
 * ORGANIZATION_NAME from context: capitalised words after a word that says
 * an organisation follows ("works for", "employed by", "CEO of", "insured
 * by", "two years at"), or before one ("the X office", "X is a company",
 * "X was founded"), or the line under a name in a signature block whose
 * address follows within three lines. The words must be capitalised (a text in capitals gives
 * no cue, so there only words that are not English words are taken after a
 * cue: "CEO OF IBM"), may be joined by and, &, of, the, for, de, and are not taken when
 * they are a title, a clinical word, or one common English word alone.
 */
const WORD = String.raw`(?:\p{Lu}|\p{N}{1,3}\p{Lu})(?:[\p{L}\p{N}&'’-]|\.(?=\p{L})){0,30}`;
const NAME = String.raw`${WORD}(?:(?: | and | & | of | the | for | de | du | la | von | van )${WORD}){0,5}`;
const NAME_AT = new RegExp(NAME, 'uy');

/** Read at the start of a word whose folded form is in CUE_HEADS. */
const BEFORE_CUE = new RegExp(
  String.raw`(?:work(?:s|ed|ing)?\s+(?:for|at)|employed\s+(?:by|at|with)|employee\s+(?:of|at)|employer(?:\s+is)?:?|(?:job|position|internship)\s+(?:at|with)|retired\s+from|hired\s+by|joined|(?:ceo|cfo|cto|coo|founder|co-founder|president|chairman|chairwoman|vice\s+president|director|owner)\s+(?:of|at)|insured\s+(?:by|with|through)|insurance(?:\s+(?:company|carrier|provider))?(?:\s+is|\s+with|\s+through|:)|insurer(?:\s+is|:)|(?:years?|months?|weeks?)\s+at)[ \t]{1,2}`,
  'iy',
);
const CUE_HEADS = new Set(
  ('work works worked working employed employee employer job position internship retired hired joined ceo cfo cto coo founder ' +
    'co-founder president chairman chairwoman vice director owner insured insurance insurer year years month months week weeks').split(' '),
);

const KIND = String.raw`company|agency|firm|start-?up|bank|corporation|non-?profit|charity|organi[sz]ation|501\(c\)\(?3\)?|manufacturer|insurer|employer|business|retailer|brainchild|consultancy|multinational|subsidiary`;
/** Cues after the name; the name is the capitalised run that ends where the cue starts. */
const AFTER_CUES: { re: RegExp; hint: RegExp; afterThe: boolean }[] = [
  { re: / (?:office|offices|website|headquarters|employees)\b/g, hint: /office|website|headquarters|employees/, afterThe: true },
  { re: new RegExp(String.raw` (?:is|was) (?:a|an|the) (?:[\p{L}-]{1,20} ){0,3}?(?:${KIND})\b`, 'gu'), hint: / (?:is|was) (?:a|an|the) /, afterThe: false },
  { re: / (?:was|were) founded\b/g, hint: / founded\b/, afterThe: false },
];
const AFTER_HINT = /office|website|headquarters|employees| founded\b| (?:is|was) (?:a|an|the) /;
const NAME_END = new RegExp(String.raw`(?<![\p{L}\p{N}&'’.-])(?:${NAME})$`, 'u');
const THE_END = /(?:^|[^\p{L}])[Tt]he $/u;

/** Abbreviations whose full stop belongs to the name. */
const KEEP_DOT = /(?:Inc|Co|Corp|Ltd|Bros|L\.L\.C)$/;
/** Public programmes, not organisations that identify anyone. */
const NOT_ORG = new Set(['medicare', 'medicaid', 'medi-cal', 'masshealth', 'tricare']);

/** The name's span after trimming a leading "The", a possessive and a sentence full stop; undefined when it is no organisation. */
function accept(text: string, start: number, name: string, shouting = false): { start: number; end: number } | undefined {
  let s = start;
  let v = name;
  if (v.startsWith('The ')) {
    s += 4;
    v = v.slice(4);
  }
  v = v.replace(/['’]s$/, '').replace(/[-'’&]+$/, '');
  const words = v.split(/[ -]+/).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0 || v.replace(/[^\p{L}]/gu, '').length < 3) return undefined;
  const keys = words.map((w) => fold(w.replace(/['’.]/g, '')));
  const first = keys[0]!;
  if (TITLES.has(first) || lexFlags(first) & LEX_STOP || NOT_ORG.has(keys.join(' '))) return undefined;
  if (keys.every((k) => CLINICAL_WORDS.has(k))) return undefined;
  if (keys.length === 1 && lexFlags(first) & LEX_COMMON) return undefined;
  // In capitals every word looks like a name: take only words that are not English words ("CEO OF IBM").
  if (shouting && (keys.length > 3 || keys.some((k) => lexFlags(k) & LEX_COMMON))) return undefined;
  const end = s + v.length;
  return { start: s, end: KEEP_DOT.test(v) && text.charCodeAt(end) === 46 ? end + 1 : end };
}

/** A line that starts a postal address: a house number or a military / PO box address. */
const ADDRESS_START = /^[>?\t ]*(?:\d{1,6}[A-Za-z]? (?:\d{1,5} )?\p{Lu}|(?:PSC|Unit|USNS|USNV|USS|USCGC|P\.? ?O\.? Box)\b)/gimu;
const SHORT_LINE = /^[>?\s]*(?:[\p{L}.'’-]+ ?){1,4}$/u;
const ORG_LINE = new RegExp(String.raw`^([>?\s]*)(${NAME})\s*$`, 'u');

function personLine(name: string): boolean {
  return name.split(/[ -]+/).every((w) => (lexFlags(fold(w.replace(/\.$/, ''))) & LEX_NAME) !== 0 || /^\p{Lu}\.?$/u.test(w));
}

function lineAt(text: string, start: number): string {
  const e = text.indexOf('\n', start);
  return text.slice(start, e < 0 ? text.length : e);
}

/** Signature blocks: "Name / Organisation / address", found from the address lines up. */
function signatureLines(text: string, out: Finding[]): void {
  const seen = new Set<number>();
  ADDRESS_START.lastIndex = 0;
  let a: RegExpExecArray | null;
  while ((a = ADDRESS_START.exec(text)) !== null) {
    // The three lines above the address line: each may be the organisation.
    let lineStart = a.index;
    for (let k = 0; k < 3 && lineStart > 0; k++) {
      const start = text.lastIndexOf('\n', lineStart - 2) + 1;
      if (start === 0 || seen.has(start)) break;
      seen.add(start);
      const line = text.slice(start, lineStart - 1);
      lineStart = start;
      const m = ORG_LINE.exec(line);
      if (!m || personLine(m[2]!)) continue;
      const above = lineAt(text, text.lastIndexOf('\n', start - 2) + 1);
      if (!SHORT_LINE.test(above) || /\d/.test(above)) continue;
      // Name / job title / organisation / address: the organisation is the line just before the address or a person.
      const next = ORG_LINE.exec(lineAt(text, start + line.length + 1));
      if (next && !personLine(next[2]!)) continue;
      const span = accept(text, start + m[1]!.length, m[2]!);
      if (span) out.push({ ...span, infoType: 'ORGANIZATION_NAME', likelihood: 'POSSIBLE' });
    }
  }
}

export const organizationContextDetector: Detector = {
  name: 'organization-context',
  infoTypes: ['ORGANIZATION_NAME'],
  needsDigits: false,
  detect(input: ScanInput, out: Finding[]): void {
    const text = input.text;
    const t = tokensOf(input);
    for (let i = 0; i < t.count; i++) {
      if (!CUE_HEADS.has(t.key[i]!)) continue;
      BEFORE_CUE.lastIndex = t.start[i]!;
      const m = BEFORE_CUE.exec(text);
      if (m) {
        const at = m.index + m[0].length;
        NAME_AT.lastIndex = at;
        const n = NAME_AT.exec(text);
        if (!n) continue;
        const span = accept(text, at, n[0], input.shouting);
        if (span) out.push({ ...span, infoType: 'ORGANIZATION_NAME', likelihood: 'LIKELY' });
      }
    }
    if (input.shouting) return;
    if (text.includes('\n') && input.hasDigits) signatureLines(text, out);
    if (!AFTER_HINT.test(text)) return;
    for (const { re, hint, afterThe } of AFTER_CUES) {
      if (!hint.test(text)) continue;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        const from = Math.max(0, m.index - 240);
        const before = text.slice(from, m.index);
        const n = NAME_END.exec(before);
        if (!n || (afterThe && !n[0].startsWith('The ') && !THE_END.test(before.slice(Math.max(0, n.index - 5), n.index)))) continue;
        const span = accept(text, from + n.index, n[0]);
        if (span) out.push({ ...span, infoType: 'ORGANIZATION_NAME', likelihood: 'LIKELY' });
      }
    }
  },
};
