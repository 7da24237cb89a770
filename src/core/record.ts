/**
 * The record protocol: every stage consumes and produces `Item`s. A record
 * that fails is not thrown: it becomes a `Failed` item carrying its location
 * and a stable code, travels to the end of the pipeline with the others, and
 * is routed to the error log there. This keeps order, and makes
 * `in = out + failed` a property of the stream rather than of bookkeeping.
 */
export interface Location {
  /** Source path, or '-' for stdin. */
  file: string;
  /** 1-based line number for line-oriented inputs. */
  line?: number;
  /** Byte offset of the record's first byte, when known. */
  offset?: number;
  /** 0-based index of an entry inside a container (Bundle entry). */
  entry?: number;
}

export interface Ok<T> {
  kind: 'ok';
  value: T;
  loc: Location;
}

export interface Failed {
  kind: 'failed';
  code: string;
  reason: string;
  loc: Location;
  /** Resource type when it was known before the failure (for per-type counts). */
  resourceType?: string;
  /**
   * A store read that ended here, before its end: the records after this
   * point were never read, so the unit is not finished (a resume reads it
   * again) and what needs all of it (the patient pre-pass) cannot go on.
   */
  stopped?: true;
}

/** Structural events of a streamed container (a Bundle that is not held in memory). */
export interface ContainerStart {
  kind: 'start';
  /** Top-level members that come before the streamed array, already de-identified. */
  head: Record<string, unknown>;
  loc: Location;
  /**
   * The container's top-level `id` when it comes after the streamed array
   * (read ahead from a re-readable input), so what it keys does not depend
   * on member order.
   */
  laterId?: unknown;
}
export interface ContainerEnd {
  kind: 'end';
  /** Top-level members that came after the streamed array, already de-identified. */
  tail: Record<string, unknown>;
  loc: Location;
}

export type Item<T = unknown> = Ok<T> | Failed | ContainerStart | ContainerEnd;

export function ok<T>(value: T, loc: Location): Ok<T> {
  return { kind: 'ok', value, loc };
}

export function failed(code: string, reason: string, loc: Location, resourceType?: string): Failed {
  const f: Failed = { kind: 'failed', code, reason, loc };
  if (resourceType) f.resourceType = resourceType;
  return f;
}

export function formatLocation(loc: Location): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.offset !== undefined) s += `@${loc.offset}`;
  if (loc.entry !== undefined) s += `#entry${loc.entry}`;
  return s;
}
