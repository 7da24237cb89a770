import { anySignal, withRetry } from '../retry.js';
import { isTransientStatus, isUnauthorizedStatus, retryAfterMs, urlPath } from '../rest-client.js';
import { DicomStoreError } from './codes.js';
import type { DicomStoreOptions } from './types.js';

export interface DicomWebRequest {
  method: 'GET' | 'POST';
  /** Path below the base, UIDs only (named in messages). */
  path: string;
  headers?: Record<string, string>;
  /** Made anew for every attempt (a streamed body cannot be sent twice). */
  body?: () => ReadableStream<Uint8Array> | Buffer;
}

type Attempted = { done: true; value: Response } | { done: false; retryAfterMs?: number };

/**
 * One DICOMweb request with retries: connection errors, a timeout before the
 * response headers, 408, 429 and 5xx are tried again with exponential
 * backoff (a Retry-After wins); 401 throws STORE_UNAUTHORIZED and 403
 * STORE_FORBIDDEN at once (status, method and path only): a 403 may concern
 * one study or instance, and callers that act on one fail just that, while a
 * 403 on the first check of the server (ensure) or the listing of all studies
 * stops the run as STORE_UNAUTHORIZED; any other status is returned to the caller,
 * body unread. When the attempts run out: STORE_UNAVAILABLE naming the
 * method, the path, the attempts and the last reason.
 */
export async function dicomWebFetch(base: string, req: DicomWebRequest, o: DicomStoreOptions = {}): Promise<Response> {
  let reason = 'connection';
  let attempts = 0;
  const res = await withRetry<Response>(async (n): Promise<Attempted> => {
    attempts = n;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), o.timeoutMs ?? 60_000);
    let res: Response;
    try {
      const init: RequestInit & { duplex?: 'half' } = {
        method: req.method,
        headers: { ...(o.headers ?? {}), ...(req.headers ?? {}) },
        signal: o.signal ? anySignal([ctl.signal, o.signal]) : ctl.signal,
        // with credentials, a redirect is not followed: headers other than Authorization would go to wherever it points
        redirect: o.headers ? 'manual' : 'follow',
      };
      if (req.body) {
        init.body = req.body() as BodyInit;
        init.duplex = 'half';
      }
      res = await fetch(base + req.path, init);
    } catch {
      reason = o.signal?.aborted ? 'cancelled' : ctl.signal.aborted ? 'timeout' : 'connection';
      o.onAttemptFailed?.({ attempt: n, method: req.method, path: req.path, reason });
      return { done: false };
    } finally {
      clearTimeout(timer);
    }
    if (isUnauthorizedStatus(res.status)) {
      await res.body?.cancel().catch(() => undefined);
      o.onAttemptFailed?.({ attempt: n, method: req.method, path: req.path, reason: `HTTP ${res.status}` });
      // 401: every further request would be refused too; no retry, and the run stops rather than failing each instance.
      // 403: not retried either, but may concern this study or instance only (the caller decides).
      throw new DicomStoreError(res.status === 403 ? 'STORE_FORBIDDEN' : 'STORE_UNAUTHORIZED', `HTTP ${res.status} ${req.method} ${urlPath(base + req.path)}`);
    }
    if (!isTransientStatus(res.status)) return { done: true, value: watchBody(res, ctl, o.timeoutMs ?? 60_000) };
    reason = `HTTP ${res.status}`;
    await res.body?.cancel().catch(() => undefined);
    o.onAttemptFailed?.({ attempt: n, method: req.method, path: req.path, reason });
    const after = retryAfterMs(res.headers.get('retry-after'));
    return after === undefined ? { done: false } : { done: false, retryAfterMs: after };
  }, o.retry ?? {}, o.signal);
  if (!res) throw new DicomStoreError('STORE_UNAVAILABLE', `${req.method} ${req.path} after ${attempts} attempts (last: ${reason})`);
  return res;
}

/**
 * The response with a body that errors when nothing arrives for `idleMs`
 * (the request is aborted): a server that stalls mid-body must not hold an
 * instance read, a listing or a STOW answer forever. The timer does not keep
 * the process alive, and stops once the body ends or its reader cancels it.
 */
function watchBody(res: Response, ctl: AbortController, idleMs: number): Response {
  if (!res.body || res.status === 204 || res.status === 205 || res.status === 304) return res;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => ctl.abort(), idleMs);
    timer.unref();
  };
  arm();
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        const r = await reader.read();
        if (r.done) {
          clearTimeout(timer);
          c.close();
        } else {
          arm();
          c.enqueue(r.value);
        }
      } catch (e) {
        clearTimeout(timer);
        c.error(e);
      }
    },
    cancel(reason) {
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Reads a JSON body (DICOM JSON model); STORE_BAD_RESPONSE when it is not JSON. */
export async function jsonBody(res: Response, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new DicomStoreError('STORE_BAD_RESPONSE', `${what}: body cut short`);
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DicomStoreError('STORE_BAD_RESPONSE', `${what}: not JSON`);
  }
}
