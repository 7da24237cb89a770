/** Anything with the few tap Test methods the service helpers use. */
export interface TestLike {
  fail(message: string): unknown;
  comment(...message: unknown[]): unknown;
  plan(n: number, comment?: string): unknown;
  teardown(fn: () => unknown): unknown;
}

/** A TestLike that records what a service helper does to a test. */
export function recordingTest(): { calls: string[]; test: TestLike } {
  const calls: string[] = [];
  return {
    calls,
    test: {
      fail: (m: string) => calls.push(`fail ${m}`),
      comment: (...m: unknown[]) => calls.push(`comment ${m.join(' ')}`),
      plan: (n: number, c?: string) => calls.push(`plan ${n} ${c ?? ''}`),
      teardown: () => undefined,
    },
  };
}
