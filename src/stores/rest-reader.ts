import { Readable } from 'node:stream';
import { failed, ok, type Item } from '../core/record.js';
import { StoreCodes, type StoreCode } from './codes.js';
import { lastUpdatedOf } from './filter-resources.js';
import { fhirFetch, type RestClientOptions } from './rest-client.js';
import { parseResourceRef } from './resource-key.js';
import type { StoreReaderOptions } from './types.js';

export interface RestReaderOptions extends StoreReaderOptions, RestClientOptions {
  base: string;
  uri: string;
  /** Types to read; default: the searchable types of GET [base]/metadata. */
  types?: string[];
  /** `_count` per search page. Default 100. */
  pageSize: number;
}

type Json = Record<string, unknown>;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

const fail = (code: StoreCode, file: string, detail?: string, type?: string): Item =>
  failed(code, detail ? `${StoreCodes[code]}: ${detail}` : StoreCodes[code], { file }, type);

/** Types of a CapabilityStatement's server resources that allow search-type (all listed when interactions are not given). */
export function searchableTypes(cs: unknown): string[] | undefined {
  const rest = (cs as Json | undefined)?.rest;
  if (!Array.isArray(rest)) return undefined;
  const types = new Set<string>();
  for (const r of rest as Json[]) {
    if (r?.mode !== undefined && r.mode !== 'server') continue;
    for (const res of (Array.isArray(r?.resource) ? r.resource : []) as Json[]) {
      const inter = res?.interaction;
      const canSearch = !Array.isArray(inter) || (inter as Json[]).some((i) => i?.code === 'search-type');
      if (typeof res?.type === 'string' && TYPE_NAME.test(res.type) && canSearch) types.add(res.type);
    }
  }
  return [...types].sort();
}

async function* readByIds(o: RestReaderOptions, refs: string[]): AsyncGenerator<Item> {
  for (const ref of refs) {
    const k = parseResourceRef(ref);
    if (k && o.types && !o.types.includes(k[0])) continue;
    if (!k) {
      yield fail('STORE_RESOURCE_NOT_FOUND', o.uri, 'not a Type/id reference');
      continue;
    }
    const file = `${o.uri}#${k[0]}/${k[1]}`;
    const res = await fhirFetch(`${o.base}/${k[0]}/${encodeURIComponent(k[1])}`, { method: 'GET' }, o);
    if (!res) yield fail('STORE_UNAVAILABLE', file, undefined, k[0]);
    else if (res.status === 404 || res.status === 410) yield fail('STORE_RESOURCE_NOT_FOUND', file, undefined, k[0]);
    else if (res.status !== 200) yield fail('STORE_REJECTED', file, `HTTP ${res.status}`, k[0]);
    else if ((res.body as Json | undefined)?.resourceType !== k[0]) yield fail('STORE_BAD_RESPONSE', file, undefined, k[0]);
    else if (!skipped(o, res.body as Json)) yield ok(res.body, { file });
  }
}

function skipped(o: RestReaderOptions, r: Json): boolean {
  if (!o.skipModifiedAfter) return false;
  const t = lastUpdatedOf(r);
  return t !== undefined && t > o.skipModifiedAfter.getTime();
}

function nextLink(bundle: Json): string | undefined {
  const links = Array.isArray(bundle.link) ? (bundle.link as Json[]) : [];
  const next = links.find((l) => l?.relation === 'next')?.url;
  return typeof next === 'string' ? next : undefined;
}

/** Pages of `GET [base]/[type]?_count=N`, following Bundle.link[next] on the same origin only. */
async function* readType(o: RestReaderOptions, type: string): AsyncGenerator<Item> {
  const where = `${o.uri}#${type}`;
  const seen = new Set<string>();
  let url: string | undefined = `${o.base}/${type}?_count=${o.pageSize}`;
  while (url) {
    seen.add(url);
    const res = await fhirFetch(url, { method: 'GET' }, o);
    if (!res) return yield fail('STORE_UNAVAILABLE', where, `reading ${type} stopped`, type);
    const b = res.body as Json | undefined;
    if (res.status !== 200) return yield fail('STORE_REJECTED', where, `HTTP ${res.status}`, type);
    if (b?.resourceType !== 'Bundle') return yield fail('STORE_BAD_RESPONSE', where, undefined, type);
    for (const e of (Array.isArray(b.entry) ? b.entry : []) as Json[]) {
      const mode = (e?.search as Json | undefined)?.mode;
      if (mode === 'include' || mode === 'outcome') continue;
      const r = e?.resource as Json | undefined;
      if (!r || typeof r !== 'object' || r.resourceType !== type) {
        yield fail('STORE_BAD_RESPONSE', where, undefined, type);
        continue;
      }
      if (skipped(o, r)) continue;
      yield ok(r, { file: typeof r.id === 'string' ? `${o.uri}#${type}/${r.id}` : where });
    }
    const next = nextLink(b);
    if (next === undefined) return;
    let resolved: URL;
    try {
      resolved = new URL(next, o.base);
    } catch {
      return yield fail('STORE_BAD_RESPONSE', where, 'next link is not a URL', type);
    }
    // credentials in headers must not follow a link to another origin; a repeated link would loop forever
    if (resolved.origin !== new URL(o.base).origin) return yield fail('STORE_BAD_RESPONSE', where, 'next link leaves the server', type);
    if (seen.has(resolved.href)) return yield fail('STORE_BAD_RESPONSE', where, 'next link repeats', type);
    url = resolved.href;
  }
}

async function* readAll(o: RestReaderOptions): AsyncGenerator<Item> {
  if (o.resources) return yield* readByIds(o, o.resources);
  let types = o.types;
  if (!types) {
    const res = await fhirFetch(`${o.base}/metadata`, { method: 'GET' }, o);
    if (!res) return yield fail('STORE_UNAVAILABLE', o.uri, 'metadata');
    types = res.status === 200 ? searchableTypes(res.body) : undefined;
    if (!types) return yield fail('STORE_BAD_RESPONSE', o.uri, 'no usable CapabilityStatement; give the types to read');
  }
  for (const t of types) yield* readType(o, t);
}

/** Object-mode Readable of a FHIR server's resources, type by type. */
export function restReader(o: RestReaderOptions): Readable {
  return Readable.from(readAll(o), { objectMode: true, highWaterMark: o.pageSize });
}
