import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { runText } from '../../src/cli/text-command.js';
import { BIN, KEY_A, runCli } from '../helpers/run-cli.js';

const KEY = Buffer.alloc(32, 3);
const tmp = () => fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-text-unix-'));

async function go(input: Buffer, chunk = input.length, extra: { maxLineLength?: number } = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) chunks.push(input.subarray(i, i + chunk));
  const stats = await runText({ key: KEY, findings: false, quote: false, input: Readable.from(chunks), output: out, stderr: err, ...extra });
  return { stats, out: o, err: e };
}

function manyLines(n: number): string {
  const file = path.join(tmp(), 'notes.ndjson');
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ id: `n${i}`, text: `Dr. Wall saw her on 7/22/2019; call 410-555-1234. Note ${i}.` }));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

t.test('`deid text … | head -1` exits quietly', async (t) => {
  const file = manyLines(20000);
  const err = await new Promise<string>((resolve) => {
    const sh = spawn('sh', ['-c', `node "${BIN}" text < "${file}" | head -1 > /dev/null`], { env: { ...process.env, DEID_KEY: KEY_A } });
    let e = '';
    sh.stderr.on('data', (b) => (e += b));
    sh.on('close', () => resolve(e));
  });
  t.notMatch(err, /Error|EPIPE|at .*\.js/, 'no error or stack trace on stderr');
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'text'], { env: { ...process.env, DEID_KEY: KEY_A }, stdio: [fs.openSync(file, 'r'), 'pipe', 'pipe'] });
    let e = '';
    child.stderr.on('data', (b) => (e += b));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (c) => {
      t.notMatch(e, /Error|EPIPE|at .*\.js/, 'no error or stack trace on stderr');
      resolve(c);
    });
  });
  t.equal(status, 0, 'deid text exits 0 when its reader goes away');
});

t.test('NDJSON with a UTF-8 byte order mark is still read as NDJSON', async (t) => {
  // Python's json.dumps escapes non-ASCII letters: read as plain text, `Garc\u00eda` is no name and stayed
  const lines = [JSON.stringify({ id: 'n1', text: 'Patient José García seen 2020-01-02' }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), '{"id":"n2","text":"broken'];
  const plain = Buffer.from(lines.join('\n') + '\n');
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]);
  const want = await go(plain);
  t.same(want.stats, { in: 2, out: 1, failed: 1 });
  t.notMatch(want.out, /Garc|Jos/);
  for (const chunk of [bom.length, 1, 2, 5]) {
    const r = await go(bom, chunk);
    t.equal(r.out, want.out, `same output as without the BOM (chunks of ${chunk})`);
    t.same(r.stats, want.stats, 'same counts');
    t.equal(r.err, want.err, 'the broken line is an error entry');
  }
});

t.test('input that is only the start of a byte order mark is an error entry, not dropped', async (t) => {
  const r = await go(Buffer.from([0xef, 0xbb]), 1);
  t.same(r.stats, { in: 1, out: 0, failed: 1 });
  t.match(r.err, /"code":"INVALID_ENCODING"/);
});

t.test('a line of bytes that are no JSON white space is an error entry, not a blank line to skip', async (t) => {
  // 0xA0 alone is not UTF-8, 0x0C (form feed) is not JSON white space; deid fhir reports both
  const input = Buffer.concat([Buffer.from('{"id":1,"text":"a"}\n'), Buffer.from([0xa0, 0x0a, 0x0c, 0x0a, 0x20, 0x09, 0x0d, 0x0a]), Buffer.from('\n{"id":2,"text":"b"}\n')]);
  const r = await go(input);
  t.same(r.stats, { in: 4, out: 2, failed: 2 }, 'the blank lines (spaces, tabs, CR, nothing) are skipped');
  t.same(r.err.trim().split('\n').map((l) => [JSON.parse(l).line, JSON.parse(l).code]), [[2, 'INVALID_ENCODING'], [3, 'INVALID_JSON']]);
});

t.test('`-` is stdin, and a file can be named instead', async (t) => {
  const input = '{"id":1,"text":"call 410-555-1234"}\n';
  const bare = await runCli(['text'], { input });
  t.equal(bare.code, 0);
  const dash = await runCli(['text', '-'], { input });
  t.equal(dash.code, 0, bare.stderr);
  t.ok(dash.stdout.equals(bare.stdout), '`-` reads stdin');
  const file = path.join(tmp(), 'in.ndjson');
  fs.writeFileSync(file, input);
  const named = await runCli(['text', file]);
  t.equal(named.code, 0);
  t.ok(named.stdout.equals(bare.stdout), 'a named file reads as stdin does');
  const missing = await runCli(['text', path.join(tmp(), 'ZZLEAKZZ-missing.ndjson')]);
  t.equal(missing.code, 66);
  t.match(missing.stderr, /INPUT_NOT_FOUND/);
  t.equal(missing.stdout.length, 0);
  t.equal((await runCli(['text', '-', '-'])).code, 64, 'one input only');
});

t.test('the line length limit does not depend on where the input is cut into chunks', async (t) => {
  const line = '{"id":1,"text":"abcdefgh"}';
  const results = [];
  for (const chunks of [[line + '\r\n'], [line + '\r', '\n'], [line, '\r\n']]) {
    const out = new PassThrough();
    const err = new PassThrough();
    let o = '';
    out.on('data', (d) => (o += d));
    err.resume();
    const stats = await runText({ key: KEY, findings: false, quote: false, input: Readable.from(chunks.map((c) => Buffer.from(c))), output: out, stderr: err, maxLineLength: line.length });
    results.push({ stats, o });
  }
  t.same(results[0], { stats: { in: 1, out: 1, failed: 0 }, o: line + '\n' }, 'a line of exactly the limit, ended by CRLF, goes through');
  t.same(results[1], results[0], 'also when a chunk ends between its CR and LF');
  t.same(results[2], results[0]);
});

t.test('plain text longer than the line limit is one LINE_TOO_LONG entry, not held in memory', async (t) => {
  const piece = 'Seen by Dr. Smith. '.repeat(10);
  const r = await go(Buffer.from(piece.repeat(50)), piece.length, { maxLineLength: 1000 });
  t.same(r.stats, { in: 1, out: 0, failed: 1 });
  t.equal(r.out, '');
  t.same(JSON.parse(r.err), { line: 1, code: 'LINE_TOO_LONG', reason: 'Line exceeds the maximum line length' });
});
