import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { runCli, parseNdjson, BIN, KEY_A, repoRoot, sharedData } from '../helpers/run-cli.js';

const sample = path.join(repoRoot, 'data/samples/fhir');
const tmp = () => fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-unix-'));

t.test('stdin to stdout: data on stdout only, the summary on stderr', async (t) => {
  const input = fs.readFileSync(path.join(sample, 'Patient.ndjson'));
  const r = await runCli(['fhir'], { input });
  t.equal(r.code, 0);
  t.equal(parseNdjson(r.stdout).length, 3, 'every stdout line is a JSON record');
  t.match(r.stderr, /deid fhir: 3 in, 3 out, 0 failed/);
  const dash = await runCli(['fhir', '-'], { input });
  t.ok(dash.stdout.equals(r.stdout), '`-` is stdin');
});

t.test('`| head -1` exits quietly', async (t) => {
  const obs = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Observation.ndjson');
  const code = await new Promise<number | null>((resolve) => {
    const sh = spawn('sh', ['-c', `node "${BIN}" fhir "${obs}" | head -1 > /dev/null; echo "status=\${PIPESTATUS:-$?}" >&2`], {
      env: { ...process.env, DEID_KEY: KEY_A },
    });
    let err = '';
    sh.stderr.on('data', (b) => (err += b));
    sh.on('close', (c) => {
      t.notMatch(err, /Error|EPIPE|at .*\.js/, 'no error or stack trace on stderr');
      resolve(c);
    });
  });
  t.equal(code, 0);
  // the deid process itself, reading its own status
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'fhir', obs, '-q'], { env: { ...process.env, DEID_KEY: KEY_A } });
    let got = 0;
    child.stdout.on('data', (b: Buffer) => {
      got += b.length;
      if (got > 0) child.stdout.destroy();
    });
    child.on('close', (c) => resolve(c));
  });
  t.equal(status, 0, 'deid exits 0 when its reader goes away');
});

t.test('a bad config fails before any output, with a message naming the path', async (t) => {
  const dir = tmp();
  const cfg = path.join(dir, 'bad.json');
  fs.writeFileSync(cfg, JSON.stringify({ fhirFieldConfig: { profileType: 'NOPE' } }));
  const out = path.join(dir, 'out');
  const r = await runCli(['fhir', sample, '-c', cfg, '-o', out]);
  t.equal(r.code, 78);
  t.match(r.stderr, /CONFIG_INVALID/);
  t.match(r.stderr, /fhirFieldConfig\.profileType/);
  t.notOk(fs.existsSync(out), 'no output written');
  t.equal(r.stdout.length, 0);
});

t.test('usage errors, missing inputs and bad keys have their own statuses', async (t) => {
  t.equal((await runCli(['fhir', '--no-such-option'])).code, 64);
  t.equal((await runCli(['nosuchcommand'])).code, 64);
  const missing = await runCli(['fhir', '/nonexistent/input.ndjson']);
  t.equal(missing.code, 66);
  t.match(missing.stderr, /INPUT_NOT_FOUND/);
  const badKey = await runCli(['fhir', sample], { key: 'short' });
  t.equal(badKey.code, 78);
  t.match(badKey.stderr, /KEY_INVALID/);
  t.notMatch(badKey.stderr, /short/, 'the key is not echoed');
});

t.test('no key: a random one, with a warning that pseudonyms will not link', async (t) => {
  const input = fs.readFileSync(path.join(sample, 'Patient.ndjson'));
  const a = await runCli(['fhir'], { input, key: null });
  const b = await runCli(['fhir'], { input, key: null });
  t.equal(a.code, 0);
  t.match(a.stderr, /random key/);
  t.notOk(a.stdout.equals(b.stdout));
});

t.test('--key-file gives the same output as DEID_KEY with the same key', async (t) => {
  const dir = tmp();
  const kf = path.join(dir, 'key');
  fs.writeFileSync(kf, Buffer.from(KEY_A, 'hex').toString('base64') + '\n');
  const input = fs.readFileSync(path.join(sample, 'Patient.ndjson'));
  const a = await runCli(['fhir', '--key-file', kf], { input, key: null });
  const b = await runCli(['fhir'], { input });
  t.ok(a.stdout.equals(b.stdout));
});

t.test('`2>&1 | head -1` exits quietly too: the summary meets the closed pipe on stderr', async (t) => {
  const obs = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Observation.ndjson');
  const out = await new Promise<string>((resolve) => {
    const sh = spawn('bash', ['-c', `node "${BIN}" fhir "${obs}" 2>&1 | head -1 > /dev/null; echo "status=\${PIPESTATUS[0]}"`], {
      env: { ...process.env, DEID_KEY: KEY_A },
    });
    let s = '';
    sh.stdout.on('data', (b) => (s += b));
    sh.on('close', () => resolve(s));
  });
  t.equal(out.trim(), 'status=0');
});

t.test('--errors and --report may name pipes: `--errors >(…)` gets the log', async (t) => {
  const dir = tmp();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const input = path.join(dir, 'in.ndjson');
  fs.writeFileSync(input, '{"resourceType":"Patient","id":"a"}\nnot json\n');
  const out = await new Promise<string>((resolve) => {
    const sh = spawn('bash', ['-c', `node "${BIN}" fhir "${input}" -q --errors >(cat > "${dir}/log") --report >(cat > "${dir}/report") > /dev/null; echo "status=$?"; sleep 1`], {
      env: { ...process.env, DEID_KEY: KEY_A },
    });
    let s = '';
    sh.stdout.on('data', (b) => (s += b));
    sh.on('close', () => resolve(s));
  });
  t.equal(out.trim(), 'status=3');
  t.match(JSON.parse(fs.readFileSync(path.join(dir, 'log'), 'utf8')), { line: 2, code: 'INVALID_JSON' });
  t.match(JSON.parse(fs.readFileSync(path.join(dir, 'report'), 'utf8')), { records: { in: 2, out: 1, failed: 1 } });
});
