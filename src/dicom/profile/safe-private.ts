import { readFileSync } from 'node:fs';
import type { Path } from '../tokens.js';
import { dataFile } from '../../core/data-file.js';

/**
 * PS3.15 Table E.3.10-1 "Safe Private Attributes", read from
 * data/dicom/safe-private-attributes.json (see data/dicom/PROVENANCE.md). A
 * private attribute is identified by its group, its private creator and the
 * low byte of its element number (PS3.5 7.8.1: (gggg,xxee) in the block the
 * creator at (gggg,00xx) reserved).
 */
export interface SafePrivateRow {
  group: number;
  creator: string;
  /** Low byte of the element number ('ee' of (gggg,xxee)). */
  element: number;
  /** VR as the table gives it ('' where the table gives none). */
  vr: string;
}

interface Loaded {
  rows: Map<string, SafePrivateRow>;
  creators: Set<string>;
}

let loaded: Loaded | undefined;

const rowKey = (group: number, creator: string, element: number): string => `${group}|${creator}|${element}`;

function load(): Loaded {
  if (loaded) return loaded;
  const url = dataFile('dicom/safe-private-attributes.json');
  const doc = JSON.parse(readFileSync(url, 'utf8')) as { rows: { group: string; creator: string; element: string; vr: string }[] };
  const rows = new Map<string, SafePrivateRow>();
  const creators = new Set<string>();
  for (const r of doc.rows) {
    const row: SafePrivateRow = { group: parseInt(r.group, 16), creator: r.creator, element: parseInt(r.element, 16), vr: r.vr };
    rows.set(rowKey(row.group, row.creator, row.element), row);
    creators.add(`${row.group}|${row.creator}`);
  }
  loaded = { rows, creators };
  return loaded;
}

/** The table row of a private data element, given the value of its block's creator. */
export function safePrivateRow(tag: number, creator: string | undefined): SafePrivateRow | undefined {
  if (creator === undefined) return undefined;
  return load().rows.get(rowKey(tag >>> 16, creator, tag & 0xff));
}

/** Whether a private creator reserves a block the table lists elements of (it is then kept with them). */
export function isSafeCreator(group: number, creator: string): boolean {
  return load().creators.has(`${group}|${creator}`);
}

/** (gggg,0010-00FF): a private creator element (PS3.5 7.8.1). */
export function isPrivateCreatorTag(tag: number): boolean {
  const el = tag & 0xffff;
  return ((tag >>> 16) & 1) === 1 && el >= 0x0010 && el <= 0x00ff;
}

/**
 * The private creators seen so far in one instance, per dataset or item:
 * creators come before the elements of their block (ascending tag order), so
 * the stream order is enough. `enter` selects the item the next lookups are in.
 */
export class PrivateCreators {
  private scope = '';
  private readonly byBlock = new Map<string, string>();

  enter(path: Path): void {
    this.scope = path.length === 0 ? '' : path.map((s) => `${s.tag}.${s.item}`).join('/');
  }

  /** Records the creator element `tag` with value `creator` (trimmed) in the current item. */
  note(tag: number, creator: string): void {
    this.byBlock.set(`${this.scope}|${tag >>> 16}|${tag & 0xff}`, creator.trim());
  }

  /** The creator of the block a private data element belongs to, in the current item. */
  creatorOf(tag: number): string | undefined {
    return this.byBlock.get(`${this.scope}|${tag >>> 16}|${(tag >>> 8) & 0xff}`);
  }
}
