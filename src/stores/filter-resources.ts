import { Transform, type TransformCallback } from 'node:stream';
import { failed, type Item } from '../core/record.js';
import { StoreCodes } from './codes.js';
import { keyedResource, parseResourceRef } from './resource-key.js';

export interface FilterOptions {
  /** `Type/id` of the resources to keep; each one not seen becomes a failed item at the end. */
  resources?: string[];
  /** Drop resources whose meta.lastUpdated is after this instant. */
  skipModifiedAfter?: Date;
  /** Keep only these resource types. */
  types?: string[];
  /** Location file named by not-found failures. */
  storeUri: string;
}

/** Last-modified instant of a resource, from meta.lastUpdated; undefined when absent or unparseable. */
export function lastUpdatedOf(resource: Record<string, unknown>): number | undefined {
  const lu = (resource.meta as { lastUpdated?: unknown } | undefined)?.lastUpdated;
  if (typeof lu !== 'string') return undefined;
  const t = Date.parse(lu);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Applies the reader filters to a stream of items, for backends that cannot
 * filter at the source. Failed items pass through (they may be the wanted
 * records, unreadable).
 */
export class FilterResources extends Transform {
  private readonly wanted: Set<string> | undefined;
  private readonly seen = new Set<string>();
  private readonly after: number | undefined;

  constructor(private readonly o: FilterOptions) {
    super({ objectMode: true, highWaterMark: 64 });
    this.wanted = o.resources ? new Set(o.resources) : undefined;
    this.after = o.skipModifiedAfter?.getTime();
  }

  override _transform(item: Item, _e: BufferEncoding, cb: TransformCallback): void {
    if (item.kind !== 'ok') {
      cb(null, item.kind === 'failed' ? item : undefined);
      return;
    }
    const key = keyedResource(item);
    if (this.o.types && (!key || !this.o.types.includes(key.type))) return cb();
    if (this.wanted) {
      const ref = key ? `${key.type}/${key.id}` : undefined;
      if (!ref || !this.wanted.has(ref)) return cb();
      this.seen.add(ref);
    }
    if (this.after !== undefined && key) {
      const t = lastUpdatedOf(key.resource);
      if (t !== undefined && t > this.after) return cb();
    }
    cb(null, item);
  }

  override _flush(cb: TransformCallback): void {
    for (const ref of this.wanted ?? []) {
      if (this.seen.has(ref)) continue;
      const parsed = parseResourceRef(ref);
      if (parsed && this.o.types && !this.o.types.includes(parsed[0])) continue;
      // a malformed ref is named by type only: it is caller input, not store content
      const at = parsed ? `${this.o.storeUri}#${ref}` : this.o.storeUri;
      this.push(failed('STORE_RESOURCE_NOT_FOUND', StoreCodes.STORE_RESOURCE_NOT_FOUND, { file: at }, parsed?.[0]));
    }
    cb();
  }
}
