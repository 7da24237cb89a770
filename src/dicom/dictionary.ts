import { readFileSync } from 'node:fs';
import { dataFile } from '../core/data-file.js';

/**
 * Keyword <-> tag <-> VR lookup over the PS3.6 data dictionary copied in
 * data/dicom/dictionary.compact.json (see its PROVENANCE.md). Loaded once, on
 * first use. Multi-VR entries ("OB or OW", "US or SS") resolve to their first
 * VR, which is what PS3.5 Annex A prescribes for implicit-VR pixel data (OW)
 * only in part; callers that care read the VR from the data when explicit.
 */
export interface DictEntry {
  tag: number;
  keyword: string;
  /** VR as written in PS3.6, e.g. "US or SS"; '' for a few retired tags. */
  vrs: string;
  vm: string;
  retired: boolean;
}

interface Loaded {
  /** The file's text; its exact rows follow the wildcard rows, in ascending tag order. */
  text: string;
  /** Offset of the first exact row. */
  rowsFrom: number;
  masks: { mask: number; value: number; entry: DictEntry }[];
}

let loaded: Loaded | undefined;

function toEntry(tag: number, v: string[]): DictEntry {
  return { tag, keyword: v[0] ?? '', vrs: v[1] ?? '', vm: v[2] ?? '', retired: v[3] === 'RET' };
}

/**
 * Reads the file without parsing its exact rows: JSON.parse of the whole file
 * (~5000 rows, ~25,000 objects) was the largest single cost of starting
 * `deid dicom` (~25 M instructions, ~3% of a run on 100 small instances),
 * and an instance looks up a few hundred tags at most. A row is found by
 * binary search on the text when its tag is first looked up, then parsed.
 * The wildcard rows (`_masks`, a small object) are parsed here.
 * test/dicom/dictionary.test.ts checks every row against JSON.parse of the file.
 */
function load(): Loaded {
  if (loaded) return loaded;
  const text = readFileSync(dataFile('dicom/dictionary.compact.json'), 'latin1');
  const masks: Loaded['masks'] = [];
  const m = text.indexOf('"_masks":');
  const mEnd = text.indexOf('}', m);
  if (m < 0 || mEnd < 0) throw new Error('data/dicom/dictionary.compact.json: no _masks member');
  for (const [k, v] of Object.entries(JSON.parse(text.slice(m + 9, mEnd + 1)) as Record<string, string[]>)) {
    const mask = parseInt(k.replace(/[^X]/g, 'F').replace(/X/g, '0'), 16) >>> 0;
    const value = parseInt(k.replace(/X/g, '0'), 16) >>> 0;
    masks.push({ mask, value, entry: toEntry(value, v) });
  }
  loaded = { text, rowsFrom: mEnd + 1, masks };
  return loaded;
}

const ROW = '":[';

/**
 * The value (`[...]`) of the exact row for `key` (8 upper-case hex digits).
 * Rows are `"KEY":[...]` in ascending key order, and a key, being fixed-width
 * hex, sorts as text as its tag sorts as a number.
 */
function findRow(d: Loaded, key: string): string[] | undefined {
  const text = d.text;
  let lo = d.rowsFrom;
  let hi = text.length;
  // Invariant: the row sought, if any, starts (its key's quote) in [lo, hi).
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const i = text.indexOf(ROW, mid);
    if (i < 0 || i - 9 >= hi) {
      hi = mid;
      continue;
    }
    const k = text.slice(i - 8, i);
    if (k === key) return JSON.parse(text.slice(i + 2, text.indexOf(']', i) + 1)) as string[];
    if (k < key) lo = i + 3;
    else hi = i - 9;
  }
  return undefined;
}

/** Entries made so far, by tag (exact rows of the dictionary). */
const byTag = new Map<number, DictEntry>();

function exactEntry(d: Loaded, tag: number): DictEntry | undefined {
  let e = byTag.get(tag);
  if (e) return e;
  const v = findRow(d, tag.toString(16).toUpperCase().padStart(8, '0'));
  if (!v) return undefined;
  byTag.set(tag, (e = toEntry(tag, v)));
  return e;
}

let byKeyword: Map<string, DictEntry> | undefined;

function keywords(): Map<string, DictEntry> {
  if (byKeyword) return byKeyword;
  const d = load();
  const m = new Map<string, DictEntry>();
  const text = d.text;
  for (let i = text.indexOf(ROW, d.rowsFrom); i >= 0; i = text.indexOf(ROW, i + 3)) {
    const e = exactEntry(d, parseInt(text.slice(i - 8, i), 16) >>> 0)!;
    if (e.keyword) m.set(e.keyword, e);
  }
  for (const { entry } of d.masks) if (entry.keyword && !m.has(entry.keyword)) m.set(entry.keyword, entry);
  byKeyword = m;
  return m;
}

/** Wildcard matches and misses, remembered (every element of every instance is looked up). */
const maskCache = new Map<number, DictEntry | null>();

export function lookupTag(tag: number): DictEntry | undefined {
  // PS3.6 defines no odd (private) group; a wildcard such as (60xx,3000) must not match (6001,3000).
  if ((tag >>> 16) & 1) return undefined;
  tag = tag >>> 0;
  const known = byTag.get(tag);
  if (known) return known;
  const cached = maskCache.get(tag);
  if (cached !== undefined) return cached ?? undefined;
  const d = load();
  const hit = exactEntry(d, tag);
  if (hit) return hit;
  let found: DictEntry | null = null;
  for (const m of d.masks) {
    if (((tag & m.mask) >>> 0) === m.value) {
      found = m.entry;
      break;
    }
  }
  if (maskCache.size < 65536) maskCache.set(tag, found);
  return found ?? undefined;
}

export function lookupKeyword(keyword: string): DictEntry | undefined {
  return keywords().get(keyword);
}

/** The tag of a keyword, e.g. tagOf('PatientName') === 0x00100010. */
export function tagOf(keyword: string): number | undefined {
  return lookupKeyword(keyword)?.tag;
}

export function keywordOf(tag: number): string | undefined {
  return lookupTag(tag)?.keyword || undefined;
}

/**
 * Whether PS3.6 allows `vr` for a standard attribute (`US or SS` allows
 * both). True for private and unknown tags and for VRs the dictionary leaves
 * open (`See Note`): nothing to check them against.
 */
export function dictionaryAllowsVR(tag: number, vr: string): boolean {
  const e = lookupTag(tag);
  if (!e || !e.vrs || e.vrs.startsWith('See')) return true;
  return e.vrs === vr || e.vrs.split(' or ').includes(vr);
}

/**
 * The VR to use for an element whose encoding does not carry one (implicit
 * VR). Group lengths are UL; private tags and unknown tags are UN.
 */
export function implicitVR(tag: number): string {
  if ((tag & 0xffff) === 0 ) return 'UL';
  const group = tag >>> 16;
  if (group & 1) {
    const el = tag & 0xffff;
    if (el >= 0x0010 && el <= 0x00ff) return 'LO'; // private creator
    return 'UN';
  }
  const e = lookupTag(tag);
  if (!e || !e.vrs || e.vrs.startsWith('See')) return 'UN';
  if (e.vrs === 'OB or OW') return 'OW';
  return e.vrs.slice(0, 2);
}
