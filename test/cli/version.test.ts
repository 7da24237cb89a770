import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, repoRoot } from '../helpers/run-cli.js';

const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

t.test('--version and -V print package.json version on stdout and exit 0', async (t) => {
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag], { env: { npm_package_version: '9.9.9' } });
    t.equal(r.code, 0, flag);
    t.equal(r.stdout.toString().trim(), version, `${flag} reads package.json, not the environment`);
    t.equal(r.stderr, '', `${flag}: nothing on stderr`);
  }
});

t.test('top-level help still lists every command', async (t) => {
  const r = await runCli(['--help']);
  t.equal(r.code, 0);
  for (const c of ['fhir', 'dicom', 'text', 'dataset', 'dicom-store', 'fhir-store', 'operation', 'run']) t.match(r.stdout.toString(), new RegExp(`\\b${c}\\b`), c);
});
