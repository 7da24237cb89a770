import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { BIN, KEY_A, repoRoot, runCli } from '../helpers/run-cli.js';
import { tempDir } from './fhir-store-helpers.js';

const SAMPLE = path.join(repoRoot, 'data/samples/fhir');

t.test('a progress bar on stderr when it is a terminal, nothing when it is not', async (t) => {
  const tmp = tempDir(t);
  const plain = await runCli(['fhir-store', SAMPLE, path.join(tmp, 'a'), '-q']);
  t.equal(plain.code, 0);
  t.equal(plain.stderr, '', 'not a terminal and -q: no output at all');
  // script(1) gives the child a pseudo-terminal
  const script = spawnSync('script', ['-qec', `"${process.execPath}" "${BIN}" fhir-store "${SAMPLE}" "${path.join(tmp, 'b')}" -q 2>&1 >/dev/null`, '/dev/null'], { env: { ...process.env, DEID_KEY: KEY_A }, encoding: 'utf8' });
  if (script.error) {
    t.comment('SKIP: script(1) is not available');
    return;
  }
  t.equal(script.status, 0);
  t.match(script.stdout, /\d+ records \| \d+\/s \| units \d+\/\d+ \| ETA/, 'records, rate, units and ETA');
  t.match(script.stdout, /units 14\/14/, 'ends with every unit done');
});
