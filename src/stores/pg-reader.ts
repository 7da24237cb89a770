import { Readable } from 'node:stream';
import type pg from 'pg';
import { failed, ok, type Item } from '../core/record.js';
import { StoreCodes, StoreError } from './codes.js';
import { isTransientPgError, pgDetail } from './pg-errors.js';
import { byKeysSql, pageSql, type PgTableName } from './pg-sql.js';
import { parseResourceRef } from './resource-key.js';
import { withRetry, type RetryPolicy } from './retry.js';
import type { StoreReaderOptions } from './types.js';

export interface PgReaderOptions extends StoreReaderOptions {
  pool: pg.Pool;
  table: PgTableName;
  uri: string;
  pageSize: number;
  retry: RetryPolicy;
}

interface Row {
  resource_type: string;
  id: string;
  body: string;
  keep?: boolean;
}

/**
 * Reads a postgres store in (resource_type, id) order by keyset pagination:
 * each page is one short query, so no transaction or cursor is held open
 * between reads and a page lost to a dropped connection is just asked again.
 * When retries run out the stream ends with a STORE_UNAVAILABLE failed item
 * naming the last key read.
 */
export class PgStoreReader extends Readable {
  private after: [string, string] | null = null;
  private readonly keys: Array<[string, string]> | undefined;
  private keyPos = 0;
  private busy = false;
  private finished = false;

  /** The connection of the page query in flight. */
  private active: pg.PoolClient | undefined;

  constructor(private readonly o: PgReaderOptions) {
    super({ objectMode: true, highWaterMark: o.pageSize });
    if (o.resources) this.keys = sortedKeys(o.resources, o.types);
    const signal = o.signal;
    if (signal) {
      const onAbort = (): void => this.abort();
      if (signal.aborted) queueMicrotask(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
  }

  /**
   * A cancelled run: the stream ends at once, and a page query in flight
   * (one waiting on a lock or a stalled server can take any time) loses its
   * connection, which the pool then discards, so closing the store does not
   * wait for it either.
   */
  private abort(): void {
    const stream = (this.active as unknown as { connection?: { stream?: { destroy(): void } } } | undefined)?.connection?.stream;
    stream?.destroy();
    this.end();
  }

  override _read(): void {
    if (this.busy || this.finished) return;
    this.busy = true;
    this.nextPage().then(
      (more) => {
        this.busy = false;
        if (!more) this.end();
        else if (this.readableLength < this.readableHighWaterMark) this._read();
      },
      (e: Error) => this.destroy(e),
    );
  }

  private end(): void {
    if (this.finished) return;
    this.finished = true;
    this.push(null);
  }

  private loc(type: string, id: string): { file: string } {
    return { file: `${this.o.uri}#${type}/${id}` };
  }

  /** Pushes one page; false when there is nothing more. */
  private async nextPage(): Promise<boolean> {
    const cutoff = this.o.skipModifiedAfter?.toISOString() ?? null;
    let sql: string;
    let params: unknown[];
    let chunk: Array<[string, string]> = [];
    if (this.keys) {
      chunk = this.keys.slice(this.keyPos, this.keyPos + this.o.pageSize);
      if (chunk.length === 0) return false;
      sql = byKeysSql(this.o.table);
      params = [chunk.map((k) => k[0]), chunk.map((k) => k[1]), cutoff];
    } else {
      sql = pageSql(this.o.table);
      params = [this.after?.[0] ?? null, this.after?.[1] ?? null, cutoff, this.o.pageSize, this.o.types ?? null];
    }
    const rows = await this.query(sql, params);
    if (this.finished) return false; // aborted meanwhile: nothing more is pushed
    if (rows === undefined) {
      const at = this.after ? this.loc(...this.after) : { file: this.o.uri };
      this.push({ ...failed('STORE_UNAVAILABLE', `${StoreCodes.STORE_UNAVAILABLE}: reading stopped`, at), stopped: true });
      return false;
    }
    if (this.keys) {
      // found and absent resources interleaved in key order: the operation's checkpoint is the last settled key
      this.keyPos += chunk.length;
      const found = new Map(rows.map((r) => [`${r.resource_type}/${r.id}`, r]));
      for (const [type, id] of chunk) {
        const r = found.get(`${type}/${id}`);
        if (!r) {
          this.push(failed('STORE_RESOURCE_NOT_FOUND', StoreCodes.STORE_RESOURCE_NOT_FOUND, this.loc(type, id), type));
          continue;
        }
        this.after = [type, id];
        if (r.keep !== false) this.push(toItem(r, this.loc(type, id)));
      }
      return true;
    }
    for (const r of rows) {
      this.after = [r.resource_type, r.id];
      this.push(toItem(r, this.loc(r.resource_type, r.id)));
    }
    return rows.length === this.o.pageSize;
  }

  private async query(sql: string, params: unknown[]): Promise<Row[] | undefined> {
    return withRetry(async () => {
      let client: pg.PoolClient | undefined;
      let failure: unknown;
      try {
        client = await this.o.pool.connect();
        if (this.finished) return { done: true as const, value: [] };
        this.active = client;
        const res = await client.query<Row>(sql, params);
        return { done: true as const, value: res.rows };
      } catch (e) {
        failure = e;
        if (this.finished) return { done: true as const, value: [] };
        if (isTransientPgError(e)) return { done: false as const };
        throw new StoreError('STORE_REJECTED', pgDetail(e));
      } finally {
        this.active = undefined;
        // a connection that failed (or was cut by an abort) is discarded, as pool.query does
        client?.release(failure instanceof Error ? failure : undefined);
      }
    }, this.o.retry, this.o.signal);
  }
}

/**
 * A row's body must be the resource its key names: the operations group
 * records by type and checkpoint by key in row order, so a body of another
 * type or id would split a type's unit in two (the second replacing the
 * first) or move the checkpoint past rows not read yet.
 */
function toItem(r: Row, loc: { file: string }): Item {
  let body: unknown;
  try {
    body = JSON.parse(r.body) as unknown;
  } catch {
    body = undefined;
  }
  const b = body as { resourceType?: unknown; id?: unknown } | undefined;
  if (b === null || typeof b !== 'object' || Array.isArray(b) || b.resourceType !== r.resource_type || b.id !== r.id) {
    return failed('STORE_BAD_RESPONSE', StoreCodes.STORE_BAD_RESPONSE, loc, r.resource_type);
  }
  return ok(body, loc);
}

/** Requested refs, deduplicated, in the store's order; malformed ones are dropped (they cannot be stored). */
function sortedKeys(refs: string[], types?: string[]): Array<[string, string]> {
  const uniq = new Map<string, [string, string]>();
  for (const ref of refs) {
    const k = parseResourceRef(ref);
    if (k && (!types || types.includes(k[0]))) uniq.set(`${k[0]}\u0000${k[1]}`, k);
  }
  return [...uniq.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}
