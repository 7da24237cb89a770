import { signalsHandledElsewhere } from '../core/remove-on-signal.js';

/** Exit statuses of a cancelled run: 128 + the signal number, as shells report them. */
export const SIGNAL_STATUS: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * SIGINT/SIGTERM → "stop taking new work". The first signal sets the flag;
 * a second one also cuts the bounded wait for in-flight writes short.
 */
export class Cancellation {
  signal: 'SIGINT' | 'SIGTERM' | undefined;
  readonly #stop = new AbortController();
  #urgent: Array<() => void> = [];
  readonly #handlers = new Map<string, () => void>();
  #release: (() => void) | undefined;

  get cancelled(): boolean {
    return this.signal !== undefined;
  }

  /** Aborted at the first signal: source reads waiting on a slow or stalled store give up at once. */
  get abortSignal(): AbortSignal {
    return this.#stop.signal;
  }

  /** Cancels as a first signal would (tests, and callers that stop a run themselves). */
  cancel(s: 'SIGINT' | 'SIGTERM'): void {
    if (this.signal) return;
    this.signal = s;
    this.#stop.abort();
  }

  /**
   * Takes SIGINT and SIGTERM for this run. Files registered to be removed on
   * a signal (a spilled patient context) are then removed by the run's own
   * clean-up instead: removing them at the signal and ending the process
   * there would skip the checkpoint, the in-flight writes and the lock.
   */
  listen(): this {
    this.#release ??= signalsHandledElsewhere();
    for (const s of ['SIGINT', 'SIGTERM'] as const) {
      const h = () => {
        if (this.signal) for (const f of this.#urgent.splice(0)) f();
        else this.cancel(s);
      };
      this.#handlers.set(s, h);
      process.on(s, h);
    }
    return this;
  }

  dispose(): void {
    for (const [s, h] of this.#handlers) process.off(s, h);
    this.#handlers.clear();
    this.#release?.();
    this.#release = undefined;
  }

  /** Resolves after `ms`, or at once on a second signal. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#urgent.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
