import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli, parseNdjson } from '../helpers/run-cli.js';

const good = (id: string) => JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'Zzyzxfamily', given: ['Qwertygiven'] }], birthDate: '1970-01-02' });
const tmp = () => fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'deid-adv-'));

async function run(input: Buffer | string, extra: string[] = []) {
  const dir = tmp();
  const errorsFile = path.join(dir, 'errors.ndjson');
  const r = await runCli(['fhir', '-', '--errors', errorsFile, '--report', path.join(dir, 'report.json'), ...extra], { input });
  const errors = fs.existsSync(errorsFile) ? parseNdjson(fs.readFileSync(errorsFile)) : [];
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  return { ...r, out: parseNdjson(r.stdout), errors, report };
}

function noContent(t: { notMatch: (a: string, b: RegExp, m: string) => void }, text: string) {
  t.notMatch(text, /Zzyzxfamily|Qwertygiven|1970-01-02|SECRETVALUE/, 'no record content');
}

t.test('a mixed bag of bad lines: each is logged with its line and code, the good ones pass', async (t) => {
  const lines = [
    good('a'),
    '',
    '   ',
    '{"resourceType":"Patient","id":"b","name":[{"family":"SECRETVALUE"}]',
    '[1,2,3]',
    '"a string"',
    '{"id":"c","name":"SECRETVALUE"}',
    '{"resourceType":"NotAResource","id":"d","x":"SECRETVALUE"}',
    '{"resourceType":42}',
    'null',
    good('e'),
  ];
  const r = await run(lines.join('\r\n') + '\r\n');
  t.equal(r.code, 3, 'completed with failures');
  t.equal(r.out.length, 2);
  t.same(
    r.errors.map((e) => [e.line, e.code]),
    [
      [4, 'INVALID_JSON'],
      [5, 'NOT_AN_OBJECT'],
      [6, 'NOT_AN_OBJECT'],
      [7, 'NO_RESOURCE_TYPE'],
      [8, 'UNKNOWN_RESOURCE_TYPE'],
      [9, 'NO_RESOURCE_TYPE'],
      [10, 'NOT_AN_OBJECT'],
    ],
  );
  t.equal(r.report.records.in, 9);
  t.equal(r.report.records.failed, 7);
  noContent(t, JSON.stringify(r.errors) + r.stderr + JSON.stringify(r.report));
});

t.test('BOM at the start and CRLF line ends', async (t) => {
  const r = await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${good('a')}\r\n${good('b')}\r\n`)]));
  t.equal(r.code, 0);
  t.equal(r.out.length, 2);
});

t.test('deeply nested JSON is refused, not a crash', async (t) => {
  const deep = '{"resourceType":"Patient","id":"x","extension":' + '['.repeat(100000) + ']'.repeat(100000) + '}';
  const r = await run(`${good('a')}\n${deep}\n${good('b')}\n`);
  t.equal(r.code, 3);
  t.equal(r.out.length, 2);
  t.same(r.errors.map((e) => [e.line, e.code]), [[2, 'TOO_DEEP']]);
});

t.test('a 50 MB line passes with the default limit and is refused under a smaller one', async (t) => {
  const big = JSON.stringify({ resourceType: 'Observation', id: 'big', status: 'final', code: { text: 'x' }, valueString: 'A'.repeat(50 * 1024 * 1024) });
  const input = `${good('a')}\n${big}\n${good('b')}\n`;
  const ok = await run(input);
  t.equal(ok.code, 0, 'accepted under the 64 MiB default');
  t.equal(ok.out.length, 3);
  const small = await run(input, ['--max-line-length', '1m']);
  t.equal(small.code, 3);
  t.equal(small.out.length, 2);
  t.same(small.errors.map((e) => [e.line, e.code]), [[2, 'LINE_TOO_LONG']]);
});

t.test('a truncated gzip file: the records before the cut come out, the cut is logged', async (t) => {
  const dir = tmp();
  const lines = Array.from({ length: 2000 }, (_, i) => good(`p${i}`)).join('\n') + '\n';
  const gz = gzipSync(lines);
  const file = path.join(dir, 'Patient.ndjson.gz');
  fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length / 2)));
  const errorsFile = path.join(dir, 'errors.ndjson');
  const r = await runCli(['fhir', file, '--errors', errorsFile]);
  t.equal(r.code, 3);
  const errors = parseNdjson(fs.readFileSync(errorsFile));
  t.equal(errors.length, 1);
  t.equal(errors[0]!.code, 'GZIP_CORRUPT');
  t.ok(parseNdjson(r.stdout).length < 2000);
  noContent(t, r.stderr + JSON.stringify(errors));
});

t.test('empty input is an empty, successful run', async (t) => {
  const r = await run('');
  t.equal(r.code, 0);
  t.equal(r.stdout.length, 0);
  t.equal(r.report.records.in, 0);
});

t.test('made-up `_` keys are removed without their names going into the report', async (t) => {
  const rec = { resourceType: 'Patient', id: 'k', _SECRETVALUE: { id: 'x' }, _birthDate: { id: 'y' }, birthDate: '1970-01-02' };
  const r = await run(JSON.stringify(rec) + '\n');
  t.equal(r.code, 0);
  t.notOk('_SECRETVALUE' in r.out[0]!, 'removed');
  noContent(t, JSON.stringify(r.report));
  t.ok(Object.keys(r.report.actions).some((k) => k.startsWith('Patient.(unknown element)')), 'counted as an unknown element');
  t.ok(Object.keys(r.report.actions).some((k) => k.startsWith('Patient._birthDate')), 'a primitive extension keeps its name');
});
