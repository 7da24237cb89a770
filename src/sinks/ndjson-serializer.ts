import { ErrorCodes } from '../core/errors.js';
import { failed, type Failed, type Item, type Location } from '../core/record.js';

/**
 * Items → NDJSON text, one piece at a time, free of streams. Shared by the
 * stdout/file writer and the bulk-folder writer, which routes each piece by
 * the resource type it belongs to.
 *
 * A streamed Bundle (start, ok entries, end) becomes ONE line written in
 * pieces: the head on `start`, each entry on arrival, the tail on `end`; so
 * only one entry is ever held. An entry de-identified to nothing (`{}`) is
 * left out, and a Bundle with no entry left has no `entry` member. With `unbundle`, each entry's resource becomes
 * its own line instead (entries without a resource, such as a DELETE request,
 * have nothing to write), and an `ok` Bundle is unbundled the same way.
 */
export interface SerializerOptions {
  unbundle?: boolean;
}

/** Receives text for one output: `lineEnds` is true when the text ends a line (one record). */
export type Emit = (resourceType: string, text: string, lineEnds: boolean) => void;
/** Receives what could not be written. */
export type Report = (f: Failed) => void;

export class NdjsonSerializer {
  private readonly unbundle: boolean;
  private inBundle = false;
  private firstEntry = true;
  private bundleLoc: Location | null = null;

  constructor(opts: SerializerOptions = {}) {
    this.unbundle = opts.unbundle ?? false;
  }

  /** True between a `start` and its `end`. */
  get open(): boolean {
    return this.inBundle;
  }

  /**
   * Serializes one item. A value that cannot be serialized is left out and
   * reported as a Failed item; `failed` input items are ignored.
   */
  write(item: Item, emit: Emit, report: Report): void {
    let f: Failed | null = null;
    switch (item.kind) {
      case 'failed':
        return;
      case 'start':
        if (this.inBundle) {
          report(failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: nested Bundle start`, item.loc, 'Bundle'));
          return;
        }
        this.inBundle = true;
        this.firstEntry = true;
        this.bundleLoc = item.loc;
        if (!this.unbundle) emit('Bundle', '{"resourceType":"Bundle"' + members(item.head), false);
        return;
      case 'end':
        if (!this.inBundle) {
          report(failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: Bundle end without start`, item.loc, 'Bundle'));
          return;
        }
        this.inBundle = false;
        if (!this.unbundle) emit('Bundle', (this.firstEntry ? '' : ']') + members(item.tail) + '}\n', true);
        return;
      case 'ok':
        if (this.inBundle) f = this.entry(item.value, item.loc, emit);
        else this.resource(item.value, item.loc, emit, report);
        if (f) report(f);
        return;
    }
  }

  /**
   * Closes a Bundle left open by an input that ended without its `end`, so
   * the output stays valid JSON; the Failed item says so.
   */
  finish(emit: Emit): Failed | null {
    if (!this.inBundle) return null;
    this.inBundle = false;
    if (!this.unbundle) emit('Bundle', (this.firstEntry ? '' : ']') + '}\n', true);
    return failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: input ended inside a Bundle`, this.bundleLoc ?? { file: '-' }, 'Bundle');
  }

  private entry(value: unknown, loc: Location, emit: Emit): Failed | null {
    if (this.unbundle) return this.entryResource(value, loc, emit);
    // An entry the rules left nothing of is not written (`{}` is no valid entry); `entry` is opened at the first one written.
    if (isEmptyObject(value)) return null;
    const text = stringify(value);
    if (typeof text !== 'string') return serializationFailure(text, loc);
    emit('Bundle', this.firstEntry ? ',"entry":[' + text : ',' + text, false);
    this.firstEntry = false;
    return null;
  }

  private entryResource(entry: unknown, loc: Location, emit: Emit): Failed | null {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (resource === undefined || resource === null) return null;
    return this.line(resource, loc, emit);
  }

  private resource(value: unknown, loc: Location, emit: Emit, report: Report): void {
    if (this.unbundle && resourceTypeOf(value) === 'Bundle') {
      const entries = (value as { entry?: unknown }).entry;
      if (!Array.isArray(entries)) return;
      for (let i = 0; i < entries.length; i++) {
        const f = this.entryResource(entries[i], { ...loc, entry: i }, emit);
        if (f) report(f);
      }
      return;
    }
    const f = this.line(value, loc, emit);
    if (f) report(f);
  }

  private line(value: unknown, loc: Location, emit: Emit): Failed | null {
    const rt = resourceTypeOf(value);
    if (rt === undefined) return failed('NO_RESOURCE_TYPE', ErrorCodes.NO_RESOURCE_TYPE, loc);
    const text = stringify(value);
    if (typeof text !== 'string') return serializationFailure(text, loc, rt);
    emit(rt, text + '\n', true);
    return null;
  }
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}

export function resourceTypeOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const rt = (value as { resourceType?: unknown }).resourceType;
  return typeof rt === 'string' && rt.length > 0 ? rt : undefined;
}

/** `,"key":value` for each member, in order; resourceType and entry are written by the caller. */
function members(obj: Record<string, unknown>): string {
  let s = '';
  for (const k of Object.keys(obj)) {
    if (k === 'resourceType' || k === 'entry') continue;
    const v = stringify(obj[k]);
    if (typeof v !== 'string') continue;
    s += ',' + JSON.stringify(k) + ':' + v;
  }
  return s;
}

/** JSON text, or the error that stopped JSON.stringify (never its message). */
function stringify(value: unknown): string | Error | undefined {
  try {
    return JSON.stringify(value);
  } catch (e) {
    return e instanceof Error ? e : new Error('unserializable');
  }
}

function serializationFailure(e: Error | undefined, loc: Location, rt?: string): Failed {
  if (e instanceof RangeError) return failed('TOO_DEEP', ErrorCodes.TOO_DEEP, loc, rt);
  return failed('TRANSFORM_FAILED', `${ErrorCodes.TRANSFORM_FAILED}: value cannot be written as JSON`, loc, rt);
}
