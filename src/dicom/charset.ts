/**
 * Text values as characters under a dataset's Specific Character Set
 * (0008,0005): the defined terms of PS3.3 C.12.1.1.2 (Tables C.12-2 to
 * C.12-5) and the ISO 2022 code extensions of PS3.5 6.1.2.5. A value is read
 * so that the detectors and the patient's context values see the characters it
 * encodes; read as Latin-1, Chinese, Japanese or Korean running text is a
 * string of accented letters in which no name has a word boundary.
 *
 * decode() returns undefined for a value whose bytes the charset does not
 * define (an unknown term, an invalid sequence, an escape sequence where code
 * extensions are not in use): such a value cannot be inspected, and the
 * caller must not keep it as if it had been. encode() writes characters back
 * in the same charset; a character it cannot hold becomes '?'.
 *
 * Node's TextDecoder (WHATWG Encoding, full ICU) does the decoding. JIS X 0208
 * and 0212 in G0 are read as EUC-JP (the same code points with the high bit
 * set), KS X 1001 and GB 2312 in G1 as EUC-KR and GBK.
 */

export interface TextCodec {
  /** The value's characters; undefined when the bytes cannot be read under this charset. */
  decode(bytes: Buffer): string | undefined;
  /** `text` in this charset; characters it cannot hold become '?'. */
  encode(text: string): Buffer;
}

