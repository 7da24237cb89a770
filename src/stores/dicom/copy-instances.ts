import type { Readable } from 'node:stream';
import { failed, type Failed } from '../../core/record.js';
import { codeOf } from './codes.js';
import type { DicomStore, InstanceRef } from './types.js';

export interface CopyOptions {
  filter?: string[];
  /** Per-instance rewrite of the part-10 bytes (a de-identification), or none. */
  transform?: (bytes: Readable, ref: InstanceRef) => Readable;
  /** Every instance that was not stored, and whatever the listing could not read. */
  onFailed?: (f: Failed) => void;
  /** Every instance the destination confirmed: source ref, stored ref. */
  onWritten?: (from: InstanceRef, to: InstanceRef) => void;
}

export interface CopyStats {
  /** Instances listed from the source. */
  listed: number;
  written: number;
  /** Instances listed but not stored, plus listing failures. */
  failed: number;
}

/**
 * Copies instances from one store to another, one at a time. An instance
 * that cannot be read, transformed or written becomes a failed entry with
 * its source location and code, and the copy goes on: listed + listing
 * failures = written + failed, always.
 */
export async function copyInstances(from: DicomStore, to: DicomStore, opts: CopyOptions = {}): Promise<CopyStats> {
  const stats: CopyStats = { listed: 0, written: 0, failed: 0 };
  const fail = (f: Failed): void => {
    stats.failed++;
    opts.onFailed?.(f);
  };
  await to.ensure();
  for await (const ref of from.list(opts.filter, { onFailed: fail })) {
    stats.listed++;
    let src: Readable | undefined;
    try {
      src = await from.read(ref);
      const bytes = opts.transform ? opts.transform(src, ref) : src;
      const stored = await to.write(bytes, ref);
      stats.written++;
      opts.onWritten?.(ref, stored);
    } catch (e) {
      src?.destroy();
      fail(failed(codeOf(e), 'instance was not stored', { file: ref.location }));
    }
  }
  return stats;
}
