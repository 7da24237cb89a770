import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import type { Failed } from '../../src/core/record.js';
import { ErrorLog, errorLogLine } from '../../src/sinks/error-log.js';
import { openInputs } from '../../src/sources/open-inputs.js';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-errlog-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** PHI-shaped content that must never reach the log. */
const SECRET = 'Sumiko254 Larue605 555-867-5309';

t.test('one line per failed item with location, code, reason — never the record', async (t) => {
  const dir = tempDir(t);
  const input = path.join(dir, 'in.ndjson');
  const records = [
    `{"resourceType":"Patient","name":[{"text":"${SECRET}"}]}`,
    `{"resourceType":"Patient","name":[{"text":"${SECRET}"}]`,
    `["${SECRET}"]`,
    `{"name":"${SECRET}"}`,
    `{"resourceType":"Basic","note":"${SECRET}","x":${'['.repeat(2000)}${']'.repeat(2000)}}`,
    `{"resourceType":"Binary","data":"${SECRET}${'A'.repeat(20_000)}"}`,
  ];
  fs.writeFileSync(input, records.join('\n') + '\n');
  const offsets = records.map((_, i) => records.slice(0, i).reduce((n, r) => n + Buffer.byteLength(r) + 1, 0));
  const logPath = path.join(dir, 'errors.ndjson');
  const log = new ErrorLog({ path: logPath });
  await pipeline(openInputs([input], { maxLineLength: 10_000 }), log);

  const text = fs.readFileSync(logPath, 'utf8');
  t.notMatch(text, /Sumiko|Larue|867/, 'no record contents');
  const lines = text.trim().split('\n').map((l) => JSON.parse(l));
  t.strictSame(lines, [
    { file: input, line: 2, offset: offsets[1], code: 'INVALID_JSON', reason: 'Record is not valid JSON' },
    { file: input, line: 3, offset: offsets[2], code: 'NOT_AN_OBJECT', reason: 'Record is not a JSON object' },
    { file: input, line: 4, offset: offsets[3], code: 'NO_RESOURCE_TYPE', reason: 'Record has no string resourceType' },
    { file: input, line: 5, offset: offsets[4], code: 'TOO_DEEP', reason: 'JSON nesting exceeds the maximum depth (256)', resourceType: 'Basic' },
    { file: input, line: 6, offset: offsets[5], code: 'LINE_TOO_LONG', reason: 'Line exceeds the maximum line length (10000 bytes)' },
  ]);
  t.strictSame(Object.keys(lines[3]), ['file', 'line', 'offset', 'code', 'reason', 'resourceType'], 'fixed key order');
  t.equal(log.total, 5);
  t.same(log.counts, { INVALID_JSON: 1, NOT_AN_OBJECT: 1, NO_RESOURCE_TYPE: 1, TOO_DEEP: 1, LINE_TOO_LONG: 1 });
  t.same(fs.readdirSync(dir).sort(), ['errors.ndjson', 'in.ndjson'], 'no temporary file left');
});

t.test('entries of a Bundle are logged with their index; reasons are bounded', async (t) => {
  const f: Failed = { kind: 'failed', code: 'TRANSFORM_FAILED', reason: 'r'.repeat(1000), loc: { file: 'b.json', entry: 4 }, resourceType: 'Observation' };
  const l = errorLogLine(f);
  t.strictSame(Object.keys(l), ['file', 'entry', 'code', 'reason', 'resourceType']);
  t.equal(l.reason.length, 200);
});

t.test('the log file appears only complete: written under a temporary name until the end', async (t) => {
  const dir = tempDir(t);
  const logPath = path.join(dir, 'errors.ndjson');
  const log = new ErrorLog({ path: logPath });
  // more than one flush worth of lines
  for (let i = 0; i < 3000; i++) log.add({ kind: 'failed', code: 'INVALID_JSON', reason: 'Record is not valid JSON', loc: { file: 'x.ndjson', line: i + 1 } });
  await new Promise((r) => setTimeout(r, 50));
  t.notOk(fs.existsSync(logPath), 'not there while running');
  t.ok(fs.readdirSync(dir).some((n) => n.endsWith('.tmp')));
  await new Promise<void>((r) => log.end(r));
  t.equal(fs.readFileSync(logPath, 'utf8').trim().split('\n').length, 3000);
  t.same(fs.readdirSync(dir), ['errors.ndjson']);

  // an aborted log leaves nothing
  const aborted = new ErrorLog({ path: path.join(dir, 'aborted.ndjson') });
  for (let i = 0; i < 3000; i++) aborted.add({ kind: 'failed', code: 'INVALID_JSON', reason: 'x', loc: { file: 'x', line: i } });
  await new Promise((r) => setTimeout(r, 50));
  aborted.on('error', () => undefined);
  aborted.destroy(new Error('stop'));
  await new Promise((r) => aborted.on('close', r));
  t.same(fs.readdirSync(dir), ['errors.ndjson']);
});

t.test('without a path the log counts and discards; ok and container items are ignored', async (t) => {
  const log = new ErrorLog();
  log.write({ kind: 'ok', value: {}, loc: { file: 'a' } });
  log.write({ kind: 'start', head: {}, loc: { file: 'a' } });
  log.add({ kind: 'failed', code: 'GZIP_CORRUPT', reason: 'x', loc: { file: 'a', line: 9 } });
  await new Promise<void>((r) => log.end(r));
  t.equal(log.total, 1);
  t.same(log.counts, { GZIP_CORRUPT: 1 });
});
