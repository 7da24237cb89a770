import { existsSync } from 'node:fs';
import t from 'tap';
import { findOrthanc, requireOrthanc } from '../../helpers/orthanc.js';
import { recordingTest } from '../../helpers/test-like.js';

function withEnv(t: { teardown(fn: () => unknown): unknown }, vars: Record<string, string>): void {
  for (const [k, v] of Object.entries(vars)) {
    const saved = process.env[k];
    t.teardown(() => (saved === undefined ? delete process.env[k] : (process.env[k] = saved)));
    process.env[k] = v;
  }
}

const LINE = 'SKIP: no Orthanc (apt-get install orthanc orthanc-dicomweb)';

t.test('no Orthanc, not CI: skipped with a loud line', async (t) => {
  withEnv(t, { CI: 'false', ORTHANC_BIN: '/nonexistent/Orthanc' });
  t.equal(findOrthanc(), undefined);
  const { calls, test } = recordingTest();
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(' '));
  try {
    t.equal(await requireOrthanc(test), undefined);
  } finally {
    console.error = orig;
  }
  t.same(calls, [`comment ${LINE}`, `plan 0 ${LINE}`]);
  t.match(errors.join('\n'), `*** ${LINE} ***`);
});

t.test('no Orthanc under CI=true: the test fails', async (t) => {
  withEnv(t, { CI: 'true', ORTHANC_BIN: '/nonexistent/Orthanc' });
  const { calls, test } = recordingTest();
  t.equal(await requireOrthanc(test), undefined);
  t.same(calls, [`fail ${LINE} (CI=true: Orthanc is required)`]);
});

t.test('a started Orthanc answers on loopback and is gone after stop, storage deleted', async (t) => {
  const teardowns: (() => unknown)[] = [];
  const o = await requireOrthanc({ ...recordingTest().test, teardown: (fn) => void teardowns.push(fn) });
  if (!o) return void t.comment(LINE);
  t.match(o.uri, /^dicomweb\+http:\/\/127\.0\.0\.1:\d+\/dicom-web$/);
  const sys = await (await fetch(`${o.http}/system`)).json() as { Name: string; PluginsEnabled: boolean };
  t.equal(sys.Name, 'deid-test');
  const plugins = await (await fetch(`${o.http}/plugins`)).json() as string[];
  t.ok(plugins.includes('dicom-web'), 'DICOMweb plugin loaded');
  t.ok(existsSync(o.dir));
  t.equal(teardowns.length, 1, 'stop is registered as a teardown');
  for (const fn of teardowns) await fn();
  const after = await fetch(`${o.http}/system`).then(() => 'answered', () => 'refused');
  t.equal(after, 'refused');
  t.notOk(existsSync(o.dir), 'storage deleted');
});
