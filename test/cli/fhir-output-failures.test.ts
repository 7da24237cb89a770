import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import t from 'tap';
import { BIN, KEY_A, repoRoot, runCli } from '../helpers/run-cli.js';

const sample = path.join(repoRoot, 'data/samples/fhir/Patient.ndjson');
const tmp = () => fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-outfail-'));
const STACK = /^\s+at |node:events|Unhandled/m;

t.test('an error log that cannot be created fails the run before any output (73, no stack trace)', async (t) => {
  const dir = tmp();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // its folder would be made, but a file is in the way
  fs.writeFileSync(path.join(dir, 'file'), '');
  const errors = path.join(dir, 'file', 'errors.ndjson');
  const r = await runCli(['fhir', sample, '--errors', errors]);
  t.equal(r.code, 73);
  t.match(r.stderr, /WRITE_FAILED/);
  t.notMatch(r.stderr, STACK);
  t.equal(r.stdout.length, 0, 'nothing on stdout');
  const out = path.join(dir, 'out');
  const f = await runCli(['fhir', sample, '-o', out, '--errors', errors]);
  t.equal(f.code, 73);
  t.notOk(fs.existsSync(path.join(out, 'Patient.ndjson')), 'no output file');
});

t.test('a report that cannot be written fails the run before any output (73)', async (t) => {
  const dir = tmp();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const errors = path.join(dir, 'errors.ndjson');
  fs.writeFileSync(path.join(dir, 'file'), '');
  const r = await runCli(['fhir', sample, '--report', path.join(dir, 'file', 'report.json'), '--errors', errors]);
  t.equal(r.code, 73);
  t.match(r.stderr, /WRITE_FAILED/);
  t.notMatch(r.stderr, STACK);
  t.equal(r.stdout.length, 0, 'nothing on stdout');
  t.same(fs.readdirSync(dir), ['file'], 'no error log, no temporary file left');
});

t.test('a stdout that cannot be written (a full disk) is 73, not an internal error', async (t) => {
  const full = fs.openSync('/dev/full', 'w');
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'fhir', sample], { env: { ...process.env, DEID_KEY: KEY_A }, stdio: ['ignore', full, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b));
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  fs.closeSync(full);
  t.equal(code, 73);
  t.match(stderr, /WRITE_FAILED/);
  t.notMatch(stderr, STACK);
});

t.test('the folders of the error log and the report are made, as the output folder is', async (t) => {
  const dir = tmp();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['fhir', sample, '-o', path.join(dir, 'out'), '--errors', path.join(dir, 'logs', 'errors.ndjson'), '--report', path.join(dir, 'reports', 'report.json')]);
  t.equal(r.code, 0);
  t.equal(fs.readFileSync(path.join(dir, 'logs', 'errors.ndjson'), 'utf8'), '');
  t.ok(JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'report.json'), 'utf8')));
});

t.test('--errors or --report naming an input, each other or an output file is a usage error; nothing is touched', async (t) => {
  const dir = tmp();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const input = path.join(dir, 'Patient.ndjson');
  fs.copyFileSync(sample, input);
  const before = fs.readFileSync(input);
  const out = path.join(dir, 'out');
  const cases = [
    [input, '--errors', input],
    [input, '--report', path.join(dir, '.', 'Patient.ndjson')],
    [input, '--errors', path.join(dir, 'log'), '--report', path.join(dir, 'log')],
    [input, '-o', out, '--errors', path.join(out, 'Patient.ndjson')],
    [input, '-o', out, '--report', path.join(out, 'manifest.json')],
  ];
  for (const args of cases) {
    const r = await runCli(['fhir', ...args]);
    t.equal(r.code, 64, args.join(' '));
    t.match(r.stderr, /USAGE/);
    t.equal(r.stdout.length, 0);
    t.ok(fs.readFileSync(input).equals(before), 'the input is untouched');
    t.same(fs.readdirSync(dir), ['Patient.ndjson'], 'nothing written');
  }
});