/** Single-byte (and UTF-8/GB) terms without code extensions → WHATWG encoding label. */
const PLAIN: Record<string, string> = {
  ISO_IR_101: 'iso-8859-2',
  ISO_IR_109: 'iso-8859-3',
  ISO_IR_110: 'iso-8859-4',
  ISO_IR_144: 'iso-8859-5',
  ISO_IR_127: 'iso-8859-6',
  ISO_IR_126: 'iso-8859-7',
  ISO_IR_138: 'iso-8859-8',
  ISO_IR_148: 'iso-8859-9',
  ISO_IR_203: 'iso-8859-15',
  ISO_IR_166: 'windows-874',
  ISO_IR_13: 'shift_jis',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** ISO 2022 `ESC - F` (96-character set to G1): final byte → encoding label, and the term that names it. */
const G1_96: Record<string, [label: string, term: string]> = {
  A: ['latin1', 'ISO 2022 IR 100'],
  B: ['iso-8859-2', 'ISO 2022 IR 101'],
  C: ['iso-8859-3', 'ISO 2022 IR 109'],
  D: ['iso-8859-4', 'ISO 2022 IR 110'],
  L: ['iso-8859-5', 'ISO 2022 IR 144'],
  G: ['iso-8859-6', 'ISO 2022 IR 127'],
  F: ['iso-8859-7', 'ISO 2022 IR 126'],
  H: ['iso-8859-8', 'ISO 2022 IR 138'],
  M: ['iso-8859-9', 'ISO 2022 IR 148'],
  T: ['windows-874', 'ISO 2022 IR 166'],
  b: ['iso-8859-15', 'ISO 2022 IR 203'],
};

const ESC = 0x1b;

/** Splits and normalises the terms of (0008,0005): `ISO_IR 100`, `ISO_IR_100` and `ISO-IR 100` alike. */
export function charsetTerms(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split('\\').map((raw) => {
    const t = raw.trim().toUpperCase();
    const ext = /^ISO[ _-]?2022[ _-]?IR[ _-]?(\d+)$/.exec(t);
    if (ext) return `ISO 2022 IR ${ext[1]}`;
    const plain = /^ISO[ _-]?IR[ _-]?(\d+)$/.exec(t);
    return plain ? `ISO_IR ${plain[1]}` : t;
  });
}

const CODECS = new Map<string, TextCodec>();

/** The codec of a Specific Character Set value (undefined or '' = the default repertoire). */
export function textCodec(specificCharacterSet: string | undefined): TextCodec {
  const key = specificCharacterSet ?? '';
  let c = CODECS.get(key);
  if (!c) {
    c = makeCodec(charsetTerms(specificCharacterSet));
    if (CODECS.size > 64) CODECS.clear();
    CODECS.set(key, c);
  }
  return c;
}

function makeCodec(terms: string[]): TextCodec {
  if (terms.some((t) => t.startsWith('ISO 2022 '))) return iso2022Codec(terms);
  const first = terms[0] ?? '';
  // The default repertoire (and no value at all) is read as Latin-1, as files
  // that write Latin-1 without saying so are common; ISO_IR 100 is Latin-1.
  if (first === '' || first === 'ISO_IR 6' || first === 'ISO_IR 100') return LATIN1;
  if (first === 'ISO_IR 192') return UTF8;
  const label = PLAIN[first.replace(' ', '_')];
  return label ? tableCodec(label) : ASCII_ONLY;
}

const LATIN1: TextCodec = {
  decode: (b) => (b.includes(ESC) ? undefined : b.toString('latin1')),
  encode: (s) => Buffer.from(s.replace(/[^\x20-\x7e\t\n\f\r\xa0-\xff]/g, '?'), 'latin1'),
};

const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF8: TextCodec = {
  decode: (b) => (b.includes(ESC) ? undefined : tryDecode(UTF8_DECODER, b)),
  // lone surrogates become U+FFFD
  encode: (s) => Buffer.from(s.replace(/[\0-\x08\x0b\x0e-\x1f\x7f]/g, '?'), 'utf8'),
};

/** An unknown term: only ASCII text can be read. */
const ASCII_ONLY: TextCodec = {
  decode: (b) => {
    for (const x of b) if (x >= 0x80 || x === ESC) return undefined;
    return b.toString('latin1');
  },
  encode: (s) => Buffer.from(asciiOnly(s), 'latin1'),
};

function asciiOnly(s: string): string {
  return s.replace(/[^\x20-\x7e\t\n\f\r]/g, '?');
}

function tryDecode(d: TextDecoder, b: Uint8Array): string | undefined {
  try {
    return d.decode(b);
  } catch {
    return undefined;
  }
}

const DECODERS = new Map<string, TextDecoder>();
function decoder(label: string): TextDecoder {
  let d = DECODERS.get(label);
  if (!d) DECODERS.set(label, (d = new TextDecoder(label, { fatal: true })));
  return d;
}

/** A charset without code extensions, encoded through its reverse table. */
function tableCodec(label: string): TextCodec {
  const d = decoder(label);
  return {
    decode: (b) => (b.includes(ESC) ? undefined : tryDecode(d, b)),
    encode: (s) => {
      const table = reverseTable(label);
      const out: number[] = [];
      for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (c < 0x80) out.push(isTextAscii(c) ? c : 0x3f);
        else for (const x of table.get(ch) ?? [0x3f]) out.push(x);
      }
      return Buffer.from(out);
    },
  };
}

function isTextAscii(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 9 || c === 10 || c === 12 || c === 13;
}

const TABLES = new Map<string, Map<string, number[]>>();

/**
 * Character → bytes for a charset, made once by decoding every code of one
 * byte from 0x80 and of two bytes (lead from 0x81, trail from 0x40);
 * GB18030's four-byte codes are left out (their characters become '?').
 * `euc-jp-0208`: JIS X 0208 alone, EUC-JP's codes of two bytes 0xA1-0xFE.
 */
