import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { ErrorCodes } from '../core/errors.js';
import { failed, ok, type Failed, type Item, type Location } from '../core/record.js';
import { knownResourceType, notAResource } from '../fhir/r4-types.js';
import type { SplitLine } from './line-splitter.js';

/** A parsed FHIR resource: a JSON object with a string resourceType. */
export type Resource = Record<string, unknown> & { resourceType: string };

export interface NdjsonRecordsOptions {
  /** Location file for the items ('-' for stdin). Default '-'. */
  file?: string;
  /** Deepest accepted nesting of objects/arrays (the resource itself is depth 1). Default 256. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 256;

/**
 * Nesting depth of a parsed value, without recursion, stopping as soon as it
 * exceeds `limit`. V8's JSON.parse accepts any depth, but a deep value breaks
 * every recursive consumer after it (JSON.stringify throws RangeError), so it
 * must be refused here.
 */
export function exceedsDepth(root: unknown, limit: number): boolean {
  const values: unknown[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const d = depths.pop()!;
    if (d > limit) return true;
    if (Array.isArray(v)) {
      for (const x of v) {
        if (x !== null && typeof x === 'object') {
          values.push(x);
          depths.push(d + 1);
        }
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (x !== null && typeof x === 'object') {
          values.push(x);
          depths.push(d + 1);
        }
      }
    }
  }
  return false;
}

/**
 * Checks a parsed JSON value is a resource. The reasons never quote the
 * record: JSON.parse messages and line contents may carry PHI.
 */
export function toResourceItem(value: unknown, loc: Location, maxDepth: number, size: number): Item<Resource> {
  const bad = notAResource(value);
  if (bad) return failed(bad, ErrorCodes[bad], loc);
  const rt = (value as Resource).resourceType;
  // A value of depth d needs at least 2d characters, so short lines need no walk.
  if (size > 2 * maxDepth && exceedsDepth(value, maxDepth)) {
    return failed('TOO_DEEP', `${ErrorCodes.TOO_DEEP} (${maxDepth})`, loc, knownResourceType(rt));
  }
  return ok(value as Resource, loc);
}

/** One NDJSON line → one item. Pure. */
export function parseLine(line: Buffer | string, loc: Location, maxDepth = DEFAULT_MAX_DEPTH): Item<Resource> {
  let text: string;
  if (typeof line === 'string') {
    text = line;
  } else {
    if (!isUtf8(line)) return failed('INVALID_ENCODING', ErrorCodes.INVALID_ENCODING, loc);
    text = line.toString('utf8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) return failed('TOO_DEEP', `${ErrorCodes.TOO_DEEP} (${maxDepth})`, loc);
    return failed('INVALID_JSON', ErrorCodes.INVALID_JSON, loc);
  }
  return toResourceItem(value, loc, maxDepth, text.length);
}

/** Transform shell: SplitLine (or Failed, passed through) in, Item<Resource> out. */
export class NdjsonRecords extends Transform {
  readonly file: string;
  readonly maxDepth: number;

  constructor(opts: NdjsonRecordsOptions = {}) {
    super({ objectMode: true });
    this.file = opts.file ?? '-';
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  override _transform(chunk: SplitLine | Failed, _enc: BufferEncoding, cb: TransformCallback): void {
    if ('kind' in chunk) {
      cb(null, chunk);
      return;
    }
    cb(null, parseLine(chunk.line, { file: this.file, line: chunk.lineNo, offset: chunk.offset }, this.maxDepth));
  }
}

export function createNdjsonRecords(opts: NdjsonRecordsOptions = {}): NdjsonRecords {
  return new NdjsonRecords(opts);
}
