import type { Item } from '../core/record.js';

type Json = Record<string, unknown>;

/** https://hl7.org/fhir/R4/datatypes.html#id */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

export interface KeyedResource {
  type: string;
  id: string;
  resource: Json;
}

/**
 * The resource an ok item stores, with its (type, id) key. A streamed Bundle
 * entry (loc.entry set) stores its `resource`. Null when there is none or its
 * type or id cannot key a store row / REST url.
 */
export function keyedResource(item: Item): KeyedResource | null {
  if (item.kind !== 'ok') return null;
  let v = item.value as Json | null;
  if (item.loc.entry !== undefined) v = (v?.resource as Json | undefined) ?? null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const { resourceType: type, id } = v;
  if (typeof type !== 'string' || !TYPE_NAME.test(type)) return null;
  if (typeof id !== 'string' || !FHIR_ID.test(id)) return null;
  return { type, id, resource: v };
}

/** `Type/id` → [type, id], or null when it is not of that form. */
export function parseResourceRef(ref: string): [string, string] | null {
  const slash = ref.indexOf('/');
  if (slash < 0) return null;
  const type = ref.slice(0, slash);
  const id = ref.slice(slash + 1);
  return TYPE_NAME.test(type) && FHIR_ID.test(id) ? [type, id] : null;
}

/** Resource type of an item when readable, for per-type failure counts. */
export function itemType(item: Item): string | undefined {
  if (item.kind !== 'ok') return undefined;
  let v = item.value as Json | null;
  if (item.loc.entry !== undefined) v = (v?.resource as Json | undefined) ?? null;
  const t = v && typeof v === 'object' ? (v as Json).resourceType : undefined;
  return typeof t === 'string' && TYPE_NAME.test(t) ? t : undefined;
}