function reverseTable(label: string): Map<string, number[]> {
  let t = TABLES.get(label);
  if (t) return t;
  t = new Map();
  if (label === 'euc-jp-0208') {
    const jp = decoder('euc-jp');
    for (let a = 0xa1; a <= 0xfe; a++) {
      for (let b = 0xa1; b <= 0xfe; b++) {
        const s = tryDecode(jp, Uint8Array.of(a, b));
        if (s !== undefined && [...s].length === 1 && !t.has(s)) t.set(s, [a, b]);
      }
    }
    TABLES.set(label, t);
    return t;
  }
  const d = decoder(label);
  const put = (bytes: number[]) => {
    const s = tryDecode(d, Uint8Array.from(bytes));
    if (s !== undefined && [...s].length === 1 && s !== '\ufffd' && !t!.has(s)) t!.set(s, bytes);
  };
  for (let a = 0x80; a <= 0xff; a++) put([a]);
  if (label === 'gb18030' || label === 'gbk' || label === 'euc-kr' || label === 'shift_jis') {
    for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x40; b <= 0xfe; b++) if (b !== 0x7f) put([a, b]);
  }
  TABLES.set(label, t);
  return t;
}

// ---------------------------------------------------------------------------
// ISO 2022 (PS3.5 6.1.2.5): escape sequences switch G0 (bytes 0x21-0x7E) and
// G1 (bytes 0xA1-0xFE) between the sets the terms name.

type G0 = 'ascii' | 'romaji' | 'jis0208' | 'jis0212';
type G1 = null | 'katakana' | 'ksx1001' | 'gb2312' | { label: string };

interface State {
  g0: G0;
  g1: G1;
}

function initialState(terms: string[]): State {
  const first = terms[0] ?? '';
  if (first === 'ISO 2022 IR 13') return { g0: 'romaji', g1: 'katakana' };
  const g = Object.values(G1_96).find(([, term]) => term === first);
  return { g0: 'ascii', g1: g ? { label: g[0] } : null };
}

/** Reads the escape sequence at `i` into `st`; returns its length, or 0 when it is not one deid reads. */
function escape(b: Buffer, i: number, st: State): number {
  const s = b.toString('latin1', i + 1, Math.min(b.length, i + 4));
  if (s.startsWith('(B')) return (st.g0 = 'ascii'), 3;
  if (s.startsWith('(J')) return (st.g0 = 'romaji'), 3;
  if (s.startsWith('$B') || s.startsWith('$@')) return (st.g0 = 'jis0208'), 3;
  if (s.startsWith('$(D')) return (st.g0 = 'jis0212'), 4;
  if (s.startsWith(')I')) return (st.g1 = 'katakana'), 3;
  if (s.startsWith('$)C')) return (st.g1 = 'ksx1001'), 4;
  if (s.startsWith('$)A')) return (st.g1 = 'gb2312'), 4;
  if (s[0] === '-' && s.length >= 2 && G1_96[s[1]!]) return (st.g1 = { label: G1_96[s[1]!]![0] }), 3;
  return 0;
}

function iso2022Codec(terms: string[]): TextCodec {
  return {
    decode: (b) => decodeIso2022(b, terms),
    encode: (s) => encodeIso2022(s, terms),
  };
}

function decodeIso2022(b: Buffer, terms: string[]): string | undefined {
  const st = initialState(terms);
  let out = '';
  // bytes of the current run, in the encoding `runLabel` reads
  let run: number[] = [];
  let runLabel = '';
  const flush = (): boolean => {
    if (run.length === 0) return true;
    const s = runLabel === 'latin1' ? Buffer.from(run).toString('latin1') : tryDecode(decoder(runLabel), Uint8Array.from(run));
    run = [];
    if (s === undefined) return false;
    out += s;
    return true;
  };
  const into = (label: string, ...bytes: number[]): boolean => {
    if (label !== runLabel && !flush()) return false;
    runLabel = label;
    run.push(...bytes);
    return true;
  };
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    if (x === ESC) {
      const n = escape(b, i, st);
      if (n === 0) return undefined;
      i += n;
      continue;
    }
    if (x < 0x80) {
      if ((st.g0 === 'jis0208' || st.g0 === 'jis0212') && x >= 0x21 && x <= 0x7e) {
        const y = b[i + 1];
        if (y === undefined || y < 0x21 || y > 0x7e) return undefined;
        const ok = st.g0 === 'jis0208' ? into('euc-jp', x | 0x80, y | 0x80) : into('euc-jp', 0x8f, x | 0x80, y | 0x80);
        if (!ok) return undefined;
        i += 2;
        continue;
      }
      // JIS X 0201 romaji is read as ASCII: its 05/12 (a yen sign there) is the value delimiter all the same.
      if (!into('latin1', x)) return undefined;
      i++;
      continue;
    }
    const g1 = st.g1;
    if (g1 === null) return undefined;
    if (g1 === 'katakana') {
      if (x < 0xa1 || x > 0xdf || !into('euc-jp', 0x8e, x)) return undefined;
      i++;
    } else if (g1 === 'ksx1001' || g1 === 'gb2312') {
      const y = b[i + 1];
      if (y === undefined || y < 0xa1 || !into(g1 === 'ksx1001' ? 'euc-kr' : 'gbk', x, y)) return undefined;
      i += 2;
    } else {
      if (!into(g1.label, x)) return undefined;
      i++;
    }
  }
  return flush() ? out : undefined;
}

