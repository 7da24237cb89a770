import t, { type Test } from 'tap';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig, parseConfigText, loadConfigFile, MAX_CONFIG_BYTES } from '../../src/config/load-config.js';
import { MAX_CONFIG_DEPTH } from '../../src/config/input-guard.js';
import { compileRules } from '../../src/config/fhir-path-match.js';
import { DeidError } from '../../src/core/errors.js';
import { readJson, walk, dotted } from './helpers/typed-paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deid-config-adv-'));

function configError(t: Test, f: () => unknown, re: RegExp): void {
  const err = t.throws(f) as unknown;
  t.ok(err instanceof DeidError, 'a DeidError');
  t.equal((err as DeidError).code, 'CONFIG_INVALID');
  t.match((err as Error).message, re);
}

t.test('a huge config (50 000 rules) loads and its last rule still matches real data', async (t) => {
  // paths that name nothing in a Patient, so the last rule decides there
  const elsewhere = ['Observation.Component.code', 'Encounter.Location.period', 'Claim.Item.net', 'Condition.OnsetX.string', 'Device.UdiCarrier.carrierHRF', 'AuditEvent.Agent.altId'];
  const list = Array.from({ length: 50_000 }, (_, i) => ({ paths: [elsewhere[i % 6]!, elsewhere[(i + 1) % 6]!], action: 'DO_NOT_TRANSFORM' }));
  list.push({ paths: ['Patient.Address.city'], action: 'TRANSFORM' });
  const c = parseConfigText(JSON.stringify({ fhir: { fieldMetadataList: list } }), 'huge.json');
  t.equal(c.fhir!.rules.length, 50_001);
  const m = compileRules(c.fhir!.rules);
  const patient = readJson('fhir-samples/hl7-r4-examples/resources/Patient-example.json');
  const hits = walk(patient).filter((v) => m.match(v.path)).map((v) => dotted(v.path));
  t.same(hits, ['Patient.address.city']);
});

t.test('files over the size limit are refused before reading', async (t) => {
  const f = path.join(dir, 'big.json');
  writeFileSync(f, Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x20));
  configError(t, () => loadConfigFile(f), /big\.json: larger than 16777216 bytes/);
});

