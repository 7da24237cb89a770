import { readFileSync } from 'node:fs';
import { dataFile } from '../../core/data-file.js';

/**
 * PS3.15 Table E.1-1 (Application Level Confidentiality Profile Attributes),
 * read from data/dicom/ps315 (see its PROVENANCE.md). Never a hand-typed list:
 * every action the profile engine applies comes from a row of this table.
 */
export const OPTION_COLUMNS = [
  'rtnSafePrivOpt',
  'rtnUIDsOpt',
  'rtnDevIdOpt',
  'rtnInstIdOpt',
  'rtnPatCharsOpt',
  'rtnLongFullDatesOpt',
  'rtnLongModifDatesOpt',
  'cleanDescOpt',
  'cleanStructContOpt',
  'cleanGraphOpt',
] as const;
export type OptionColumn = (typeof OPTION_COLUMNS)[number];

export interface ProfileRow {
  /** Lower-case id as in the table: '00100010', '60xx3000', 'ggggeeee-where-gggg-is-odd'. */
  id: string;
  /** Basic profile code: X, Z, D, U, K, C, X/Z, X/D, X/Z/D, Z/D, X/Z/U*. */
  basic: string;
  /** Option column → 'K' | 'C' for the options that affect this attribute. */
  options: Partial<Record<OptionColumn, string>>;
}

interface Loaded {
  exact: Map<number, ProfileRow>;
  masks: { mask: number; value: number; row: ProfileRow }[];
  privateRow: ProfileRow | undefined;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const url = dataFile('dicom/ps315/confidentiality_profile_attributes.json');
  const rows = JSON.parse(readFileSync(url, 'utf8')) as Record<string, string>[];
  const exact = new Map<number, ProfileRow>();
  const masks: Loaded['masks'] = [];
  let privateRow: ProfileRow | undefined;
  for (const r of rows) {
    const id = String(r.id ?? '').toLowerCase();
    const row: ProfileRow = { id, basic: String(r.basicProfile ?? ''), options: {} };
    for (const c of OPTION_COLUMNS) if (typeof r[c] === 'string' && r[c]) row.options[c] = r[c];
    if (/^[0-9a-f]{8}$/.test(id)) {
      exact.set(parseInt(id, 16) >>> 0, row);
    } else if (/^[0-9a-fx]{8}$/.test(id)) {
      const mask = parseInt(id.replace(/[0-9a-f]/g, 'f').replace(/x/g, '0'), 16) >>> 0;
      const value = parseInt(id.replace(/x/g, '0'), 16) >>> 0;
      masks.push({ mask, value, row });
    } else if (id.startsWith('ggggeeee')) {
      privateRow = row;
    }
  }
  loaded = { exact, masks, privateRow };
  return loaded;
}

/**
 * The row that governs a tag: an exact row, else a wildcard row ((50xx,xxxx),
 * (60xx,3000)...), else the private-attributes row for odd groups. Undefined
 * for an attribute the table does not list (kept: PS3.15 lists every
 * standard attribute that may carry identifying information).
 */
export function profileRow(tag: number): ProfileRow | undefined {
  const d = load();
  const hit = d.exact.get(tag >>> 0);
  if (hit) return hit;
  for (const m of d.masks) if (((tag & m.mask) >>> 0) === m.value) return m.row;
  if ((tag >>> 16) & 1) return d.privateRow;
  return undefined;
}

/** Every exact row (for tests and reports). */
export function profileRows(): ReadonlyMap<number, ProfileRow> {
  return load().exact;
}

/** The row of the private attributes ((gggg,eeee) where gggg is odd). */
export function profilePrivateRow(): ProfileRow | undefined {
  return load().privateRow;
}

/** The wildcard rows ((50xx,xxxx), (60xx,3000)...). */
export function profileMaskRows(): ProfileRow[] {
  return load().masks.map((m) => m.row);
}
