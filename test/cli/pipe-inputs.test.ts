import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { parseNdjson, runCli, sharedData } from '../helpers/run-cli.js';

// An input named by a path that is a pipe (`deid fhir <(zcat x.ndjson.gz)`,
// a named pipe) can be read once only. `deid fhir` read it in the patient
// first pass and found it empty in the main pass ("0 in, 0 out", exit 0:
// every record lost), and `deid dicom`, which reads an instance twice,
// failed it. Such inputs are now copied first, as stdin is.
const tmp = (): string => fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-pipe-'));

/** A named pipe that `bytes` are written into once a reader opens it. */
function pipeOf(dir: string, name: string, bytes: Buffer | string): string {
  const p = path.join(dir, name);
  execFileSync('mkfifo', [p]);
  const w = fs.createWriteStream(p);
  w.on('error', () => undefined);
  w.end(bytes);
  return p;
}

const note = { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'note' }, subject: { reference: 'Patient/p1' }, valueString: 'carrot river stable, qx77a reviewed' };
const patient = { resourceType: 'Patient', id: 'p1', identifier: [{ value: 'QX77A' }], name: [{ family: 'River', given: ['Carrot'] }] };
const input = [JSON.stringify(note), '{"resourceType": "Observation", "id": "cut', JSON.stringify(patient)].join('\n') + '\n';

t.test('deid fhir: a pipe gives what the same bytes in a file give, whatever the form and the threads', async (t) => {
  const dir = tmp();
  const spool = tmp();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'in.ndjson');
  fs.writeFileSync(file, input);
  const fromFile = await runCli(['fhir', file, '-q']);
  t.equal(fromFile.code, 3, 'the cut record fails');
  t.equal(parseNdjson(fromFile.stdout).length, 2);
  for (const [label, args] of [
    ['plain', []],
    ['--threads 1', ['--threads', '1']],
  ] as const) {
    const p = pipeOf(dir, `p-${args.length}`, input);
    const errors = path.join(dir, `errors-${args.length}.ndjson`);
    const r = await runCli(['fhir', p, '--errors', errors, ...args], { env: { TMPDIR: spool } });
    t.equal(r.code, 3, label);
    t.ok(r.stdout.equals(fromFile.stdout), `${label}: the file's bytes`);
    t.match(r.stderr, /3 in, 2 out, 1 failed/, label);
    t.notMatch(r.stdout.toString(), /carrot|river|qx77a/i, `${label}: the note before its patient is scrubbed`);
    const logged = parseNdjson(fs.readFileSync(errors));
    t.same(logged.map((e) => [e.file, e.line, e.code]), [[p, 2, 'INVALID_JSON']], `${label}: the error names the pipe`);
  }
  const gz = await runCli(['fhir', pipeOf(dir, 'gz', gzipSync(input)), '-q'], { env: { TMPDIR: spool } });
  t.ok(gz.stdout.equals(fromFile.stdout), 'gzip through a pipe (sniffed: the name has no extension)');
  t.same(fs.readdirSync(spool), [], 'no copy is left behind');
});

t.test('deid dicom: an instance through a pipe is the instance from its file', async (t) => {
  const dir = tmp();
  const spool = tmp();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const src = path.join(sharedData, 'dicom-samples/ts/CT1_UNC.explicit_little_endian.dcm');
  const fromFile = await runCli(['dicom', src, '-o', '-', '-q']);
  t.equal(fromFile.code, 0);
  t.ok(fromFile.stdout.length > 100_000);
  const r = await runCli(['dicom', pipeOf(dir, 'ct', fs.readFileSync(src)), '-o', '-', '-q'], { env: { TMPDIR: spool } });
  t.equal(r.code, 0, r.stderr);
  t.ok(r.stdout.equals(fromFile.stdout), 'byte for byte');
  t.same(fs.readdirSync(spool), [], 'no copy is left behind');
});
