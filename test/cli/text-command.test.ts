import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { Keyed } from '../../src/core/keyed.js';
import { registerTextCommand, runText } from '../../src/cli/text-command.js';
import { loadTextConfigFile } from '../../src/cli/text-config-file.js';
import { runCli } from '../helpers/run-cli.js';

const KEY = Buffer.alloc(32, 3);

async function go(input: string | Buffer, opts: { findings?: boolean; quote?: boolean; config?: Parameters<typeof runText>[0]['config']; chunk?: number } = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const size = opts.chunk ?? buf.length;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
  const stats = await runText({
    key: KEY,
    findings: Boolean(opts.findings),
    quote: Boolean(opts.quote),
    input: Readable.from(chunks),
    output: out,
    stderr: err,
    ...(opts.config ? { config: opts.config } : {}),
  });
  return { stats, out: o, err: e };
}

t.test('NDJSON records: text de-identified, other members kept, dates shifted per patient', async (t) => {
  const line = { id: 'n1', patient: 'p9', text: 'Dr. Wall saw her 7/22/2019; call 410-555-1234.', extra: [1, 2] };
  const r = await go(JSON.stringify(line) + '\n');
  t.same(r.stats, { in: 1, out: 1, failed: 0 });
  const rec = JSON.parse(r.out);
  t.same(Object.keys(rec), ['id', 'patient', 'text', 'extra']);
  const days = new Keyed(KEY).dateShiftDays('p9');
  const shifted = new Date(Date.UTC(2019, 6, 22) + days * 86400000);
  t.equal(rec.text, `Dr. [PERSON_NAME] saw her ${shifted.getUTCMonth() + 1}/${shifted.getUTCDate()}/${shifted.getUTCFullYear()}; call [PHONE_NUMBER].`);
  const again = await go(JSON.stringify(line) + '\n', { chunk: 7 });
  t.equal(again.out, r.out, 'same output whatever the chunking (deterministic)');
});

t.test('--findings, with and without --quote', async (t) => {
  const input = '{"id":7,"text":"MRN: 12345678"}\n';
  const plain = JSON.parse((await go(input, { findings: true })).out);
  t.same(plain, { id: 7, findings: [{ start: 5, end: 13, infoType: 'MEDICAL_RECORD_NUMBER', likelihood: 'VERY_LIKELY' }] });
  const quoted = JSON.parse((await go(input, { findings: true, quote: true })).out);
  t.equal(quoted.findings[0].quote, '12345678');
});

t.test('contextual values from the record', async (t) => {
  const r = await go('{"id":1,"text":"Brucer is calm","context":[{"value":"brucer","infoType":"PERSON_NAME"}]}\n');
  t.equal(JSON.parse(r.out).text, '[CTX] is calm');
});

t.test('plain text on stdin is one record', async (t) => {
  const r = await go('Seen by Dr. Smith.\nCall 410-555-1234.\n');
  t.equal(r.out, 'Seen by Dr. [PERSON_NAME].\nCall [PHONE_NUMBER].\n');
  t.same(r.stats, { in: 1, out: 1, failed: 0 });
});

t.test('bad lines become error entries with line and code, never their content', async (t) => {
  const input = ['{"id":1,"text":"ok 410-555-1234"}', '{"id":2,"text":"SECRET-PHI', '[1,2]', '{"id":3}', '', '{"id":4,"text":5}', '{"id":5,"text":"fine"}'].join('\n');
  const r = await go(Buffer.concat([Buffer.from(input + '\n'), Buffer.from([0xff, 0xfe, 0x0a])]));
  t.same(r.stats, { in: 7, out: 2, failed: 5 });
  const errs = r.err.trim().split('\n').map((l) => JSON.parse(l));
  t.same(errs.map((e) => [e.line, e.code]), [[2, 'INVALID_JSON'], [3, 'NOT_AN_OBJECT'], [4, 'TRANSFORM_FAILED'], [6, 'TRANSFORM_FAILED'], [8, 'INVALID_ENCODING']]);
  t.notMatch(r.err, /SECRET|PHI/);
});

t.test('an over-long line is an error entry and the next line still goes through', async (t) => {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const big = '{"id":1,"text":"' + 'a'.repeat(5000) + '"}';
  const stats = await runText({ key: KEY, findings: false, quote: false, input: Readable.from([Buffer.from(big.slice(0, 3000)), Buffer.from(big.slice(3000) + '\n{"id":2,"text":"x"}\n')]), output: out, stderr: err, maxLineLength: 1000 });
  t.same(stats, { in: 2, out: 1, failed: 1 });
  t.match(e, /"code":"LINE_TOO_LONG"/);
  t.equal(JSON.parse(o).id, 2);
});

