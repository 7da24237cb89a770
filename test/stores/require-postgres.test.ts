import t from 'tap';
import { requirePostgres } from '../helpers/services.js';
import { recordingTest } from '../helpers/test-like.js';

t.test('no server, not CI: the test is skipped with a loud line', async (t) => {
  const saved = process.env.CI;
  t.teardown(() => (saved === undefined ? delete process.env.CI : (process.env.CI = saved)));
  process.env.CI = 'false';
  const { calls, test } = recordingTest();
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(' '));
  try {
    t.equal(await requirePostgres(test, '127.0.0.1:1'), undefined);
  } finally {
    console.error = orig;
  }
  t.same(calls, ['comment SKIP: no PostgreSQL at 127.0.0.1:1', 'plan 0 SKIP: no PostgreSQL at 127.0.0.1:1']);
  t.match(errors.join('\n'), /\*\*\* SKIP: no PostgreSQL at 127\.0\.0\.1:1 \*\*\*/);
});

t.test('no server under CI=true: the test fails', async (t) => {
  const saved = process.env.CI;
  t.teardown(() => (saved === undefined ? delete process.env.CI : (process.env.CI = saved)));
  process.env.CI = 'true';
  const { calls, test } = recordingTest();
  t.equal(await requirePostgres(test, '127.0.0.1:1'), undefined);
  t.equal(calls.length, 1);
  t.match(calls[0], /^fail SKIP: no PostgreSQL at 127\.0\.0\.1:1 \(CI=true/);
});