/**
 * Writes `s` with the sets the terms allow: ASCII in G0 between them, and
 * back to ASCII before the end of the value and before every ASCII character
 * (delimiters included, PS3.5 6.1.2.5.3).
 */
function encodeIso2022(s: string, terms: string[]): Buffer {
  const out: number[] = [];
  const st = initialState(terms);
  const has = (t: string) => terms.includes(t);
  const ascii = () => {
    if (st.g0 !== 'ascii' && st.g0 !== 'romaji') {
      out.push(ESC, 0x28, 0x42);
      st.g0 = 'ascii';
    }
  };
  const g1Sets = Object.values(G1_96).filter(([, term]) => has(term));
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      ascii();
      out.push(isTextAscii(c) ? c : 0x3f);
      continue;
    }
    if (has('ISO 2022 IR 13') && c >= 0xff61 && c <= 0xff9f) {
      // JIS X 0201 katakana in G1 (half-width forms)
      ascii();
      if (st.g1 !== 'katakana') {
        out.push(ESC, 0x29, 0x49);
        st.g1 = 'katakana';
      }
      out.push(0xa1 + (c - 0xff61));
      continue;
    }
    if (has('ISO 2022 IR 87')) {
      const e = reverseTable('euc-jp-0208').get(ch);
      if (e) {
        if (st.g0 !== 'jis0208') {
          out.push(ESC, 0x24, 0x42);
          st.g0 = 'jis0208';
        }
        out.push(e[0]! & 0x7f, e[1]! & 0x7f);
        continue;
      }
    }
    const two: Array<[string, 'ksx1001' | 'gb2312', number[]]> = [
      ['ISO 2022 IR 149', 'ksx1001', [ESC, 0x24, 0x29, 0x43]],
      ['ISO 2022 IR 58', 'gb2312', [ESC, 0x24, 0x29, 0x41]],
    ];
    let done = false;
    for (const [term, set, esc] of two) {
      if (!has(term)) continue;
      const e = reverseTable(set === 'ksx1001' ? 'euc-kr' : 'gbk').get(ch);
      if (!e || e.length !== 2 || e[0]! < 0xa1 || e[1]! < 0xa1) continue;
      ascii();
      if (st.g1 !== set) {
        out.push(...esc);
        st.g1 = set;
      }
      out.push(e[0]!, e[1]!);
      done = true;
      break;
    }
    if (done) continue;
    for (const [label, term] of g1Sets) {
      const e = reverseTable(label).get(ch);
      if (!e || e.length !== 1) continue;
      ascii();
      const cur = st.g1;
      if (!(cur && typeof cur === 'object' && cur.label === label)) {
        const final = Object.entries(G1_96).find(([, [, t]]) => t === term)![0];
        out.push(ESC, 0x2d, final.charCodeAt(0));
        st.g1 = { label };
      }
      out.push(e[0]!);
      done = true;
      break;
    }
    if (!done) {
      ascii();
      out.push(0x3f);
    }
  }
  ascii();
  return Buffer.from(out);
}
