import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { configParts } from '../../src/operations/config-parts.js';
import { loadConfigFile } from '../../src/config/load-config.js';
import { repoRoot } from '../helpers/run-cli.js';
import { tempDir } from '../cli/fhir-store-helpers.js';

const configs = path.join(repoRoot, 'data/configs');

t.test('the store types a config names, read from the file itself', async (t) => {
  t.same(configParts(undefined), { fhir: true, dicom: true }, 'no config: every store type');
  t.same(configParts(path.join(configs, 'v1-dicom.json')), { fhir: false, dicom: true });
  t.same(configParts(path.join(configs, 'v1-fhir.json')), { fhir: true, dicom: false });
  t.same(configParts(path.join(configs, 'request-body.json')), { fhir: true, dicom: true }, 'inside a request body');
  // the loader fills in a FHIR plan either way: that is why the file is read again
  t.ok(loadConfigFile(path.join(configs, 'v1-dicom.json')).fhir, 'the loaded config has a FHIR plan although the file has none');
  const dir = tempDir(t);
  const cases: Array<[string, string, { fhir: boolean; dicom: boolean }]> = [
    ['beta.json', '{"fhirFieldConfig":{},"dicomTagConfig":{}}', { fhir: true, dicom: true }],
    ['text.yaml', 'text:\n  transformations: []\n', { fhir: false, dicom: false }],
    ['both.yaml', '\uFEFFfhir: {}\ndicom: {}\n', { fhir: true, dicom: true }],
    ['nested.json', '{"text":{"fhir":{}}}', { fhir: false, dicom: false }],
  ];
  for (const [name, text, want] of cases) {
    fs.writeFileSync(path.join(dir, name), text);
    t.same(configParts(path.join(dir, name)), want, name);
  }
});
