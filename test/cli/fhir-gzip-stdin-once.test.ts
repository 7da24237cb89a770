// `deid fhir` without contextual de-identification reads stdin once, as it
// comes, with no copy of it to read again. Gzip on stdin with corrupt deflate
// data in the middle of a member lost what zlib's failing inflate call had
// decoded before the bad byte (up to 16 KiB: a dozen records), and the
// GZIP_CORRUPT entry had no gzipOffset. The member's compressed bytes are now
// kept on the way, so stdin gives what the same file gives, still streaming.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import t from 'tap';
import { corruptNear } from '../helpers/corrupt-gzip.js';
import { BIN, KEY_A, parseNdjson, repoRoot, runCli, sharedData } from '../helpers/run-cli.js';

const synthea = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
const obs = fs.readFileSync(path.join(synthea, 'Observation.ndjson'));
const gz = zlib.gzipSync(obs);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-gz-once-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const config = path.join(dir, 'no-context.json');
fs.writeFileSync(config, JSON.stringify({ fhirFieldConfig: { profileType: 'BASIC' } }));

/** A new empty folder for the run's $TMPDIR: what is left in it after the run is a leak. */
const tmpdir = (): string => fs.mkdtempSync(path.join(dir, 'tmp-'));

async function run(args: string[], input?: Buffer) {
  const errorsFile = path.join(dir, `errors-${Math.random().toString(36).slice(2)}.ndjson`);
  const reportFile = `${errorsFile}.report.json`;
  const tmp = tmpdir();
  const r = await runCli(['fhir', ...args, '-c', config, '-q', '--errors', errorsFile, '--report', reportFile], { input, env: { TMPDIR: tmp } });
  const errors = fs.existsSync(errorsFile) ? parseNdjson(fs.readFileSync(errorsFile)) : [];
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { records: { in: number; out: number; failed: number } };
  return { ...r, errors, report, left: fs.readdirSync(tmp) };
}

const named = (errors: Record<string, unknown>[], file: string) => errors.map((e) => ({ ...e, file }));

t.test('corrupt gzip on stdin read once: the records and the entry the same file gives, and the clean prefix', async (t) => {
  // early in the first 64 KiB read of stdin, just after a read boundary, near the end
  for (const near of [5_000, 64 * 1024 + 40, gz.length - 30_000]) {
    const c = corruptNear(gz, near);
    const file = path.join(dir, `Observation-${near}.ndjson.gz`);
    fs.writeFileSync(file, c.gz);
    const decodedLines = c.decodable.subarray(0, c.decodable.lastIndexOf(0x0a) + 1);
    const prefix = path.join(dir, `Observation-${near}-prefix.ndjson`);
    fs.writeFileSync(prefix, decodedLines);
    const lines = decodedLines.toString('utf8').split('\n').length - 1;
    const fromFile = await run([file]);
    const plain = await run([prefix]);
    t.equal(fromFile.code, 3, `${near}, file: the run had failures`);
    t.ok(fromFile.stdout.equals(plain.stdout), `${near}, file: the output of the lines zlib decodes before the bad byte`);
    t.same(fromFile.errors.at(-1), { file, line: lines + 1, gzipOffset: c.at, code: 'GZIP_CORRUPT', reason: 'Compressed input is corrupt or truncated' });
    // --threads has no workers for stdin: the same output
    for (const [how, args] of near === 5_000 ? [['stdin', ['-']], ['stdin, --threads 1', ['-', '--threads', '1']]] as const : [['stdin', ['-']]] as const) {
      const r = await run([...args], c.gz);
      t.equal(r.code, 3, `${near}, ${how}: exit 3`);
      t.ok(r.stdout.equals(fromFile.stdout), `${near}, ${how}: byte for byte the output of the file (${parseNdjson(r.stdout).length} records, ${lines} lines decoded)`);
      t.same(r.errors, named(fromFile.errors, '-'), `${near}, ${how}: the file's error entries, gzipOffset ${c.at} included`);
      t.same(r.report.records, fromFile.report.records, `${near}, ${how}: the file's counts`);
      t.equal(r.report.records.in, r.report.records.out + r.report.records.failed, `${near}, ${how}: in = out + failed`);
      t.same(r.left, [], `${near}, ${how}: nothing left in TMPDIR`);
    }
  }
});

