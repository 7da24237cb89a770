import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfigFile, parseConfigText, detectFormat } from '../../src/config/load-config.js';
import { repoRoot } from './helpers/typed-paths.js';

const dir = mkdtempSync(path.join(tmpdir(), 'deid-config-yaml-'));
const json = {
  fhirFieldConfig: {
    profileType: 'BASIC',
    fieldMetadataList: [{ paths: ['Patient.birthDate', 'Deceased.DateTime'], dateShiftField: {} }],
  },
  text: { excludeInfoTypes: ['AGE'] },
};
const yaml = `# comment
fhirFieldConfig:
  profileType: BASIC
  fieldMetadataList:
    - paths:
        - Patient.birthDate
        - Deceased.DateTime
      dateShiftField: {}
text:
  excludeInfoTypes: [AGE]
`;

t.test('YAML and JSON of the same config normalize identically (digest included)', async (t) => {
  writeFileSync(path.join(dir, 'c.json'), JSON.stringify(json));
  writeFileSync(path.join(dir, 'c.yaml'), yaml);
  writeFileSync(path.join(dir, 'c.yml'), yaml);
  const a = loadConfigFile(path.join(dir, 'c.json'));
  t.same(loadConfigFile(path.join(dir, 'c.yaml')), a);
  t.same(loadConfigFile(path.join(dir, 'c.yml')), a);
  t.equal(a.fhir!.rules[0]!.action.kind, 'dateShift');
});

t.test('format is sniffed when the extension says nothing', async (t) => {
  t.equal(detectFormat('  {"fhir": {}}'), 'json');
  t.equal(detectFormat('fhir: {}'), 'yaml');
  t.equal(detectFormat('{"fhir": {}}', 'x.yaml'), 'yaml', 'extension wins (YAML is a superset of JSON)');
  writeFileSync(path.join(dir, 'noext'), yaml);
  writeFileSync(path.join(dir, 'noext2.conf'), JSON.stringify(json));
  t.same(loadConfigFile(path.join(dir, 'noext')).digest, loadConfigFile(path.join(dir, 'noext2.conf')).digest);
});

t.test('YAML errors carry line and column, never the text', async (t) => {
  t.throws(() => parseConfigText('fhir:\n  fieldMetadataList: [\n', 'bad.yaml'), /bad\.yaml: not valid YAML at line \d+, column \d+/);
  t.throws(() => parseConfigText('fhir: {}\nfhir: {}\n', 'dup.yaml'), /dup\.yaml: duplicate key at line 2, column 1/);
  t.throws(() => parseConfigText('# only a comment\n', 'empty.yaml'), /empty\.yaml: is empty/);
  t.throws(() => parseConfigText('- fhir\n', 'list.yaml'), /list\.yaml: must be a JSON object/);
  const err = t.throws(() => parseConfigText('secret_value_xyz: [', 's.yaml')) as Error;
  t.notMatch(err.message, /secret_value_xyz/);
});

t.test('YAML-only features do not leak into the config', async (t) => {
  // Timestamps and other non-JSON scalars stay strings under the YAML 1.2 core schema.
  t.throws(() => parseConfigText('deid:\n  dateShiftRangeDays: 2024-01-01\n', 'ts.yaml'), /ts\.yaml: deid\.dateShiftRangeDays: must be a number, got string/);
  t.throws(() => parseConfigText('fhir: !!binary aGVsbG8=\n', 'bin.yaml'), /bin\.yaml: /);
});

t.test('the YAML example in data/configs loads', async (t) => {
  const c = loadConfigFile(path.join(repoRoot, 'data/configs/research-export.yaml'));
  t.equal(c.fhir!.profile, 'BASIC');
  t.equal(c.fhir!.dateShiftRangeDays, 30);
});