t.test('deep nesting is refused without overflowing the stack', async (t) => {
  const deep = `{"fhir": {"fieldMetadataList": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
  configError(t, () => parseConfigText(deep, 'deep.json'), /deep\.json: fhir\.fieldMetadataList(\[0\])+: nesting is deeper than 32 levels/);
  const yamlDeep = `fhir: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`;
  configError(t, () => parseConfigText(yamlDeep, 'deep.yaml'), /deep\.yaml: /);
  let obj: Record<string, unknown> = {};
  const root = obj;
  for (let i = 0; i < MAX_CONFIG_DEPTH + 5; i++) obj = (obj.annotation = {}) as Record<string, unknown>;
  configError(t, () => parseConfig(root, 'deep-object'), /nesting is deeper than 32 levels/);
});

t.test('a cyclic object (from code) is refused', async (t) => {
  const cyc: Record<string, unknown> = { fhir: {} };
  (cyc.fhir as Record<string, unknown>).self = cyc;
  configError(t, () => parseConfig(cyc, 'cyclic'), /cyclic: /);
});

t.test('prototype-pollution keys are refused at any depth, in JSON and YAML', async (t) => {
  const texts: [string, string, RegExp][] = [
    ['p1.json', '{"__proto__": {"polluted": true}}', /p1\.json: \["__proto__"\]: key is not allowed|p1\.json: __proto__: key is not allowed/],
    ['p2.json', '{"fhir": {"fieldMetadataList": [{"paths": ["a"], "action": "TRANSFORM", "__proto__": {"polluted": true}}]}}', /p2\.json: fhir\.fieldMetadataList\[0\]\.__proto__: key is not allowed/],
    ['p3.json', '{"fhirFieldConfig": {"constructor": {"prototype": {"polluted": true}}}}', /p3\.json: fhirFieldConfig\.constructor: key is not allowed/],
    ['p4.json', '{"config": {"prototype": 1}}', /p4\.json: config\.prototype: key is not allowed/],
    ['p5.yaml', '__proto__:\n  polluted: true\n', /p5\.yaml: __proto__: key is not allowed/],
    ['p6.yaml', 'text:\n  constructor: 1\n', /p6\.yaml: text\.constructor: key is not allowed/],
  ];
  for (const [name, text, re] of texts) configError(t, () => parseConfigText(text, name), re);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  t.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});

t.test('values JSON cannot carry are refused (configs built in code)', async (t) => {
  const bad: [string, unknown][] = [
    ['function', { fhir: { fieldMetadataList: [{ paths: ['Patient.name'], action: () => 'TRANSFORM' }] } }],
    ['bigint', { deid: { dateShiftRangeDays: 10n } }],
    ['NaN', { deid: { dateShiftRangeDays: NaN } }],
    ['Infinity', { deid: { dateShiftRangeDays: Infinity } }],
    ['Date', { fhir: { fieldMetadataList: [{ paths: [new Date(0)], action: 'TRANSFORM' }] } }],
    ['Map', { text: new Map([['excludeInfoTypes', ['AGE']]]) }],
    ['symbol', { fhir: Symbol('x') }],
  ];
  for (const [name, input] of bad) configError(t, () => parseConfig(input, name), new RegExp(`^Configuration is invalid: ${name}: `));
});

t.test('hostile YAML: alias bombs, binary junk, invalid UTF-8, BOM', async (t) => {
  const lol = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) lol.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  configError(t, () => parseConfigText(lol.join('\n') + '\n', 'lol.yaml'), /lol\.yaml: /);

  const bin = path.join(dir, 'bin.json');
  writeFileSync(bin, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]));
  configError(t, () => loadConfigFile(bin), /bin\.json: not valid UTF-8/);

  const bom = path.join(dir, 'bom.json');
  writeFileSync(bom, '\ufeff{"fhir": {}}');
  t.equal(loadConfigFile(bom).fhir!.profile, 'KEEP_ALL', 'a UTF-8 BOM is accepted');

  configError(t, () => parseConfigText('\u0000\u0001\u0002', 'nul.conf'), /nul\.conf: /);
  configError(t, () => parseConfigText('{"fhir": {}', 'trunc.json'), /trunc\.json: not valid JSON/);
  configError(t, () => parseConfigText('{"fhir": {}} {"fhir": {}}', 'two.json'), /two\.json: not valid JSON at line 1, column 14/);
});

t.test('duplicate keys in JSON are refused, as in YAML (JSON.parse keeps the last one)', async (t) => {
  const rules = (path: string) => `[{"paths": ["${path}"], "action": "TRANSFORM"}]`;
  configError(t, () => parseConfigText(`{"fhir": {"fieldMetadataList": ${rules('Patient.name')},\n  "fieldMetadataList": ${rules('Patient.gender')}}}`, 'dup.json'), /dup\.json: duplicate key at line 2, column 3$/);
  configError(t, () => parseConfigText('{"text": {}, "\\u0074ext": {}}', 'escaped.json'), /escaped\.json: duplicate key at line 1, column 14$/);
  configError(t, () => parseConfigText('{"config": {"fhir": {}}, "config": {}}', 'wrapped.json'), /wrapped\.json: duplicate key/);
  const same = '{"fhir": {"fieldMetadataList": [{"paths": ["Patient.name"], "action": "TRANSFORM"}, {"paths": ["Patient.name"], "action": "TRANSFORM"}]}, "text": {"excludeInfoTypes": ["AGE"]}, "deid": {"keepIds": true}}';
  t.equal(parseConfigText(same, 'ok.json').fhir!.rules.length, 2, 'the same key in sibling objects is fine');
  const quoted = '{"fhir": {}, "annotation": {"annotationStoreName": "s\\", \\"fhir\\": {", "storeQuote": false}}';
  t.equal(parseConfigText(quoted, 'ok.json').fhir!.profile, 'KEEP_ALL', 'a key spelled inside a string value is no key');
});

t.test('unreadable paths', async (t) => {
  configError(t, () => loadConfigFile(path.join(dir, 'missing.json')), /missing\.json: cannot be read/);
  const d = path.join(dir, 'a-directory.json');
  mkdirSync(d);
  configError(t, () => loadConfigFile(d), /a-directory\.json: cannot be read/);
});

t.test('absurd path strings are rejected by the matcher limits', async (t) => {
  configError(t, () => parseConfig({ fhir: { fieldMetadataList: [{ paths: ['a'.repeat(5000)], action: 'TRANSFORM' }] } }, 'long'), /long: fhir\.fieldMetadataList\[0\]\.paths\[0\]: is longer than 1024 characters/);
  configError(t, () => parseConfig({ fhir: { fieldMetadataList: [{ paths: [Array(100).fill('a').join('.')], action: 'TRANSFORM' }] } }, 'many'), /many: fhir\.fieldMetadataList\[0\]\.paths\[0\]: has more than 64 components/);
});