t.test('a later member, read once: the members before whole, the offset in the whole input', async (t) => {
  const patients = fs.readFileSync(path.join(synthea, 'Patient.ndjson'));
  const first = zlib.gzipSync(patients);
  const c = corruptNear(Buffer.concat([first, gz]), first.length + 150_000, first.length + 10);
  const file = path.join(dir, 'members.ndjson.gz');
  fs.writeFileSync(file, c.gz);
  const fromFile = await run([file]);
  const r = await run(['-'], c.gz);
  t.equal(r.code, 3);
  t.ok(r.stdout.equals(fromFile.stdout), 'the output of the file');
  t.same(r.errors, named(fromFile.errors, '-'));
  t.equal(r.errors.at(-1)?.gzipOffset, c.at);
  t.ok(parseNdjson(r.stdout).length > 30 + 1000);
});

t.test('a Bundle .json.gz on stdin read once: the entries and the entry the same file gives', async (t) => {
  const bundles = path.join(sharedData, 'fhir-samples/synthea-transaction-bundles');
  const all = fs.readdirSync(bundles).sort().map((f) => JSON.parse(fs.readFileSync(path.join(bundles, f), 'utf8')) as { entry: unknown[] });
  const bgz = zlib.gzipSync(JSON.stringify({ ...all[0], entry: all.flatMap((b) => b.entry) }, null, 1));
  const clean = path.join(dir, 'bundle.json.gz');
  fs.writeFileSync(clean, bgz);
  const good = await run(['-'], bgz);
  t.equal(good.code, 0, 'clean: exit 0');
  t.ok(good.stdout.equals((await run([clean])).stdout), 'clean: the output of the file');
  for (const share of [0.3, 0.7]) {
    const c = corruptNear(bgz, Math.floor(bgz.length * share));
    const file = path.join(dir, `bundle-${share}.json.gz`);
    fs.writeFileSync(file, c.gz);
    const fromFile = await run([file]);
    const r = await run(['-'], c.gz);
    t.equal(r.code, 3, `${share}: exit 3`);
    t.ok(r.stdout.length > 1000 && r.stdout.equals(fromFile.stdout), `${share}: the output of the file`);
    t.same(r.errors, named(fromFile.errors, '-'), `${share}: the file's error entries`);
    const gzipErrors = r.errors.filter((e) => e.code === 'GZIP_CORRUPT');
    t.same(gzipErrors.map((e) => e.gzipOffset), [c.at], `${share}: one GZIP_CORRUPT, at the bad byte`);
    t.equal(r.report.records.in, r.report.records.out + r.report.records.failed, `${share}: in = out + failed`);
    t.same(r.left, [], `${share}: nothing left in TMPDIR`);
  }
});

/** deid fhir reading stdin once from this process, which writes it as told. */
function start(tmp: string) {
  const child = spawn(process.execPath, [BIN, 'fhir', '-', '-c', config, '-q'], { env: { ...process.env, DEID_KEY: KEY_A, TMPDIR: tmp }, cwd: repoRoot });
  const out: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.resume();
  child.stdin.on('error', () => undefined);
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const firstOutput = new Promise<boolean>((resolve) => {
    child.stdout.once('data', () => resolve(true));
    setTimeout(() => resolve(false), 60_000).unref();
  });
  return { child, out, closed, firstOutput };
}

