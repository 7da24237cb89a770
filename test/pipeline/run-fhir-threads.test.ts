// `deid fhir` with worker threads gives the one-thread run: the same output
// bytes (stdout and bulk folder, manifest counts included), error log and
// report counts, on the bundled and shared bulk exports with bad lines mixed
// in, small batches so that many are in flight; a Patient the first pass did
// not see is learnt where the one-thread run learns it; and a worker that
// stops logs its records as WORKER_FAILED instead of dropping them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Writable } from 'node:stream';
import t from 'tap';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import type { Failed } from '../../src/core/record.js';
import { PatientContext } from '../../src/fhir/patient.js';
import { collectPatientContext } from '../../src/pipeline/collect-patient-context.js';
import { FhirPool } from '../../src/pipeline/fhir-pool.js';
import { PushSource } from '../../src/pipeline/push-source.js';
import { runFhir, type RunFhirOptions } from '../../src/pipeline/run-fhir.js';
import { runThreadedPass } from '../../src/pipeline/run-fhir-threads.js';
import type { SerializedLines } from '../../src/sinks/bulk-folder-writer.js';
import { resolveInputs } from '../../src/sources/open-inputs.js';
import { KEY_A, repoRoot, sharedData } from '../helpers/run-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-fhir-threads-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
process.env.SOURCE_DATE_EPOCH = '1700000000';

const bundled = path.join(repoRoot, 'data/samples/fhir');
const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const smart = path.join(sharedData, 'fhir-samples/bulk-smart-10-patients');
const bundleDoc = path.join(sharedData, 'fhir-samples/synthea-transaction-bundles/Dillon_Leuschke_39699402-f976-4fa0-8635-f015a54f1f8b.json');

interface Run {
  out: Buffer;
  files: Map<string, Buffer>;
  errors: string;
  report: Record<string, unknown>;
  code: { in: number; out: number; failed: number };
}

let runs = 0;
async function run(inputs: string[], extra: Partial<RunFhirOptions>): Promise<Run> {
  const dir = path.join(tmp, `run-${runs++}`);
  fs.mkdirSync(dir);
  const chunks: Buffer[] = [];
  const stdout = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(Buffer.from(c));
      cb();
    },
  });
  const output = extra.output === '-' || extra.output === undefined ? '-' : path.join(dir, 'out');
  const stats = await runFhir({
    inputs,
    config: deidDefaultConfig(),
    key: { bytes: Buffer.from(KEY_A, 'hex'), source: 'given' },
    errorsFile: path.join(dir, 'errors.ndjson'),
    reportFile: path.join(dir, 'report.json'),
    stdout,
    ...extra,
    output,
  });
  const files = new Map<string, Buffer>();
  if (output !== '-') for (const f of fs.readdirSync(output).sort()) files.set(f, fs.readFileSync(path.join(output, f)));
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as Record<string, unknown>;
  return { out: Buffer.concat(chunks), files, errors: fs.readFileSync(path.join(dir, 'errors.ndjson'), 'utf8'), report, code: stats.totals };
}

/** Records of the bundled samples with bad lines of every kind between them. */
function adversarialFile(): string {
  const records = fs
    .readdirSync(bundled)
    .filter((f) => f.endsWith('.ndjson'))
    .sort()
    .flatMap((f) => fs.readFileSync(path.join(bundled, f), 'utf8').split('\n').filter(Boolean));
  const bad: Array<string | Buffer> = [
    '{"resourceType":"Patient",',
    '[1,2,3]',
    '"just a string"',
    '{"id":"no-type"}',
    '{"resourceType":"NotAType","id":"1"}',
    `{"resourceType":"Basic","id":"long","code":{"text":"${'x'.repeat(150_000)}"}}`,
    Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    '   ',
    JSON.stringify(JSON.parse(fs.readFileSync(bundleDoc, 'utf8'))),
  ];
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  records.forEach((r, i) => {
    parts.push(Buffer.from(r), Buffer.from(i % 3 === 0 ? '\r\n' : '\n'));
    if (i % 40 === 7) {
      const b = bad[(i / 40) % bad.length | 0]!;
      parts.push(typeof b === 'string' ? Buffer.from(b) : b, Buffer.from('\n\n'));
    }
  });
  for (const b of bad) parts.push(typeof b === 'string' ? Buffer.from(b) : b, Buffer.from('\n'));
  const file = path.join(tmp, 'adversarial.ndjson');
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}

const adversarial = adversarialFile();
const counts = (r: Run) => ['records', 'byType', 'errors', 'actions'].map((k) => r.report[k]);

for (const output of ['-', 'folder']) {
  for (const unbundle of [false, true]) {
    t.test(`2 workers = one thread: output ${output}${unbundle ? ', --unbundle' : ''}`, async (t) => {
      const inputs = [adversarial, bundled, synthea, smart];
      const common = { output, unbundle, maxLineLength: 100_000 };
      const one = await run(inputs, { ...common, threads: 0 });
      const pooled = await run(inputs, { ...common, threads: 2, batchBytes: 16 * 1024 });
      t.ok(one.code.in > 5000, `${one.code.in} records`);
      t.equal(one.code.in, one.code.out + one.code.failed, 'in = out + failed');
      t.same(pooled.code, one.code, 'the same totals');
      if (output === '-') {
        t.ok(one.out.length > 1e6);
        t.ok(pooled.out.equals(one.out), 'stdout byte for byte');
      } else {
        t.ok(one.files.has('manifest.json') && one.files.size > 10, `${one.files.size} files`);
        t.same([...pooled.files.keys()], [...one.files.keys()], 'the same files');
        for (const [f, b] of one.files) t.ok(pooled.files.get(f)?.equals(b), `${f} byte for byte`);
      }
      t.equal(pooled.errors, one.errors, 'the same error log, in input order');
      const codes = new Set(one.errors.trim().split('\n').map((l) => (JSON.parse(l) as { code: string }).code));
      for (const c of ['INVALID_JSON', 'NOT_AN_OBJECT', 'NO_RESOURCE_TYPE', 'UNKNOWN_RESOURCE_TYPE', 'LINE_TOO_LONG', 'INVALID_ENCODING']) t.ok(codes.has(c), `the input has ${c}`);
      t.same(counts(pooled), counts(one), 'report counts, errors and actions');
    });
  }
}

