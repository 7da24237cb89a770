// deid.dicom in a config file: profile options and the burned-in switch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { loadDicomConfigFile } from '../../../src/dicom/profile/config-extension.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-dicom-cfg-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
};

t.test('YAML: options list and allowBurnedIn, next to Google keys and other deid keys', async (t) => {
  const f = write('a.yaml', 'dicom:\n  filterProfile: ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE\ndeid:\n  dateShiftRangeDays: 30\n  dicom:\n    options: [retain-uids, cleanDescriptors]\n    allowBurnedIn: true\n');
  const { config, extension } = loadDicomConfigFile(f);
  t.same(extension, { options: ['retain-uids', 'cleanDescriptors'], allowBurnedIn: true });
  t.match(config.dicom, { generation: 'v1', config: { filterProfile: 'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE' } });
  t.equal(config.fhir?.dateShiftRangeDays, 30, 'the other deid keys still reach the shared loader');
});

t.test('JSON, wrapped in a request body, options as a map', async (t) => {
  const f = write('b.json', JSON.stringify({ config: { deid: { dicom: { options: { retainLongModifiedDates: false } } } } }));
  t.same(loadDicomConfigFile(f).extension, { options: { retainLongModifiedDates: false } });
});

t.test('errors name the path, never pass through', async (t) => {
  t.throws(() => loadDicomConfigFile(write('c.yaml', 'deid:\n  dicom:\n    options: [retainEverything]\n')), { code: 'CONFIG_INVALID', message: /deid\.dicom\.options/ });
  t.throws(() => loadDicomConfigFile(write('d.yaml', 'deid:\n  dicom:\n    allowBurnedIn: "yes"\n')), { code: 'CONFIG_INVALID' });
  t.throws(() => loadDicomConfigFile(write('e.yaml', 'deid:\n  dicom:\n    burn: true\n')), { code: 'CONFIG_INVALID' });
  t.throws(() => loadDicomConfigFile(write('f.json', '{"dicom": ')), { code: 'CONFIG_INVALID', message: /not valid JSON/ }, 'syntax errors come from the shared loader');
  t.throws(() => loadDicomConfigFile(path.join(tmp, 'missing.yaml')), { code: 'CONFIG_INVALID' });
});

t.test('a config without deid.dicom loads as usual', async (t) => {
  const { config, extension } = loadDicomConfigFile(write('g.yaml', 'dicom:\n  keepList:\n    tags: [PatientName]\n'));
  t.same(extension, {});
  t.match(config.dicom, { generation: 'v1' });
});
