import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isDeidError } from '../../core/errors.js';
import { dicomTokenizer } from '../../dicom/tokenizer.js';
import { valueText } from '../../dicom/value.js';
import type { DicomToken } from '../../dicom/tokens.js';
import { DicomStoreError } from './codes.js';
import { checkUid } from './uid.js';

export interface InstanceUids {
  study: string;
  series: string;
  instance: string;
}

const SOP_INSTANCE_UID = 0x00080018;
const STUDY_INSTANCE_UID = 0x0020000d;
const SERIES_INSTANCE_UID = 0x0020000e;
const PIXEL_DATA = 0x7fe00010;
const FIELDS: Record<number, keyof InstanceUids> = {
  [SOP_INSTANCE_UID]: 'instance',
  [STUDY_INSTANCE_UID]: 'study',
  [SERIES_INSTANCE_UID]: 'series',
};

export interface ScanOptions {
  /**
   * Read to the end, so the instance is known to be complete and well formed
   * (before storing it). Otherwise reading stops once the three UIDs are
   * found or PixelData starts (listing).
   */
  whole?: boolean;
}

function headerTag(t: DicomToken): number | undefined {
  if (t.type === 'element' || t.type === 'valueStart' || t.type === 'sequenceStart' || t.type === 'fragmentsStart') {
    return t.path.length === 0 ? t.header.tag : undefined;
  }
  return undefined;
}

/**
 * Study, Series and SOP Instance UIDs of a part-10 instance, read from the
 * top-level dataset with the streaming tokenizer. Parse failures are the
 * tokenizer's DeidErrors; a missing UID is STORE_UID_MISSING, one that is
 * not digits and dots STORE_UID_INVALID (a UID becomes a path or a URL).
 * Other errors of `input` (a read error) are STORE_READ_FAILED.
 */
export async function scanUids(input: Readable, opts: ScanOptions = {}): Promise<InstanceUids> {
  const tok = dicomTokenizer();
  const found: Partial<InstanceUids> = {};
  let stopped = false;
  let flowError: unknown;
  const flow = pipeline(input, tok).catch((e: unknown) => {
    flowError = e;
  });
  try {
    for await (const t of tok as AsyncIterable<DicomToken>) {
      const tag = headerTag(t);
      if (tag === undefined) continue;
      const field = FIELDS[tag];
      if (field && t.type === 'element') found[field] = valueText(t.value);
      else if (field) throw new DicomStoreError('STORE_UID_INVALID', field);
      if (opts.whole) continue;
      if (tag >= PIXEL_DATA || (found.study && found.series && found.instance)) {
        stopped = true;
        break;
      }
    }
    await flow;
    if (flowError !== undefined && !stopped) throw flowError;
  } catch (e) {
    stopped = true;
    input.destroy();
    if (isDeidError(e) || e instanceof DicomStoreError) throw e;
    throw new DicomStoreError('STORE_READ_FAILED');
  }
  if (stopped) input.destroy();
  if (!found.study || !found.series || !found.instance) throw new DicomStoreError('STORE_UID_MISSING');
  return {
    study: checkUid(found.study, 'study'),
    series: checkUid(found.series, 'series'),
    instance: checkUid(found.instance, 'instance'),
  };
}
