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
  /** Offset in the compressed input of a gzip fault (GZIP_CORRUPT), when it is known. */
  gzipOffset?: number;
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
   * The container's last top-level `id` (the one JSON.parse keeps), read ahead
   * from a re-readable input, so that what it keys does not depend on member
   * order or on a duplicate after the streamed array; ID_TOO_LONG for one too
   * long to be a FHIR id. Undefined when not read ahead.
   */
  laterId?: unknown;
}

/**
 * The value of a streamed Bundle head's `meta` whose final value (with the
 * Bundle's security labels, known at its end) comes with the tail: a writer
 * puts the tail's `meta` at this place when it can (JSON.stringify leaves the
 * symbol out).
 */
export const META_HELD: unique symbol = Symbol('metaHeld');

/** ContainerStart.laterId of an `id` whose text is longer than any FHIR id's: no id, not kept. */
export const ID_TOO_LONG: unique symbol = Symbol('idTooLong');
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
  if (loc.gzipOffset !== undefined) s += ` (gzip@${loc.gzipOffset})`;
  return s;
}
