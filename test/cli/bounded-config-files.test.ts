import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from '../helpers/run-cli.js';

// A config, key or pipeline file was read whole before it was checked: an
// endless one (`-c /dev/zero`, a FIFO that never ends) took all memory and
// the process died without a message. Each is now read up to its bound and
// refused past it with exit 78 (config) and nothing written; a pipeline
// file's bytes that are not UTF-8 are refused as a config's are.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-bounded-cli-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const ct = path.join(sharedData, 'dicom-samples/ts/CT1_UNC.explicit_little_endian.dcm');
const fhir = 'data/samples/fhir/Patient.ndjson';

t.test('endless config and key files are refused before any output', async (t) => {
  const runs: [string[], RegExp][] = [
    [['fhir', fhir, '-c', '/dev/zero'], /CONFIG_INVALID.*\/dev\/zero: larger than 16777216 bytes/],
    [['fhir', fhir, '--key-file', '/dev/zero'], /KEY_INVALID.*\/dev\/zero is larger than 1048576 bytes/],
    [['text', '-c', '/dev/zero'], /CONFIG_INVALID.*larger than/],
    [['dicom', ct, '-o', path.join(tmp, 'never'), '-c', '/dev/zero'], /CONFIG_INVALID.*larger than/],
    [['run', '/dev/zero'], /CONFIG_INVALID.*\/dev\/zero: larger than 1048576 bytes/],
  ];
  for (const [args, message] of runs) {
    const r = await runCli(args, { input: '{"id":1,"text":"x"}\n' });
    t.equal(r.code, 78, args.join(' '));
    t.match(r.stderr, message);
    t.equal(r.stdout.length, 0);
  }
  t.notOk(fs.existsSync(path.join(tmp, 'never')));
});

t.test('a pipeline file that is not UTF-8, or no file, is refused with its reason', async (t) => {
  const bad = path.join(tmp, 'latin1.yaml');
  fs.writeFileSync(bad, Buffer.concat([Buffer.from(`name: x\ninput: [${path.resolve(fhir)}]\nstages: [fhir-deidentify]\noutput: ${tmp}/out-`), Buffer.from([0xe9]), Buffer.from('\n')]));
  const r = await runCli(['run', bad]);
  t.equal(r.code, 78);
  t.match(r.stderr, /latin1\.yaml: not valid UTF-8/);
  t.same(fs.readdirSync(tmp).filter((f) => f.startsWith('out-')), [], 'no output folder under a mangled name');
  const dir = await runCli(['run', tmp]);
  t.equal(dir.code, 78);
  t.match(dir.stderr, /cannot be read/);
});

t.test('the same files of ordinary size still work', async (t) => {
  const good = path.join(tmp, 'ok.yaml');
  fs.writeFileSync(good, `name: ok\ninput: [${path.resolve(fhir)}]\nstages: [fhir-deidentify]\noutput: '-'\n`);
  const r = await runCli(['run', good, '-q']);
  t.equal(r.code, 0, r.stderr);
  t.ok(r.stdout.length > 0);
});
