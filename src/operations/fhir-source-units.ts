import path from 'node:path';
import { Readable } from 'node:stream';
import { failed, type Item } from '../core/record.js';
import { openResolvedInputs, resolveInputs, type ResolvedInput } from '../sources/open-inputs.js';
import { StoreCodes } from '../stores/codes.js';
import { FilterResources } from '../stores/filter-resources.js';
import { keyedResource, parseResourceRef } from '../stores/resource-key.js';
import type { FhirStore, StoreReaderOptions } from '../stores/types.js';

/** One checkpoint unit of a source: a file of a folder, or a resource type of a store. */
export interface SourceUnit {
  name: string;
  items: AsyncIterable<Item>;
}

export interface FhirSource {
  uri: string;
  /** Unit names known before reading (folders), for the progress bar. */
  plannedUnits?: string[];
  /** Source records come in (type, id) order: a unit can be resumed after its last settled key. */
  keyOrdered: boolean;
  /** Units in a stable order; `skip` tells which finished units need not be read. */
  units(skip: (unit: string) => boolean): AsyncGenerator<SourceUnit>;
  /** The folder's resolved inputs when it is one (the patient pre-pass reads them). */
  resolved?: ResolvedInput[];
}

/**
 * Source key of a record before de-identification; for a failed record of a
 * store, the key its location names (`<store>#Type/id`).
 */
export function sourceRef(item: Item): string | undefined {
  if (item.kind === 'failed') {
    const hash = item.loc.file.lastIndexOf('#');
    const p = hash >= 0 ? parseResourceRef(item.loc.file.slice(hash + 1)) : null;
    return p ? `${p[0]}/${p[1]}` : undefined;
  }
  const k = keyedResource(item);
  return k && item.loc.entry === undefined ? `${k.type}/${k.id}` : undefined;
}

/**
 * A folder source: every input file is a unit, read on its own. `resources`
 * are looked for across all files; those never seen become
 * STORE_RESOURCE_NOT_FOUND failures in a last unit of their own.
 */
export async function folderSource(store: FhirStore & { dir: string }, opts: StoreReaderOptions): Promise<FhirSource> {
  const resolved = await resolveInputs([store.dir]);
  const names = resolved.map((r) => path.basename(r.file));
  const wanted = opts.resources ? new Set(opts.resources) : undefined;
  const seen = new Set<string>();
  const NOT_FOUND = '(not-found)';
  async function* units(skip: (unit: string) => boolean): AsyncGenerator<SourceUnit> {
    for (let i = 0; i < resolved.length; i++) {
      const name = names[i]!;
      if (skip(name) && !wanted) continue;
      const src = openResolvedInputs([resolved[i]!]);
      const filtered = opts.skipModifiedAfter || opts.types ? src.pipe(new FilterResources({ storeUri: store.uri, ...(opts.skipModifiedAfter ? { skipModifiedAfter: opts.skipModifiedAfter } : {}), ...(opts.types ? { types: opts.types } : {}) })) : src;
      const items = wanted ? pick(filtered, wanted, seen) : (filtered as AsyncIterable<Item>);
      if (skip(name)) {
        // finished already: read only to learn which requested resources it held
        for await (const _ of items) void _;
        continue;
      }
      yield { name, items };
    }
    if (wanted && !skip(NOT_FOUND)) {
      const missing = [...wanted].filter((r) => !seen.has(r)).sort();
      yield {
        name: NOT_FOUND,
        items: Readable.from(
          missing.map((ref) => {
            const p = parseResourceRef(ref);
            return failed('STORE_RESOURCE_NOT_FOUND', StoreCodes.STORE_RESOURCE_NOT_FOUND, { file: p ? `${store.uri}#${ref}` : store.uri }, p?.[0]);
          }),
          { objectMode: true },
        ),
      };
    }
  }
  return { uri: store.uri, plannedUnits: wanted ? [...names, NOT_FOUND] : names, keyOrdered: false, units, resolved };
}

async function* pick(items: AsyncIterable<Item>, wanted: Set<string>, seen: Set<string>): AsyncGenerator<Item> {
  for await (const item of items) {
    if (item.kind === 'failed') {
      yield item;
      continue;
    }
    const ref = sourceRef(item);
    if (!ref || !wanted.has(ref)) continue;
    seen.add(ref);
    yield item;
  }
}

/**
 * A postgres table or FHIR server read as one stream, type after type; each
 * type is a unit. Records of finished units are read and dropped (the store
 * readers cannot start in the middle).
 */
export function storeSource(store: FhirStore, opts: StoreReaderOptions): FhirSource {
  // named resources are asked for type by type, so that each type is one unit
  const readerOpts = opts.resources ? { ...opts, resources: [...opts.resources].sort(byTypeThenId) } : opts;
  async function* units(skip: (unit: string) => boolean): AsyncGenerator<SourceUnit> {
    const it = (store.reader(readerOpts) as AsyncIterable<Item>)[Symbol.asyncIterator]();
    let next = await it.next();
    let current = '(store)';
    const typeOf = (item: Item): string => (item.kind === 'failed' ? item.resourceType ?? current : keyedResource(item)?.type ?? current);
    try {
      while (!next.done) {
        const name = typeOf(next.value);
        current = name;
        let drained = false;
        async function* items(): AsyncGenerator<Item> {
          while (!next.done && typeOf(next.value) === name) {
            yield next.value;
            next = await it.next();
          }
          drained = true;
        }
        if (skip(name)) {
          for await (const _ of items()) void _;
          continue;
        }
        yield { name, items: items() };
        if (!drained) return; // the consumer stopped (cancelled)
      }
    } finally {
      await it.return?.();
    }
  }
  return { uri: store.uri, keyOrdered: store.kind === 'postgres', units };
}

function byTypeThenId(a: string, b: string): number {
  const [ta, ia] = [a.slice(0, a.indexOf('/') >>> 0), a.slice(a.indexOf('/') + 1)];
  const [tb, ib] = [b.slice(0, b.indexOf('/') >>> 0), b.slice(b.indexOf('/') + 1)];
  if (ta !== tb) return ta < tb ? -1 : 1;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