/** Paths of the files under `tmp` that process `pid` holds open (Linux). */
function openUnder(pid: number, tmp: string): string[] {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const p = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        return p.startsWith(tmp) ? [p] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

t.test('stdin gzip still streams: output comes before stdin is closed', async (t) => {
  const tmp = tmpdir();
  const clean = path.join(dir, 'clean.ndjson.gz');
  fs.writeFileSync(clean, gz);
  const fromFile = await run([clean]);
  const p = start(tmp);
  p.child.stdin.write(gz.subarray(0, gz.length >> 1));
  t.ok(await p.firstOutput, 'records out while stdin is still open');
  t.equal(p.child.stdin.writableEnded, false, 'stdin not closed yet');
  if (fs.existsSync('/proc')) {
    const held = openUnder(p.child.pid!, tmp);
    t.equal(held.length, 1, 'the copy of the member is open');
    t.match(held[0], / \(deleted\)$/, 'and no longer has a name');
  }
  t.same(fs.readdirSync(tmp), [], 'nothing to see in TMPDIR meanwhile');
  p.child.stdin.end(gz.subarray(gz.length >> 1));
  const { code } = await p.closed;
  t.equal(code, 0);
  t.ok(Buffer.concat(p.out).equals(fromFile.stdout), 'the output of the file');
  t.same(fs.readdirSync(tmp), []);
});

t.test('SIGTERM while stdin gzip is being read: ended by the signal, nothing left in TMPDIR', async (t) => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const tmp = tmpdir();
    const p = start(tmp);
    p.child.stdin.write(gz.subarray(0, gz.length >> 1));
    t.ok(await p.firstOutput, 'under way');
    p.child.kill(signal);
    const r = await p.closed;
    t.equal(r.signal, signal, `ended by ${signal}`);
    t.same(fs.readdirSync(tmp), [], `nothing left after ${signal}`);
  }
});

t.test('stdout closed early (`| head -1`) with stdin open or not: a quick, quiet end, nothing left', async (t) => {
  // stdin held open: the reader of the output goes away
  const tmp = tmpdir();
  const p = start(tmp);
  p.child.stdin.write(gz.subarray(0, gz.length >> 1));
  t.ok(await p.firstOutput);
  const t0 = Date.now();
  p.child.stdout.destroy();
  const r = await p.closed;
  t.equal(r.code, 0, `exit 0 (${Date.now() - t0} ms after stdout closed)`);
  t.same(fs.readdirSync(tmp), []);
  // a large input from a file on stdin
  const big = path.join(dir, 'big.ndjson.gz');
  fs.writeFileSync(big, zlib.gzipSync(Buffer.concat(Array.from({ length: 12 }, () => obs))));
  const tmp2 = tmpdir();
  const started = Date.now();
  const full = await runCli(['fhir', '-', '-c', config, '-q'], { input: fs.readFileSync(big), env: { TMPDIR: tmp2 } });
  const fullMs = Date.now() - started;
  t.equal(full.code, 0);
  const head = await new Promise<{ status: string; err: string; ms: number }>((resolve) => {
    const t1 = Date.now();
    const sh = spawn('bash', ['-c', `node "${BIN}" fhir - -c "${config}" -q < "${big}" | head -1 > /dev/null; echo "status=\${PIPESTATUS[0]}"`], {
      env: { ...process.env, DEID_KEY: KEY_A, TMPDIR: tmp2 },
    });
    let out = '';
    let err = '';
    sh.stdout.on('data', (b) => (out += b));
    sh.stderr.on('data', (b) => (err += b));
    sh.on('close', () => resolve({ status: out.trim(), err, ms: Date.now() - t1 }));
  });
  t.equal(head.status, 'status=0', 'deid exits 0');
  t.equal(head.err, '', 'nothing on stderr');
  t.ok(head.ms < fullMs, `sooner than reading the whole input (${head.ms} ms, the whole: ${fullMs} ms)`);
  t.same(fs.readdirSync(tmp2), [], 'nothing left in TMPDIR');
});
