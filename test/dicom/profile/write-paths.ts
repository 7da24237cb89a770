// The ways an instance can be de-identified and written (streamed in chunks,
// the synchronous file edit, tokens prepared once), for tests that check
// every path gives the same bytes and counts.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Keyed } from '../../../src/core/keyed.js';
import { prepareBytes, prepareInstance, writeInstance, writeInstanceFile, writeTokensFile } from '../../../src/dicom/profile/deidentify-instance.js';
import type { DicomPlan } from '../../../src/dicom/profile/plan.js';
import { KEY } from './helpers.js';

export type Run = { bytes: Buffer; counts: Map<string, number> };

/** The write paths under `plan`, writing their files in `tmp`. */
export function writePaths(plan: DicomPlan, tmp: string) {
  let n = 0;
  const setup = () => ({ plan, keyed: new Keyed(KEY) });

  /** prepareInstance + writeInstance over the input cut in `size`-byte chunks. */
  async function streamed(bytes: Buffer, size: number): Promise<Run> {
    const s = setup();
    const open = (): Readable => {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      return Readable.from(chunks);
    };
    const prepared = await prepareInstance(open(), 'buffer', s);
    const out: Buffer[] = [];
    const sink = new Writable({ write(c: Buffer, _e, cb) { out.push(c); cb(); } });
    const counts = new Map<string, number>();
    await writeInstance(open(), sink, 'buffer', prepared, s, counts);
    return { bytes: Buffer.concat(out), counts };
  }

  /** The synchronous file edit, from bytes or from a file. */
  async function viaFile(src: string | Buffer): Promise<Run> {
    const s = setup();
    const prepared = await prepareInstance(typeof src === 'string' ? fs.createReadStream(src) : Readable.from([src]), 'buffer', s);
    const dest = path.join(tmp, `file-${n++}.dcm`);
    const counts = new Map<string, number>();
    await writeInstanceFile(src, dest, 'buffer', prepared, s, counts);
    return { bytes: fs.readFileSync(dest), counts };
  }

  /** Tokenized once, the tokens written. */
  async function viaTokens(bytes: Buffer): Promise<Run> {
    const s = setup();
    const tokenized = prepareBytes(bytes, 'buffer', s)!;
    const dest = path.join(tmp, `tokens-${n++}.dcm`);
    const counts = new Map<string, number>();
    await writeTokensFile(tokenized, dest, 'buffer', s, counts);
    return { bytes: fs.readFileSync(dest), counts };
  }

  /** A file in `tmp` holding `bytes`. */
  function inputFile(bytes: Buffer): string {
    const file = path.join(tmp, `in-${n++}.dcm`);
    fs.writeFileSync(file, bytes);
    return file;
  }

  return { streamed, viaFile, viaTokens, inputFile };
}
