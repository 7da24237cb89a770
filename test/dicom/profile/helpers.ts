import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import { Keyed } from '../../../src/core/keyed.js';
import { prepareInstance, writeInstance, type PreparedInstance } from '../../../src/dicom/profile/deidentify-instance.js';
import { defaultDicomPlan, type DicomPlan } from '../../../src/dicom/profile/plan.js';
import { DEFAULT_TEXT_CONFIG } from '../../../src/text/config.js';
import type { TextDeidConfig } from '../../../src/text/types.js';
import { parseWithOracle } from '../oracle.js';
import { repoRoot } from '../samples.js';

export const KEY = Buffer.alloc(32, 0x0f);
export const sharedStandard = path.resolve(repoRoot, '../shared/data/dicom-standard');
export const msftDicom = path.resolve(repoRoot, '../shared/data/msft-anonymizer/DICOM');

export type DataSet = ReturnType<typeof dicomParser.parseDicom>;

export interface DeidResult {
  bytes: Buffer;
  prepared: PreparedInstance;
  counts: Map<string, number>;
}

/** De-identifies one instance in process (the two passes of `deid dicom`). */
export async function deid(input: string | Buffer, opts: { plan?: DicomPlan; key?: Buffer; text?: TextDeidConfig } = {}): Promise<DeidResult> {
  const plan = opts.plan ?? { ...defaultDicomPlan(), allowBurnedIn: true };
  const setup = { plan, keyed: new Keyed(opts.key ?? KEY), text: opts.text ?? DEFAULT_TEXT_CONFIG };
  const open = (): Readable => (typeof input === 'string' ? fs.createReadStream(input) : Readable.from([input]));
  const name = typeof input === 'string' ? input : 'buffer';
  const prepared = await prepareInstance(open(), name, setup);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(c);
      cb();
    },
  });
  const counts = new Map<string, number>();
  await writeInstance(open(), sink, name, prepared, setup, counts);
  return { bytes: Buffer.concat(chunks), prepared, counts };
}

/** "x00100010" (dicom-parser's key) of a tag number. */
export function key(tag: number): string {
  return 'x' + (tag >>> 0).toString(16).padStart(8, '0');
}

export interface Visited {
  tag: number;
  depth: number;
  vr: string | undefined;
  length: number;
  value: string | undefined;
  isSequence: boolean;
}

/** Every element at every depth (dicom-parser view), group 0002 excluded. */
export function walk(ds: DataSet, depth = 0, out: Visited[] = []): Visited[] {
  for (const [k, el] of Object.entries(ds.elements)) {
    const tag = parseInt(k.slice(1), 16) >>> 0;
    if (tag >>> 16 === 0x0002) continue;
    const isSequence = Array.isArray(el.items);
    let value: string | undefined;
    if (!isSequence && el.length > 0 && el.length < 1024) {
      try {
        value = ds.string(k);
      } catch {
        value = undefined;
      }
    }
    out.push({ tag, depth, vr: el.vr, length: el.length, value, isSequence });
    for (const item of el.items ?? []) if (item.dataSet) walk(item.dataSet, depth + 1, out);
  }
  return out;
}

/** The dataset bytes to search for leftover values (inflated when the dataset is deflated). */
export function searchableBytes(buf: Buffer): Buffer {
  if (buf.length < 132 || buf.toString('latin1', 128, 132) !== 'DICM') return buf;
  const ds = dicomParser.readPart10Header(buf);
  if (ds.string('x00020010') !== '1.2.840.10008.1.2.1.99') return buf;
  const gl = ds.uint32('x00020000') ?? 0;
  const metaEnd = 132 + 12 + gl;
  return Buffer.concat([buf.subarray(0, metaEnd), inflateRawSync(buf.subarray(metaEnd))]);
}

/** The top-level pixel data value: its fragments for encapsulated data, else one buffer; undefined if none. */
export function pixelChunks(buf: Buffer): Buffer[] | undefined {
  const ds = parseAny(buf);
  const el = ds.elements.x7fe00010;
  if (!el) return undefined;
  const bytes = Buffer.from(ds.byteArray.buffer, ds.byteArray.byteOffset, ds.byteArray.length);
  if (el.fragments) return el.fragments.map((f) => bytes.subarray(f.position, f.position + f.length));
  return [bytes.subarray(el.dataOffset, el.dataOffset + el.length)];
}

export function pixelBytes(buf: Buffer): Buffer | undefined {
  const c = pixelChunks(buf);
  return c && Buffer.concat(c);
}

/** `hay` without the pixel data chunks (binary pixels may contain any byte string by chance). */
export function withoutChunks(hay: Buffer, chunks: readonly Buffer[]): Buffer {
  let out = hay;
  for (const c of chunks) {
    if (c.length === 0) continue;
    const i = out.indexOf(c);
    if (i >= 0) out = Buffer.concat([out.subarray(0, i), out.subarray(i + c.length)]);
  }
  return out;
}

export { parseWithOracle };

/** Inputs dicom-parser cannot read at all (bad meta, nested private SQ it trips on, meta/dataset mismatch). */
export const ORACLE_UNREADABLE = new Set(['edge-cases/meta_missing_tsyntax.dcm', 'sequences-private/nested_priv_SQ.dcm', 'edge-cases/SC_rgb_jpeg.dcm']);

/** dicom-parser over a part-10 file or a raw dataset (encoding sniffed from the first header). */
export function parseAny(buf: Buffer): DataSet {
  if (buf.length >= 132 && buf.toString('latin1', 128, 132) === 'DICM') return parseWithOracle(buf);
  const explicit = /^[A-Z]{2}$/.test(buf.toString('latin1', 4, 6));
  const bigEndian = buf[0] === 0 && buf[1] !== 0;
  const ts = !explicit ? '1.2.840.10008.1.2' : bigEndian ? '1.2.840.10008.1.2.2' : '1.2.840.10008.1.2.1';
  return dicomParser.parseDicom(buf, { TransferSyntaxUID: ts } as Parameters<typeof dicomParser.parseDicom>[1]);
}

/** PS3.15 Table E.1-1 as published (the shared CSV, read independently of src/). */
export function basicProfileCsv(): Map<string, Record<string, string>> {
  const text = fs.readFileSync(path.join(sharedStandard, 'basic-profile.csv'), 'utf8');
  const records: string[][] = [];
  let cells: string[] = [];
  let cur = '';
  let q = false;
  for (const c of text) {
    if (c === '"') q = !q;
    else if (c === ',' && !q) {
      cells.push(cur);
      cur = '';
    } else if (c === '\n' && !q) {
      cells.push(cur);
      records.push(cells);
      cells = [];
      cur = '';
    } else if (c !== '\r') cur += c;
  }
  if (cur || cells.length) records.push([...cells, cur]);
  const [cols, ...rows] = records;
  const out = new Map<string, Record<string, string>>();
  for (const cellsOfRow of rows) {
    const row = Object.fromEntries(cols!.map((c, i) => [c, cellsOfRow[i] ?? '']));
    out.set(row.tag!.replace(/[(),]/g, '').toLowerCase(), row);
  }
  return out;
}
