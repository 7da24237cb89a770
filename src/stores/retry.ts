export interface RetryPolicy {
  /** Attempts in all (first try included). Default 4. */
  attempts?: number;
  /** First backoff in ms, doubled each retry. Default 200. */
  baseDelayMs?: number;
  /** Longest single wait in ms. Default 10 000. */
  maxDelayMs?: number;
}

/** What one attempt gave: a result, or a transient failure worth another try. */
export type Attempt<T> = { done: true; value: T } | { done: false; retryAfterMs?: number };

/** A signal aborted when any of `signals` is (AbortSignal.any, which Node has from 20.3 only). */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any(signals);
  const c = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      c.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((r) => {
    if (signal?.aborted) return r();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      r();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Backoff before retry n (1-based): base·2^(n-1), capped, with ±20 % jitter. */
export function backoffMs(n: number, p: RetryPolicy): number {
  const base = p.baseDelayMs ?? 200;
  const cap = p.maxDelayMs ?? 10_000;
  const d = Math.min(cap, base * 2 ** (n - 1));
  return Math.round(d * (0.8 + 0.4 * Math.random()));
}

/**
 * Runs `attempt` until it is done or the attempts are used up (then
 * undefined). A server's Retry-After wins over the backoff, within maxDelayMs.
 * Non-transient errors are for `attempt` to turn into a done result or throw.
 * Once `signal` aborts, no attempt is started and a backoff ends at once
 * (undefined).
 */
export async function withRetry<T>(attempt: (n: number) => Promise<Attempt<T>>, p: RetryPolicy = {}, signal?: AbortSignal): Promise<T | undefined> {
  const max = Math.max(1, p.attempts ?? 4);
  for (let n = 1; ; n++) {
    if (signal?.aborted) return undefined;
    const r = await attempt(n);
    if (r.done) return r.value;
    if (n >= max || signal?.aborted) return undefined;
    const wait = r.retryAfterMs !== undefined ? Math.min(r.retryAfterMs, p.maxDelayMs ?? 10_000) : backoffMs(n, p);
    await sleep(wait, signal);
  }
}
