import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';

const actions: [string, string][] = [
  ['keepField', 'keep'],
  ['removeField', 'remove'],
  ['characterMaskField', 'characterMask'],
  ['cryptoHashField', 'cryptoHash'],
  ['dateShiftField', 'dateShift'],
  ['cleanTextField', 'cleanText'],
];

t.test('each v1beta1 field action maps to its FieldAction', async (t) => {
  for (const [google, kind] of actions) {
    const c = parseConfig({ fhirFieldConfig: { fieldMetadataList: [{ paths: ['HumanName.given'], [google]: {} }] } });
    t.same(c.fhir!.rules, [{ paths: ['HumanName.given'], action: { kind } }], google);
  }
});

t.test('exactly one action per FieldMetadata', async (t) => {
  t.throws(
    () => parseConfig({ fhirFieldConfig: { fieldMetadataList: [{ paths: ['Patient.name'] }] } }, 'b.json'),
    /b\.json: fhirFieldConfig\.fieldMetadataList\[0\]: needs one of keepField, removeField/,
  );
  t.throws(
    () => parseConfig({ fhirFieldConfig: { fieldMetadataList: [{ paths: ['Patient.name'], keepField: {} }, { paths: ['Patient.gender'], removeField: {}, cryptoHashField: {} }] } }),
    /fhirFieldConfig\.fieldMetadataList\[1\]: sets removeField and cryptoHashField; only one of/,
  );
  t.throws(
    () => parseConfig({ fhirFieldConfig: { fieldMetadataList: [{ paths: ['Patient.name'], keepField: true }] } }),
    /fhirFieldConfig\.fieldMetadataList\[0\]\.keepField: must be an object, got boolean/,
  );
  t.throws(
    () => parseConfig({ fhirFieldConfig: { fieldMetadataList: [{ paths: ['Patient.name'], keepField: { now: 1 } }] } }),
    /fhirFieldConfig\.fieldMetadataList\[0\]\.keepField\.now: unknown key/,
  );
});

t.test('profile types; unspecified = BASIC', async (t) => {
  for (const p of ['KEEP_ALL', 'BASIC', 'CLEAN_ALL'] as const) {
    t.equal(parseConfig({ fhirFieldConfig: { profileType: p } }).fhir!.profile, p);
  }
  t.equal(parseConfig({ fhirFieldConfig: { profileType: 'PROFILE_TYPE_UNSPECIFIED' } }).fhir!.profile, 'BASIC');
  t.equal(parseConfig({ fhirFieldConfig: {} }).fhir!.profile, 'BASIC');
  t.throws(() => parseConfig({ fhirFieldConfig: { profileType: 'basic' } }), /fhirFieldConfig\.profileType: must be one of PROFILE_TYPE_UNSPECIFIED, KEEP_ALL, BASIC, CLEAN_ALL/);
});

t.test('options: masking character, contextual de-id and extensions are presence flags', async (t) => {
  const none = parseConfig({ fhirFieldConfig: { profileType: 'BASIC' } }).fhir!;
  t.equal(none.maskingCharacter, '*', 'Google default mask');
  t.equal(none.contextualDeid, false);
  t.equal(none.keepExtensions, false);
  const all = parseConfig({
    fhirFieldConfig: {
      options: { characterMaskConfig: { maskingCharacter: '#' }, contextualDeid: {}, keepExtensions: {}, cryptoHashConfig: {}, dateShiftConfig: {} },
    },
  }).fhir!;
  t.equal(all.maskingCharacter, '#');
  t.equal(all.contextualDeid, true);
  t.equal(all.keepExtensions, true);
  t.equal(parseConfig({ fhirFieldConfig: { options: { characterMaskConfig: {} } } }).fhir!.maskingCharacter, '*');
  t.equal(parseConfig({ fhirFieldConfig: { options: { characterMaskConfig: { maskingCharacter: '\u{1F512}' } } } }).fhir!.maskingCharacter, '\u{1F512}', 'one code point');
  t.throws(() => parseConfig({ fhirFieldConfig: { options: { characterMaskConfig: { maskingCharacter: '##' } } } }), /options\.characterMaskConfig\.maskingCharacter: must be exactly one character/);
  t.throws(() => parseConfig({ fhirFieldConfig: { options: { characterMaskConfig: { maskingCharacter: '' } } } }), /must be exactly one character/);
  t.throws(() => parseConfig({ fhirFieldConfig: { options: { contextualDeid: true } } }), /options\.contextualDeid: must be an object/);
});

t.test('keys in crypto configs are refused (the key comes from --key-file / DEID_KEY)', async (t) => {
  t.throws(() => parseConfig({ fhirFieldConfig: { options: { cryptoHashConfig: { cryptoKey: 'AAAA' } } } }), /fhirFieldConfig\.options\.cryptoHashConfig\.cryptoKey: keys are not read from the config/);
  t.throws(() => parseConfig({ fhirFieldConfig: { options: { dateShiftConfig: { kmsWrapped: { cryptoKey: 'k', wrappedKey: 'w' } } } } }), /dateShiftConfig\.kmsWrapped: KMS-wrapped keys are not supported/);
});
