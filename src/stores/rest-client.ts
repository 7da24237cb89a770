import { StoreError } from './codes.js';
import { anySignal, withRetry, type RetryPolicy } from './retry.js';

export interface RestClientOptions {
  retry?: RetryPolicy;
  /** Per-request timeout in ms. Default 60 000. */
  timeoutMs?: number;
  /** Extra headers on every request (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Abandons the request in flight and any retry when aborted (then undefined, as when retries run out). */
  signal?: AbortSignal;
}

export interface RestResponse {
  status: number;
  /** Parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
}

/** Statuses worth another try (https://hl7.org/fhir/R4/http.html leaves retry policy to the client). */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** 401 and 403: the credentials are missing, wrong or not enough; every other request would be refused too. */
export function isUnauthorizedStatus(status: number): boolean {
  return status === 401 || status === 403;
}

/** The path of a URL, without query or credentials: what a message may name. */
export function urlPath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(unparsable URL)';
  }
}

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined when absent or unusable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // every HTTP-date form starts with a day name; Date.parse alone would take '-3' as a year
  if (!/^[A-Za-z]{3}/.test(v)) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * A 403: these credentials may not do this one thing (a SMART scope such as
 * `user/Observation.read` missing, a type the server will not take). Callers
 * that act on one resource type or resource catch it and fail just that;
 * elsewhere it stops the run as STORE_UNAUTHORIZED does. `detail` names the
 * status, method and URL path only (a query may hold search values).
 */
export class StoreForbidden extends StoreError {
  constructor(readonly detail: string) {
    super('STORE_FORBIDDEN', detail);
  }
}

/**
 * One FHIR interaction with retries: connection errors, timeouts, 408, 429
 * and 5xx are tried again with exponential backoff (the server's
 * Retry-After wins); 401 throws STORE_UNAUTHORIZED at once (naming the
 * status, method and path only), as every further request would be refused
 * too, and 403 throws StoreForbidden, not retried either; any other status
 * is returned. Undefined when retries run out.
 */
export async function fhirFetch(url: string, init: { method: string; body?: string }, o: RestClientOptions): Promise<RestResponse | undefined> {
  const headers: Record<string, string> = { accept: 'application/fhir+json', ...(o.headers ?? {}) };
  if (init.body !== undefined) headers['content-type'] = 'application/fhir+json';
  return withRetry(async () => {
    let res: Response;
    try {
      // the timeout covers the whole exchange, body included: a server that stalls mid-body is cut off too
      const timeout = AbortSignal.timeout(o.timeoutMs ?? 60_000);
      // with credentials, a redirect is not followed: headers other than Authorization would go to wherever it points
      res = await fetch(url, { method: init.method, headers, body: init.body, redirect: o.headers ? 'manual' : 'follow', signal: o.signal ? anySignal([o.signal, timeout]) : timeout });
    } catch {
      return { done: false as const };
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      return { done: false as const };
    }
    if (res.status === 403) throw new StoreForbidden(`HTTP 403 ${init.method} ${urlPath(url)}`);
    if (isUnauthorizedStatus(res.status)) throw new StoreError('STORE_UNAUTHORIZED', `HTTP ${res.status} ${init.method} ${urlPath(url)}`);
    if (isTransientStatus(res.status)) {
      const after = retryAfterMs(res.headers.get('retry-after'));
      return after === undefined ? { done: false as const } : { done: false as const, retryAfterMs: after };
    }
    return { done: true as const, value: { status: res.status, body: parseJson(text) } };
  }, o.retry ?? {}, o.signal);
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
