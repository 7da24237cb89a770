import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeOnSignal } from '../core/remove-on-signal.js';
import type { ContextValue } from '../text/types.js';

/**
 * Patients' context values on disk, for runs with more patients than memory
 * should hold (PatientContext spills here past its limit): a bulk export of
 * 200k patients held ~230 MB of them in the heap. Each add appends a record
 * `[uint32 length][JSON [id, [[value, infoType]…]]]` to a file only the
 * process owner can read, in a private folder of TMPDIR that is removed by
 * close() and by SIGINT/SIGTERM/SIGHUP (it holds PHI, like a copy of stdin).
 *
 * The index is an open-addressing table of 53-bit hashes of the ids and the
 * offsets of their latest records, 16 bytes a slot: what the heap holds grows
 * by ~32 bytes a patient, plus a cache of the last CACHE_SIZE patients read.
 * A hash shared by two ids is told apart by the id stored in the record.
 */
const CACHE_SIZE = 4096;

export class SpilledContexts {
  readonly #dir: string;
  readonly #fd: number;
  readonly #forget: () => void;
  #end = 0;
  #keys = new Float64Array(1 << 12);
  #offsets = new Float64Array(1 << 12);
  #count = 0;
  readonly #cache = new Map<string, ContextValue[]>();
  #header = Buffer.alloc(4);
  #closed = false;

  constructor(tmpdir = os.tmpdir()) {
    this.#dir = fs.mkdtempSync(path.join(tmpdir, 'deid-context-'));
    this.#forget = removeOnSignal(this.#dir);
    this.#fd = fs.openSync(path.join(this.#dir, 'patients'), 'w+', 0o600);
  }

  get size(): number {
    return this.#count;
  }

  /** The patient's values, or undefined when none were added. */
  get(id: string): ContextValue[] | undefined {
    const hit = this.#cache.get(id);
    if (hit !== undefined) {
      // most recently used last
      this.#cache.delete(id);
      this.#cache.set(id, hit);
      return hit;
    }
    const found = this.#find(id);
    if (found === undefined) return undefined;
    this.#remember(id, found.values);
    return found.values;
  }

  /** Stores `values` as the patient's (replacing what was there). */
  set(id: string, values: ContextValue[]): void {
    if (this.#closed) throw new Error('SpilledContexts used after close');
    const body = Buffer.from(JSON.stringify([id, values.map((v) => [v.value, v.infoType])]), 'utf8');
    const rec = Buffer.allocUnsafe(4 + body.length);
    rec.writeUInt32LE(body.length, 0);
    body.copy(rec, 4);
    let n = 0;
    while (n < rec.length) n += fs.writeSync(this.#fd, rec, n, rec.length - n, this.#end + n);
    const at = this.#end;
    this.#end += rec.length;
    const found = this.#find(id);
    if (found !== undefined) {
      this.#offsets[found.slot] = at;
    } else {
      if ((this.#count + 1) * 2 > this.#keys.length) this.#grow();
      this.#insert(hashOf(id), at);
      this.#count++;
    }
    this.#cache.delete(id);
    this.#remember(id, values);
  }

  /** Removes the file and its folder. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cache.clear();
    try {
      fs.closeSync(this.#fd);
    } finally {
      fs.rmSync(this.#dir, { recursive: true, force: true });
      this.#forget();
    }
  }

  #remember(id: string, values: ContextValue[]): void {
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(id, values);
  }

  /** `id`'s slot and its values as last stored, or undefined. */
  #find(id: string): { slot: number; values: ContextValue[] } | undefined {
    const h = hashOf(id);
    const mask = this.#keys.length - 1;
    for (let i = h % this.#keys.length; ; i = (i + 1) & mask) {
      const k = this.#keys[i]!;
      if (k === 0) return undefined;
      if (k !== h) continue;
      const [stored, values] = this.#read(this.#offsets[i]!);
      if (stored === id) return { slot: i, values };
    }
  }

  #insert(h: number, offset: number): void {
    const mask = this.#keys.length - 1;
    let i = h % this.#keys.length;
    while (this.#keys[i] !== 0) i = (i + 1) & mask;
    this.#keys[i] = h;
    this.#offsets[i] = offset;
  }

  #grow(): void {
    const keys = this.#keys;
    const offsets = this.#offsets;
    this.#keys = new Float64Array(keys.length * 2);
    this.#offsets = new Float64Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.#insert(keys[i]!, offsets[i]!);
  }

  #read(offset: number): [string, ContextValue[]] {
    this.#readAt(this.#header, offset);
    const body = Buffer.allocUnsafe(this.#header.readUInt32LE(0));
    this.#readAt(body, offset + 4);
    const [id, pairs] = JSON.parse(body.toString('utf8')) as [string, Array<[string, string]>];
    return [id, pairs.map(([value, infoType]) => ({ value, infoType }))];
  }

  #readAt(into: Buffer, offset: number): void {
    let n = 0;
    while (n < into.length) {
      const k = fs.readSync(this.#fd, into, n, into.length - n, offset + n);
      if (k === 0) throw new Error('patient context file is shorter than its index');
      n += k;
    }
  }
}

/** A non-zero 53-bit hash (two FNV-1a passes with different offsets). */
function hashOf(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return ((a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff)) + 1;
}
