import t from 'tap';
import path from 'node:path';
import { DEFAULT_CONFIG, parseConfig, loadConfigFile } from '../../src/config/load-config.js';
import { repoRoot } from './helpers/typed-paths.js';
import { todayUtc } from '../../src/core/age-over-89.js';

t.test('DEFAULT_CONFIG is the BASIC FHIR profile with the default text config', async (t) => {
  t.same(DEFAULT_CONFIG.fhir, {
    profile: 'BASIC',
    rules: [],
    keepExtensions: false,
    pseudonymizeIds: true,
    maskingCharacter: '*',
    contextualDeid: false,
    dateShiftRangeDays: 100,
    ageReferenceDate: todayUtc(),
  });
  t.same(DEFAULT_CONFIG.text, { profile: 'BASIC', transformations: [], excludeInfoTypes: [] });
  t.equal(DEFAULT_CONFIG.dicom, undefined);
  t.same(DEFAULT_CONFIG, parseConfig({}), 'equals an empty config');
  // built without the parser: the same members in the same order, so the same report and digest
  t.equal(JSON.stringify(DEFAULT_CONFIG), JSON.stringify(parseConfig({}, 'default config')));
});

t.test('DEFAULT_CONFIG cannot be modified', async (t) => {
  t.ok(Object.isFrozen(DEFAULT_CONFIG));
  t.ok(Object.isFrozen(DEFAULT_CONFIG.fhir));
  t.ok(Object.isFrozen(DEFAULT_CONFIG.fhir!.rules));
  t.ok(Object.isFrozen(DEFAULT_CONFIG.text.transformations));
  t.throws(() => {
    (DEFAULT_CONFIG.fhir as { profile: string }).profile = 'KEEP_ALL';
  });
});

t.test('data/configs/basic.json means the same as no config', async (t) => {
  const basic = loadConfigFile(path.join(repoRoot, 'data/configs/basic.json'));
  t.same(basic.fhir, DEFAULT_CONFIG.fhir);
  t.same(basic.text, DEFAULT_CONFIG.text);
});

t.test('a config without a FHIR part gets the BASIC plan (fail closed)', async (t) => {
  t.same(parseConfig({ dicom: { filterProfile: 'KEEP_ALL_PROFILE' } }).fhir, DEFAULT_CONFIG.fhir);
  t.same(parseConfig({ text: { profileType: 'EMPTY' } }).fhir, DEFAULT_CONFIG.fhir);
});
