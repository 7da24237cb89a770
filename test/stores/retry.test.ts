import t from 'tap';
import { retryAfterMs } from '../../src/stores/rest-client.js';
import { anySignal, backoffMs, withRetry } from '../../src/stores/retry.js';

t.test('withRetry stops at the first done attempt', async (t) => {
  let calls = 0;
  const v = await withRetry(async (n) => {
    calls++;
    return n < 3 ? { done: false } : { done: true, value: n };
  }, { attempts: 5, baseDelayMs: 1 });
  t.equal(v, 3);
  t.equal(calls, 3);
});

t.test('withRetry gives up after the attempts', async (t) => {
  let calls = 0;
  const v = await withRetry(async () => {
    calls++;
    return { done: false };
  }, { attempts: 3, baseDelayMs: 1 });
  t.equal(v, undefined);
  t.equal(calls, 3);
});

t.test('Retry-After wins over the backoff, capped by maxDelayMs', async (t) => {
  const start = Date.now();
  await withRetry(async (n) => (n === 1 ? { done: false, retryAfterMs: 60_000 } : { done: true, value: 1 }), { baseDelayMs: 1, maxDelayMs: 30 });
  t.ok(Date.now() - start < 1000, 'a 60 s Retry-After was capped');
});

t.test('backoff doubles and is capped', async (t) => {
  const p = { baseDelayMs: 100, maxDelayMs: 1000 };
  t.ok(backoffMs(1, p) >= 80 && backoffMs(1, p) <= 120);
  t.ok(backoffMs(3, p) >= 320 && backoffMs(3, p) <= 480);
  t.ok(backoffMs(20, p) <= 1200);
});

t.test('Retry-After forms', async (t) => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  t.equal(retryAfterMs('0', now), 0);
  t.equal(retryAfterMs(' 7 ', now), 7000);
  t.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  t.equal(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now), 0, 'a date in the past means now');
  t.equal(retryAfterMs(null, now), undefined);
  t.equal(retryAfterMs('soon', now), undefined);
  t.equal(retryAfterMs('-3', now), undefined);
});

t.test('anySignal aborts with the first of its signals, also where AbortSignal.any is missing (Node < 20.3)', async (t) => {
  const any = AbortSignal.any;
  for (const native of [true, false]) {
    if (!native) (AbortSignal as { any?: unknown }).any = undefined;
    try {
      const a = new AbortController();
      const b = new AbortController();
      const s = anySignal([a.signal, b.signal]);
      t.equal(s.aborted, false);
      b.abort('stop');
      t.equal(s.aborted, true, `native ${native}`);
      t.equal(s.reason, 'stop');
      const done = new AbortController();
      done.abort('early');
      t.equal(anySignal([new AbortController().signal, done.signal]).aborted, true, 'an already aborted one counts');
    } finally {
      AbortSignal.any = any;
    }
  }
});

t.test('an aborted signal ends withRetry: no further attempt, the backoff cut short', async (t) => {
  const ac = new AbortController();
  let calls = 0;
  const start = Date.now();
  setTimeout(() => ac.abort(), 50);
  const r = await withRetry(async () => {
    calls++;
    return { done: false as const };
  }, { attempts: 5, baseDelayMs: 5000 }, ac.signal);
  t.equal(r, undefined);
  t.equal(calls, 1);
  t.ok(Date.now() - start < 1000);
});