t.test('gzipped inputs, one of them cut off: 2 workers = one thread', async (t) => {
  const gz = path.join(tmp, 'Observation.ndjson.gz');
  const bytes = zlib.gzipSync(fs.readFileSync(path.join(synthea, 'Observation.ndjson')));
  fs.writeFileSync(gz, bytes);
  const cut = path.join(tmp, 'Cut.ndjson.gz');
  fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
  const one = await run([gz, cut, adversarial], { threads: 0 });
  const pooled = await run([gz, cut, adversarial], { threads: 2, batchBytes: 16 * 1024 });
  t.match(one.errors, /GZIP_CORRUPT/);
  t.ok(pooled.out.equals(one.out), 'stdout byte for byte');
  t.equal(pooled.errors, one.errors, 'the same error log');
  t.same(counts(pooled), counts(one), 'report counts');
});

t.test('a Patient the first pass skips is learnt where the one-thread run learns it', async (t) => {
  // bulk files named for another type are not read by the first pass
  const dir = path.join(tmp, 'late-patient');
  fs.mkdirSync(dir);
  const note = (i: number) =>
    JSON.stringify({ resourceType: 'Observation', id: `obs-${i}`, status: 'final', code: { text: 'note' }, subject: { reference: 'Patient/p-late' }, valueString: `Visit ${i}, badge ZQX4471QF.` });
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) lines.push(note(i));
  lines.splice(
    230,
    0,
    JSON.stringify({ resourceType: 'Patient', id: 'p-late', name: [{ family: 'Quillfeather', given: ['Zebulon'] }], identifier: [{ value: 'ZQX4471QF' }] }),
  );
  fs.writeFileSync(path.join(dir, 'Observation.ndjson'), lines.join('\n') + '\n');
  const one = await run([dir], { threads: 0 });
  const out = one.out.toString().trim().split('\n');
  t.equal(out.length, 401);
  t.match(out[10], /ZQX4471QF/, 'before the Patient, its identifier is not known');
  t.notMatch(out[300], /ZQX4471QF/, 'after it, the identifier is scrubbed from free text');
  for (const threads of [1, 2]) {
    const pooled = await run([dir], { threads, batchBytes: 4096 });
    t.ok(pooled.out.equals(one.out), `${threads} worker(s): byte for byte`);
    t.same(counts(pooled), counts(one), `${threads} worker(s): report counts`);
  }
});

t.test('a worker that stops: its records are logged as WORKER_FAILED, none is lost', async (t) => {
  const input = path.join(bundled, 'Observation.ndjson');
  const one = await run([input], { threads: 0 });
  const config = deidDefaultConfig();
  const key = Buffer.from(KEY_A, 'hex');
  const inputs = await resolveInputs([input]);
  const context = new PatientContext();
  await collectPatientContext(inputs, context);
  const json = JSON.stringify(context.entries());
  // a worker that exits as its first batch arrives
  const pool = await FhirPool.start(1, { config, key: new Uint8Array(key), unbundle: false, toFolder: false }, {
    entry: `require('node:worker_threads').parentPort.on('message', (m) => { if (m.kind === 'batch') process.exit(1); })`,
  });
  pool.setContext(json);
  const failures: Failed[] = [];
  let ok = 0;
  const chunks: Buffer[] = [];
  const out = new PushSource<Buffer | SerializedLines>(false);
  out.on('data', (c: Buffer) => chunks.push(c));
  try {
    await runThreadedPass({
      inputs,
      pool,
      env: makeFhirEnv(config, key, context),
      context: json,
      unbundle: false,
      toFolder: false,
      batchBytes: 8 * 1024,
      account: (r) => {
        for (const [, n] of r.ok) ok += n;
        for (const { f } of r.failures) failures.push(f);
      },
      fail: (f) => failures.push(f),
      out,
    });
  } finally {
    await pool.close();
  }
  const records = fs.readFileSync(input, 'utf8').split('\n').filter(Boolean).length;
  t.ok(failures.length >= 1, `${failures.length} records failed`);
  t.ok(failures.every((f) => f.code === 'WORKER_FAILED' && f.loc.file === input && f.loc.line! >= 1 && f.loc.offset! >= 0), 'each with its code and location');
  t.equal(failures[0]!.loc.line, 1, 'from the first batch on');
  t.equal(ok + failures.length, records, 'every record is out or failed');
  // the records that came out are the one-thread run's, in order
  const failedLines = new Set(failures.map((f) => f.loc.line));
  const expected = one.out.toString().trim().split('\n').filter((_, i) => !failedLines.has(i + 1));
  t.same(Buffer.concat(chunks).toString().trim().split('\n'), expected);
});
