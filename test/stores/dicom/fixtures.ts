import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, copyFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { processInstance, replace, type EditRule } from '../../../src/dicom/index.js';
import { parseWithOracle } from '../../dicom/oracle.js';
import { samplePath } from '../../dicom/samples.js';

/**
 * Well-formed samples with distinct SOP Instance UIDs, one per transfer
 * syntax family (see ../shared/data/dicom-samples/PROVENANCE.md). Two of them
 * share a study and a series, for series-level filters.
 */
export const WELL_FORMED = [
  'ts/MR_small.dcm', // explicit VR LE
  'ts/ExplVR_BigEnd.dcm', // explicit VR BE
  'ts/image_dfl.dcm', // deflated
  'rt/rtplan.dcm', // implicit VR LE
  'encapsulated/SC_rgb_jpeg_dcmtk.dcm', // JPEG baseline
  'multiframe/SC_rgb_rle_2frame.dcm', // RLE, same study and series as the previous one
  'encapsulated/JPEG2000.dcm', // JPEG 2000
] as const;

export interface OracleUids {
  study: string;
  series: string;
  instance: string;
}

/** UIDs of a part-10 buffer as dicom-parser (the independent oracle) reads them. */
export function oracleUids(buf: Buffer): OracleUids {
  const ds = parseWithOracle(buf);
  const s = (t: string): string => (ds.string(t) ?? '').replace(/\0+$/, '');
  return { study: s('x0020000d'), series: s('x0020000e'), instance: s('x00080018') };
}

export async function tempDir(t: { teardown(fn: () => unknown): unknown }, prefix = 'deid-dcmstore-'): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** Copies samples into `dir`, keeping their relative names. */
export async function copySamples(dir: string, names: readonly string[]): Promise<void> {
  for (const n of names) {
    await mkdir(path.dirname(path.join(dir, n)), { recursive: true });
    await copyFile(samplePath(n), path.join(dir, n));
  }
}

export async function readAll(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A sample rewritten by our codec with `rule` (e.g. a new SOP Instance UID). */
export async function edited(name: string, rule: EditRule, mediaStorageSOPInstanceUID?: string): Promise<Buffer> {
  const out = new PassThrough();
  const done = readAll(out);
  await processInstance(Readable.from([await readFile(samplePath(name))]), out, rule, mediaStorageSOPInstanceUID ? { writer: { mediaStorageSOPInstanceUID } } : {});
  return done;
}

/** `name` with a new SOP Instance UID `2.25.<n>` (unique instances for volume and fault tests). */
export function withInstanceUid(name: string, uid: string): Promise<Buffer> {
  return edited(name, (el, p) => (p.length === 0 && el.tag === 0x00080018 ? replace(uid) : 'keep'), uid);
}

/** sha256 of every file under `dir`, by relative path, plus each file's mtime. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        const st = await stat(p);
        out.set(path.relative(dir, p), `${createHash('sha256').update(await readFile(p)).digest('hex')} ${st.mtimeMs} ${st.mode}`);
      }
    }
  };
  await walk(dir);
  return out;
}
