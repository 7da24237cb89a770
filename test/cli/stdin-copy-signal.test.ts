import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { BIN, KEY_A, repoRoot } from '../helpers/run-cli.js';

// stdin is copied to a file to be read twice (deid fhir with contextual
// de-identification, deid dicom). That copy holds the input's PHI: a run
// stopped by a signal, while copying or after, must not leave it behind.
const tmp = () => fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-sig-'));
const line = `${fs.readFileSync(path.join(repoRoot, 'data/samples/fhir/Patient.ndjson'), 'utf8').split('\n')[0]}\n`;

/** Starts deid with stdin left open, waits until its copy of stdin exists in `where`, then sends `signal`. */
async function stopWhileCopying(args: string[], where: string, env: Record<string, string>, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; sawCopy: boolean }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DEID_KEY: KEY_A, ...env }, cwd: repoRoot });
  child.stdout.resume();
  child.stderr.resume();
  child.stdin.write(line);
  let sawCopy = false;
  for (let i = 0; i < 200 && !sawCopy; i++) {
    await new Promise((r) => setTimeout(r, 25));
    sawCopy = fs.readdirSync(where, { recursive: true }).some((f) => String(f).includes('.deid-stdin-'));
  }
  child.kill(signal);
  const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  return { code, signal: sig, sawCopy };
}

t.test('deid fhir: a signal while stdin is copied removes the copy', async (t) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const spool = tmp();
    const r = await stopWhileCopying(['fhir', '-q'], spool, { TMPDIR: spool }, signal);
    t.ok(r.sawCopy, 'the copy existed');
    t.equal(r.signal, signal, `ended by ${signal}, as without the copy`);
    t.same(fs.readdirSync(spool), [], `nothing left in TMPDIR after ${signal}`);
  }
});

t.test('deid dicom: a signal while stdin is copied into the output folder removes the copy', async (t) => {
  const out = tmp();
  const r = await stopWhileCopying(['dicom', '-', '-o', out, '-q'], out, {}, 'SIGTERM');
  t.ok(r.sawCopy, 'the copy existed');
  t.equal(r.signal, 'SIGTERM');
  t.same(fs.readdirSync(out), [], 'no copy of stdin among the de-identified output');
});

t.test('deid fhir: a signal removes the unfinished error log and report too', async (t) => {
  const spool = tmp();
  const logs = tmp();
  const r = await stopWhileCopying(['fhir', '-q', '--errors', path.join(logs, 'e.ndjson'), '--report', path.join(logs, 'r.json')], spool, { TMPDIR: spool }, 'SIGTERM');
  t.ok(r.sawCopy);
  t.equal(r.signal, 'SIGTERM');
  t.same(fs.readdirSync(logs), [], 'no temporary error log or report left');
});

/** Starts deid, waits until `ready(out)` holds, sends `signal`; the paths left in `out` (recursively). */
async function stopWhenReady(args: string[], out: string, ready: (names: string[]) => boolean, signal: NodeJS.Signals): Promise<{ signal: NodeJS.Signals | null; wasReady: boolean; left: string[] }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DEID_KEY: KEY_A }, cwd: repoRoot });
  child.stdout.resume();
  child.stderr.resume();
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_c, s) => resolve(s)));
  let wasReady = false;
  for (let i = 0; i < 2000 && !wasReady; i++) {
    await new Promise((r) => setTimeout(r, 5));
    wasReady = fs.existsSync(out) && ready(fs.readdirSync(out, { recursive: true }).map(String));
  }
  child.kill(signal);
  const sig = await closed;
  return { signal: sig, wasReady, left: fs.existsSync(out) ? fs.readdirSync(out, { recursive: true }).map(String) : [] };
}

const isTemp = (n: string) => /\.tmp$|(^|\/)\.deid-tmp-/.test(n);

t.test('deid fhir -o FOLDER: a signal mid-run leaves no temporary output file', async (t) => {
  const input = path.join(repoRoot, '../shared/data/fhir-samples/bulk-synthea-30-patients');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const out = path.join(tmp(), 'out');
    const r = await stopWhenReady(['fhir', input, '-o', out, '-q'], out, (names) => names.some(isTemp), signal);
    t.ok(r.wasReady, 'a temporary file was being written');
    t.equal(r.signal, signal, `ended by ${signal}`);
    t.same(r.left.filter(isTemp), [], `no temporary file left after ${signal}`);
  }
});

t.test('deid dicom -o FOLDER: a signal mid-run leaves no temporary file, with or without threads', async (t) => {
  const ct = path.join(repoRoot, '../shared/data/dicom-samples/ts/CT1_UNC.explicit_little_endian.dcm');
  const input = tmp();
  for (let i = 0; i < 300; i++) fs.copyFileSync(ct, path.join(input, `ct${i}.dcm`));
  for (const [threads, signal] of [['0', 'SIGINT'], ['0', 'SIGTERM'], ['2', 'SIGTERM']] as const) {
    const out = path.join(tmp(), 'out');
    // once the first instance is out, the run is under way
    const r = await stopWhenReady(['dicom', input, '-o', out, '--threads', threads, '-q'], out, (names) => names.some((n) => n.endsWith('.dcm')), signal);
    t.ok(r.wasReady, 'the run was under way');
    t.equal(r.signal, signal, `threads ${threads}: ended by ${signal}`);
    t.same(r.left.filter(isTemp), [], `threads ${threads}: no temporary file left after ${signal}`);
  }
});
