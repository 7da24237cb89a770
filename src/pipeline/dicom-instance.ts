import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { DeidConfig } from '../config/model.js';
import { isDicomPart } from '../config/normalize-dicom.js';
import { DeidError, toDeidError } from '../core/errors.js';
import { Keyed } from '../core/keyed.js';
import { failed, type Failed } from '../core/record.js';
import { prepareBytes, prepareInstance, writeInstanceFile, writeTokensFile, type InstanceSetup, type TokenizedInstance, type PreparedInstance } from '../dicom/profile/deidentify-instance.js';
import { dicomPlanFrom, type DicomExtension } from '../dicom/profile/plan.js';
import { reportedModality } from '../dicom/profile/modality-terms.js';

/**
 * What a run's instances share, as plain data: it is what a worker thread
 * receives (structured clone) to build the same InstanceSetup as the main
 * thread.
 */
export interface DicomSettings {
  config?: DeidConfig;
  extension?: DicomExtension;
  key: Uint8Array;
}

export function instanceSetup(s: DicomSettings): InstanceSetup {
  const part = isDicomPart(s.config?.dicom) ? s.config.dicom : undefined;
  const plan = dicomPlanFrom(part, s.extension, s.config?.fhir?.dateShiftRangeDays, s.config?.fhir?.ageReferenceDate);
  return { plan, keyed: new Keyed(Buffer.from(s.key.buffer, s.key.byteOffset, s.key.byteLength)), ...(s.config ? { text: s.config.text } : {}) };
}

/**
 * Builds the DICOM plan of a run once, before any output, so a config the
 * plan refuses (an unknown keyword in a tag list, an unknown profile option,
 * pixel redaction with allowBurnedIn) stops the command with nothing written.
 * `source` (the config file) prefixes the message.
 */
export function checkDicomSettings(config: DeidConfig | undefined, extension: DicomExtension | undefined, source?: string): void {
  const part = isDicomPart(config?.dicom) ? config.dicom : undefined;
  try {
    dicomPlanFrom(part, extension, config?.fhir?.dateShiftRangeDays);
  } catch (e) {
    if (source && e instanceof DeidError && e.code === 'CONFIG_INVALID') {
      throw new DeidError('CONFIG_INVALID', `${source}: ${e.message.slice(e.message.indexOf(': ') + 2)}`);
    }
    throw e;
  }
}

/** An instance de-identified into a temporary file, waiting for its final name. */
export interface WrittenInstance {
  kind: 'written';
  type: string;
  temp: string;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  /** `keyword: action` counts of this instance, in the order they were first made. */
  counts: [string, number][];
}

export type InstanceResult = WrittenInstance | Failed;

/**
 * Instances up to this size are read once into a buffer that the whole run
 * reuses and both passes run over it; larger ones are read twice, the edit
 * pass in chunks (see editFileSync: memory stays bounded). Fresh large
 * buffers are what a small instance costs most (page faults on every new
 * allocation: reading 100 0.5 MB files with readFileSync takes 70-280 ms on
 * the benchmark machine, into one reused buffer 6-8 ms).
 */
const IN_MEMORY_MAX_BYTES = 8 * 1024 * 1024;
const READ_CHUNK_BYTES = 256 * 1024;

/** The buffer a thread reuses for small instances; one instance at a time. */
export class Scratch {
  private input = Buffer.allocUnsafe(0);

  /**
   * The whole file, in the reused input buffer (valid until the next call), or
   * undefined if it is larger than IN_MEMORY_MAX_BYTES. Read to its end rather
   * than sized first with fstat: a Stats object (four Dates) costs more than
   * the read that finds the end; the size is asked for only when the file
   * does not fit the buffer.
   */
  read(file: string): Buffer | undefined {
    const fd = fs.openSync(file, 'r');
    try {
      let n = 0;
      for (;;) {
        if (n === this.input.length) {
          // The buffer is full: only now is the size asked for (a larger instance is not read here).
          let want = FIRST_READ_BYTES;
          if (n > 0) {
            const st = fs.fstatSync(fd);
            // What was read cannot be read again from a pipe or device: only a regular file may take the streamed path.
            if (!st.isFile()) throw new DeidError('READ_FAILED', 'not a regular file');
            if (st.size > IN_MEMORY_MAX_BYTES) return undefined;
            want = Math.min(Math.max(st.size + 1, 2 * n), IN_MEMORY_MAX_BYTES + 1);
          }
          const grown = Buffer.allocUnsafe(want);
          this.input.copy(grown, 0, 0, n);
          this.input = grown;
        }
        const k = fs.readSync(fd, this.input, n, this.input.length - n, n);
        if (k === 0) break;
        n += k;
      }
      return n > IN_MEMORY_MAX_BYTES ? undefined : this.input.subarray(0, n);
    } finally {
      fs.closeSync(fd);
    }
  }
}

const FIRST_READ_BYTES = 1024 * 1024;

/**
 * Reads, decides and de-identifies one instance into a new temporary file in
 * `tempDir`. A malformed or quarantined instance is a Failed result and
 * leaves no file. Pure apart from the temporary file: the final name is
 * given by the caller (publishInstance), in input order.
 */
export async function writeInstance(file: string, src: string, tempDir: string, setup: InstanceSetup, scratch: Scratch): Promise<InstanceResult> {
  let bytes: Buffer | undefined;
  try {
    bytes = scratch.read(src);
  } catch (e) {
    return failedFrom(e, file);
  }
  const open = (): Readable => (bytes ? Readable.from([bytes], { objectMode: false }) : fs.createReadStream(src, { highWaterMark: READ_CHUNK_BYTES }));
  // In memory: tokenized once for both passes (undefined for a deflated dataset, which streams).
  let tokenized: TokenizedInstance | undefined;
  let prepared: PreparedInstance;
  try {
    tokenized = bytes ? prepareBytes(bytes, file, setup) : undefined;
    prepared = tokenized?.prepared ?? (await prepareInstance(open(), file, setup));
  } catch (e) {
    return failedFrom(e, file);
  }
  const type = reportedModality(prepared.facts.modality);
  const temp = path.join(tempDir, `.deid-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const local = new Map<string, number>();
  try {
    if (tokenized) await writeTokensFile(tokenized, temp, file, setup, local);
    else await writeInstanceFile(bytes ?? src, temp, file, prepared, setup, local);
  } catch (e) {
    removeTemp(temp);
    return failedFrom(e, file, type);
  }
  return { kind: 'written', type, temp, studyUid: prepared.studyUid, seriesUid: prepared.seriesUid, sopUid: prepared.sopUid, counts: [...local] };
}

/** Removes a temporary file if it is there (one unlink; rmSync would lstat first). */
export function removeTemp(p: string): void {
  try {
    fs.unlinkSync(p);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
}

function failedFrom(e: unknown, file: string, type?: string): Failed {
  const err = toDeidError(e, 'READ_FAILED');
  const loc = err.loc ?? { file };
  return failed(err.code, err.message, { ...loc, file }, type);
}