t.test('config files: a TextConfig, or a DeidentifyConfig with text', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deid-text-'));
  const a = path.join(dir, 'text.yaml');
  writeFileSync(a, 'additionalTransformations:\n  - infoTypes: [PHONE_NUMBER]\n    redactConfig: {}\n');
  t.same(loadTextConfigFile(a).transformations, [{ infoTypes: ['PHONE_NUMBER'], action: { kind: 'redact' } }]);
  const b = path.join(dir, 'deid.json');
  writeFileSync(b, JSON.stringify({ text: { profileType: 'EMPTY' } }));
  t.equal(loadTextConfigFile(b).profile, 'EMPTY');
  t.throws(() => loadTextConfigFile(path.join(dir, 'missing.json')), { code: 'CONFIG_INVALID' });
  const c = path.join(dir, 'bad.json');
  writeFileSync(c, '{"text": {"profileType": "FULL"}}');
  t.throws(() => loadTextConfigFile(c), { code: 'CONFIG_INVALID' });
  const r = await go('{"id":1,"text":"call 410-555-1234 on 7/22/2019"}\n', { config: loadTextConfigFile(a) });
  t.equal(JSON.parse(r.out).text, 'call  on 7/22/2019', 'EMPTY-by-default v1 config transforms only what it names');
});

t.test('a bare TextConfig is validated as the text member of a DeidentifyConfig is', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deid-text-'));
  const bad = (name: string, config: unknown, why: RegExp) => {
    const bare = path.join(dir, `${name}.json`);
    writeFileSync(bare, JSON.stringify(config));
    t.throws(() => loadTextConfigFile(bare), { code: 'CONFIG_INVALID', message: why }, name);
    const wrapped = path.join(dir, `${name}-wrapped.json`);
    writeFileSync(wrapped, JSON.stringify({ text: config }));
    t.throws(() => loadTextConfigFile(wrapped), { code: 'CONFIG_INVALID', message: why }, `${name} in a DeidentifyConfig`);
  };
  // a lower-case infoType names nothing the detectors find: the names would pass through
  bad('lower-case', { additionalTransformations: [{ infoTypes: ['person_name'], redactConfig: {} }] }, /additionalTransformations\[0\]\.infoTypes\[0\]: must be an infoType name in upper case/);
  bad('dlp-mask-fields', { additionalTransformations: [{ characterMaskConfig: { maskingCharacter: '#', numberToMask: 2, reverseOrder: true } }] }, /characterMaskConfig\.numberToMask: unknown key/);
  bad('key', { additionalTransformations: [{ cryptoHashConfig: { cryptoKey: 'AAAA' } }] }, /cryptoHashConfig\.cryptoKey: keys are not read from the config/);
  bad('conflict', { additionalTransformations: [{ infoTypes: ['PERSON_NAME'], redactConfig: {} }, { infoTypes: ['PERSON_NAME'], replaceWithInfoTypeConfig: {} }] }, /additionalTransformations\[1\]: names infoType PERSON_NAME again; first at (text\.)?additionalTransformations\[0\]/);
});

t.test('--info-types takes only infoTypes deid detects (a misspelt one found nothing and the text passed through)', async (t) => {
  const input = '{"id":1,"text":"SSN 123-45-6789"}\n';
  const bad = await runCli(['text', '--info-types', 'PERSON_NAME,SSN'], { input });
  t.equal(bad.code, 64);
  t.equal(bad.stdout.length, 0, 'nothing written');
  t.match(bad.stderr, /--info-types takes infoTypes deid detects: AGE, /);
  const good = await runCli(['text', '--info-types', 'US_SOCIAL_SECURITY_NUMBER'], { input });
  t.equal(good.code, 0);
  t.equal(JSON.parse(good.stdout.toString()).text, 'SSN [US_SOCIAL_SECURITY_NUMBER]');
});

t.test("a DeidentifyConfig's deid.dateShiftRangeDays bounds the text date shift, as in deid fhir", async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deid-text-'));
  const config = path.join(dir, 'range.json');
  writeFileSync(config, JSON.stringify({ deid: { dateShiftRangeDays: 1 }, text: { additionalTransformations: [{ infoTypes: ['DATE'], dateShiftConfig: {} }] } }));
  const patients = Array.from({ length: 8 }, (_, i) => `Patient/p${i}`);
  const text = await runCli(['text', '-c', config], { input: patients.map((p) => JSON.stringify({ id: 'n', patient: p, text: 'seen 2020-03-10' })).join('\n') + '\n' });
  t.equal(text.code, 0);
  const fhir = await runCli(['fhir', '-c', config, '--keep-ids', '-q'], { input: patients.map((p) => JSON.stringify({ resourceType: 'Patient', id: p.slice(8), birthDate: '2020-03-10' })).join('\n') + '\n' });
  const shifted = text.stdout.toString().trim().split('\n').map((l) => JSON.parse(l).text.slice(5));
  t.ok(shifted.every((d) => d === '2020-03-09' || d === '2020-03-11'), 'within ±1 day');
  t.same(shifted, fhir.stdout.toString().trim().split('\n').map((l) => JSON.parse(l).birthDate), "each patient's shift as deid fhir gives it");
});

t.test('registerTextCommand adds `text` with its options', async (t) => {
  const program = new Command('deid');
  registerTextCommand(program);
  const cmd = program.commands.find((c) => c.name() === 'text');
  t.ok(cmd);
  t.same(cmd!.options.map((o) => o.long).sort(), ['--config', '--findings', '--info-types', '--key-file', '--quote']);
});
