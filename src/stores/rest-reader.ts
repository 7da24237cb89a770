import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { failed, ok, type Failed, type Item } from '../core/record.js';
import { StoreCodes, type StoreCode } from './codes.js';
import { lastUpdatedOf } from './filter-resources.js';
import { fhirFetch, StoreForbidden, type RestClientOptions, type RestResponse } from './rest-client.js';
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
    let res: RestResponse | undefined;
    try {
      res = await fhirFetch(`${o.base}/${k[0]}/${encodeURIComponent(k[1])}`, { method: 'GET' }, o);
    } catch (e) {
      // refused for this type or resource only: the others are read on
      if (!(e instanceof StoreForbidden)) throw e;
      yield fail('STORE_FORBIDDEN', file, e.detail, k[0]);
      continue;
    }
    if (o.signal?.aborted) return;
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

/** Consecutive pages without an entry that a search may answer before it is taken for a loop. */
export const MAX_EMPTY_PAGES = 100;

/** A failed item that ends the reading of a type (or of the store) early: the records after it were not read. */
const stop = (code: StoreCode, file: string, detail: string, type?: string): Failed => ({ ...(fail(code, file, detail, type) as Failed), stopped: true });

/** The entries' (type, id) list of a page, hashed: a page seen twice means the paging goes round in circles. */
function pageFingerprint(entries: Json[]): string {
  const h = createHash('sha256');
  for (const e of entries) {
    const r = e?.resource as Json | undefined;
    h.update(`${String(r?.resourceType)}/${String(r?.id)}\n`);
  }
  return h.digest('base64').slice(0, 22);
}

/**
 * Pages of `GET [base]/[type]?_count=N`, following Bundle.link[next] on the
 * same origin only. Any page that cannot be had or used (a 403 included:
 * STORE_FORBIDDEN) ends the type with a `stopped` failure: a link that repeats, a page whose entries repeat an
 * earlier page (links that differ but go round), or too many empty pages in
 * a row. Per page, only a short hash of its link and of its entry keys is kept.
 */
async function* readType(o: RestReaderOptions, type: string): AsyncGenerator<Item> {
  const where = `${o.uri}#${type}`;
  const seenLinks = new Set<string>();
  const seenPages = new Set<string>();
  let emptyPages = 0;
  let url: string | undefined = `${o.base}/${type}?_count=${o.pageSize}`;
  while (url) {
    seenLinks.add(createHash('sha256').update(url).digest('base64').slice(0, 22));
    let res: RestResponse | undefined;
    try {
      res = await fhirFetch(url, { method: 'GET' }, o);
    } catch (e) {
      // a type these credentials may not search (a per-type scope): that type fails, the others are read on
      if (!(e instanceof StoreForbidden)) throw e;
      return yield stop('STORE_FORBIDDEN', where, `reading ${type} stopped: ${e.detail}`, type);
    }
    if (o.signal?.aborted) return;
    if (!res) return yield stop('STORE_UNAVAILABLE', where, `reading ${type} stopped`, type);
    const b = res.body as Json | undefined;
    if (res.status !== 200) return yield stop('STORE_REJECTED', where, `reading ${type} stopped: HTTP ${res.status}`, type);
    if (b?.resourceType !== 'Bundle') return yield stop('STORE_BAD_RESPONSE', where, `reading ${type} stopped: a page is not a Bundle`, type);
    const entries = (Array.isArray(b.entry) ? b.entry : []) as Json[];
    const matches = entries.filter((e) => {
      const mode = (e?.search as Json | undefined)?.mode;
      return mode !== 'include' && mode !== 'outcome';
    });
    if (matches.length === 0) {
      if (++emptyPages > MAX_EMPTY_PAGES) return yield stop('STORE_BAD_RESPONSE', where, `reading ${type} stopped: paging does not advance`, type);
    } else {
      emptyPages = 0;
      const fp = pageFingerprint(matches);
      if (seenPages.has(fp)) return yield stop('STORE_BAD_RESPONSE', where, `reading ${type} stopped: paging repeats a page`, type);
      seenPages.add(fp);
    }
    for (const e of matches) {
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
      return yield stop('STORE_BAD_RESPONSE', where, `reading ${type} stopped: next link is not a URL`, type);
    }
    // credentials in headers must not follow a link to another origin; a repeated link would loop forever
    if (resolved.origin !== new URL(o.base).origin) return yield stop('STORE_BAD_RESPONSE', where, `reading ${type} stopped: next link leaves the server`, type);
    if (seenLinks.has(createHash('sha256').update(resolved.href).digest('base64').slice(0, 22))) return yield stop('STORE_BAD_RESPONSE', where, `reading ${type} stopped: next link repeats`, type);
    url = resolved.href;
  }
}

async function* readAll(o: RestReaderOptions): AsyncGenerator<Item> {
  if (o.resources) return yield* readByIds(o, o.resources);
  let types = o.types;
  if (!types) {
    const res = await fhirFetch(`${o.base}/metadata`, { method: 'GET' }, o);
    if (o.signal?.aborted) return;
    if (!res) return yield stop('STORE_UNAVAILABLE', o.uri, 'metadata');
    types = res.status === 200 ? searchableTypes(res.body) : undefined;
    if (!types) return yield stop('STORE_BAD_RESPONSE', o.uri, 'no usable CapabilityStatement; give the types to read');
  }
  for (const t of types) {
    if (o.signal?.aborted) return;
    yield* readType(o, t);
  }
}

/** Object-mode Readable of a FHIR server's resources, type by type. */
export function restReader(o: RestReaderOptions): Readable {
  return Readable.from(readAll(o), { objectMode: true, highWaterMark: o.pageSize });
}
