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
