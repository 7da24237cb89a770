// `deid fhir --threads N` through the built binary and its bundled worker:
// the same bytes as `--threads 0`, `| head -1` still exits quietly with the
// workers running, and the option is checked.
import { spawn } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { BIN, KEY_A, runCli, sharedData } from '../helpers/run-cli.js';

const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const smart = path.join(sharedData, 'fhir-samples/bulk-smart-10-patients');

t.test('--threads 2 writes the bytes of --threads 0', async (t) => {
  const one = await runCli(['fhir', synthea, smart, '--threads', '0']);
  const pooled = await runCli(['fhir', synthea, smart, '--threads', '2']);
  t.equal(one.code, 3, 'the smart export has records without a resourceType');
  t.equal(pooled.code, one.code);
  t.ok(one.stdout.length > 1e6, `${one.stdout.length} bytes`);
  t.ok(pooled.stdout.equals(one.stdout), 'byte for byte');
  t.equal(pooled.stderr.replace(/in [\d.]+s/, ''), one.stderr.replace(/in [\d.]+s/, ''), 'the same summary');
});

t.test('`| head -1` with worker threads exits quietly, status 0', async (t) => {
  const obs = path.join(synthea, 'Observation.ndjson');
  const r = await new Promise<{ code: number | null; err: string; got: number }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'fhir', obs, '--threads', '2'], { env: { ...process.env, DEID_KEY: KEY_A } });
    let got = 0;
    let err = '';
    child.stderr.on('data', (b) => (err += b));
    child.stdout.on('data', (b: Buffer) => {
      got += b.length;
      child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, err, got }));
  });
  t.ok(r.got > 0);
  t.equal(r.code, 0, 'deid exits 0 when its reader goes away');
  t.notMatch(r.err, /Error|EPIPE|at .*\.js/, 'no error or stack trace on stderr');
});

t.test('--threads takes a whole number', async (t) => {
  const r = await runCli(['fhir', synthea, '--threads', '-1']);
  t.equal(r.code, 64);
  t.equal(r.stdout.length, 0);
});
