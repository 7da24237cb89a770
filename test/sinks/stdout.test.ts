import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { isEpipe, pipeToStdout } from '../../src/sinks/stdout.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'epipe-child.ts');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the child writing 100k lines into `sh -c 'node … | head -1'`. */
function runThroughHead(extraArgs: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const node = JSON.stringify(process.execPath);
    // bash's PIPESTATUS gives the writer's exit status, not head's
    const p = spawn('bash', ['-c', `${node} --import tsx ${JSON.stringify(child)} ${extraArgs.join(' ')} | head -1; exit "\${PIPESTATUS[0]}"`], {
      cwd: path.resolve(here, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

t.test('a closed stdout pipe (| head -1) ends the writer quietly: exit 0, empty stderr', async (t) => {
  const r = await runThroughHead();
  t.equal(r.stdout, '{"resourceType":"Observation","id":"obs-0","status":"final"}\n');
  t.equal(r.stderr, '');
  t.equal(r.code, 0);
  t.equal(r.signal, null);
});

t.test('pipeToStdout tells a closed pipe from a completed write', async (t) => {
  const r = await runThroughHead(['--report']);
  t.equal(r.stderr, 'closed\n', 'the pipe was closed early');
  t.equal(r.code, 0);

  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c) => chunks.push(c));
  t.equal(await pipeToStdout(Readable.from([Buffer.from('a\n'), Buffer.from('b\n')]), sink), 'done');
  t.equal(Buffer.concat(chunks).toString(), 'a\nb\n');
  t.notOk(sink.writableEnded, 'stdout itself is not ended');
});

t.test('errors other than EPIPE still reject', async (t) => {
  const failing = new Writable({
    write(_c, _e, cb) {
      cb(Object.assign(new Error('disk full'), { code: 'ENOSPC' }));
    },
  });
  await t.rejects(pipeToStdout(Readable.from([Buffer.from('x')]), failing), { code: 'ENOSPC' });
  t.equal(isEpipe(Object.assign(new Error('x'), { code: 'EPIPE' })), true);
  t.equal(isEpipe(Object.assign(new Error('x'), { code: 'ENOSPC' })), false);
  t.equal(isEpipe(null), false);
});
