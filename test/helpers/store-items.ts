import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Failed, Item } from '../../src/core/record.js';
import { openInputs } from '../../src/sources/open-inputs.js';

type Json = Record<string, unknown>;

export async function collect(r: Readable): Promise<Item[]> {
  const out: Item[] = [];
  for await (const item of r) out.push(item as Item);
  return out;
}

export const oks = (items: Item[]): Json[] => items.flatMap((i) => (i.kind === 'ok' ? [i.value as Json] : []));
export const fails = (items: Item[]): Failed[] => items.filter((i): i is Failed => i.kind === 'failed');

/** `Type/id` → resource; throws on a duplicate key (the samples have none). */
export function byKey(resources: Json[]): Map<string, Json> {
  const m = new Map<string, Json>();
  for (const r of resources) {
    const k = `${String(r.resourceType)}/${String(r.id)}`;
    if (m.has(k)) throw new Error(`duplicate ${k}`);
    m.set(k, r);
  }
  return m;
}

/** Items of a folder or files, read with the project's own input reader. */
export async function readSource(...inputs: string[]): Promise<Item[]> {
  return collect(openInputs(inputs));
}

/** A copy of a resource without `meta` (a server adds versionId / lastUpdated). */
export function withoutMeta(r: Json): Json {
  const { meta: _meta, ...rest } = r;
  return rest;
}

/** A copy without the meta members a server sets on write (versionId, lastUpdated); other meta is kept. */
export function withoutServerMeta(r: Json): Json {
  const { meta, ...rest } = r;
  if (!meta || typeof meta !== 'object') return rest;
  const { versionId: _v, lastUpdated: _l, ...keep } = meta as Json;
  return Object.keys(keep).length > 0 ? { ...rest, meta: keep } : rest;
}

/** Pipes items into a writer and resolves when it has finished. */
export async function writeAll(items: Item[], w: Writable): Promise<void> {
  await pipeline(Readable.from(items, { objectMode: true }), w);
}

/** sha256 of every file under a folder, by relative path. */
export function checksumTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}
