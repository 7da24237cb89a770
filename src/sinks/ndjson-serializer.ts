import { ErrorCodes } from '../core/errors.js';
import { failed, META_HELD, type Failed, type Item, type Location } from '../core/record.js';

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

/**
 * Most text (UTF-16 code units) held after a streamed Bundle's `meta` until
 * its end. The Bundle's security labels, in its meta, are known only at its
 * end: a meta that comes before `entry` is written in its place, as a Bundle
 * read whole has it, when what follows it fits here; past this, what is held
 * goes out and the meta comes after the entries.
 */
export const HOLD_AFTER_META = 8 * 1024 * 1024;

export class NdjsonSerializer {
  private readonly unbundle: boolean;
  private readonly holdLimit: number;
  private inBundle = false;
  private firstEntry = true;
  private bundleLoc: Location | null = null;
  /** Text of the open Bundle after its held meta's place, not written yet; null when nothing is held. */
  private held: string[] | null = null;
  private heldSize = 0;

  constructor(opts: SerializerOptions & { holdAfterMeta?: number } = {}) {
    this.unbundle = opts.unbundle ?? false;
    this.holdLimit = opts.holdAfterMeta ?? HOLD_AFTER_META;
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
        if (this.unbundle) return;
        if (item.head.meta === META_HELD) {
          const keys = Object.keys(item.head);
          const at = keys.indexOf('meta');
          emit('Bundle', '{"resourceType":"Bundle"' + members(item.head, keys.slice(0, at)), false);
          this.held = [];
          this.heldSize = 0;
          this.bundleText(members(item.head, keys.slice(at + 1)), emit);
        } else {
          emit('Bundle', '{"resourceType":"Bundle"' + members(item.head), false);
        }
        return;
      case 'end':
        if (!this.inBundle) {
          report(failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: Bundle end without start`, item.loc, 'Bundle'));
          return;
        }
        this.inBundle = false;
        if (this.unbundle) return;
        if (this.held !== null) {
          // the final meta in its place, then what followed it
          const meta = stringify(item.tail.meta);
          const rest = this.held.join('');
          this.held = null;
          emit('Bundle', (typeof meta === 'string' ? ',"meta":' + meta : '') + rest, false);
          const tail = Object.keys(item.tail).filter((k) => k !== 'meta');
          emit('Bundle', (this.firstEntry ? '' : ']') + members(item.tail, tail) + '}\n', true);
          return;
        }
        emit('Bundle', (this.firstEntry ? '' : ']') + members(item.tail) + '}\n', true);
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
    this.release(emit);
    if (!this.unbundle) emit('Bundle', (this.firstEntry ? '' : ']') + '}\n', true);
    return failed('INVALID_BUNDLE', `${ErrorCodes.INVALID_BUNDLE}: input ended inside a Bundle`, this.bundleLoc ?? { file: '-' }, 'Bundle');
  }

  private entry(value: unknown, loc: Location, emit: Emit): Failed | null {
    if (this.unbundle) return this.entryResource(value, loc, emit);
    // An entry the rules left nothing of is not written (`{}` is no valid entry); `entry` is opened at the first one written.
    if (isEmptyObject(value)) return null;
    const text = stringify(value);
    if (typeof text !== 'string') return serializationFailure(text, loc);
    this.bundleText(this.firstEntry ? ',"entry":[' + text : ',' + text, emit);
    this.firstEntry = false;
    return null;
  }

  /** Text of the open Bundle: held while its meta's place is, else written. */
  private bundleText(text: string, emit: Emit): void {
    if (this.held === null) {
      emit('Bundle', text, false);
      return;
    }
    this.held.push(text);
    this.heldSize += text.length;
    // too much to hold: it goes out, and the meta with the tail
    if (this.heldSize > this.holdLimit) this.release(emit);
  }

  /** Writes what is held; the held meta then comes with the tail. */
  private release(emit: Emit): void {
    if (this.held === null) return;
    const text = this.held.join('');
    this.held = null;
    if (text.length > 0) emit('Bundle', text, false);
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

/** `,"key":value` for each member (of `keys`), in order; resourceType and entry are written by the caller. */
function members(obj: Record<string, unknown>, keys: readonly string[] = Object.keys(obj)): string {
  let s = '';
  for (const k of keys) {
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
