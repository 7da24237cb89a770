import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';

const v1 = (action: string, extra: Record<string, unknown> = {}) =>
  parseConfig({ fhir: { fieldMetadataList: [{ paths: ['Patient.name'], action }], ...extra } }, 'v1.json');

t.test('each v1 action maps to its FieldAction', async (t) => {
  t.same(v1('TRANSFORM').fhir!.rules, [{ paths: ['Patient.name'], action: { kind: 'transform' } }]);
  t.same(v1('INSPECT_AND_TRANSFORM').fhir!.rules, [{ paths: ['Patient.name'], action: { kind: 'cleanText' } }]);
  t.same(v1('DO_NOT_TRANSFORM').fhir!.rules, [{ paths: ['Patient.name'], action: { kind: 'keep' } }]);
});

t.test('ACTION_UNSPECIFIED, lower-case and unknown actions are rejected with the path', async (t) => {
  for (const a of ['ACTION_UNSPECIFIED', 'transform', 'REDACT', '']) {
    t.throws(() => v1(a), /v1\.json: fhir\.fieldMetadataList\[0\]\.action: must be one of TRANSFORM, INSPECT_AND_TRANSFORM, DO_NOT_TRANSFORM/, a);
  }
});

t.test('v1 is KEEP_ALL: unmatched fields pass through', async (t) => {
  t.equal(v1('TRANSFORM').fhir!.profile, 'KEEP_ALL');
  t.equal(parseConfig({ fhir: {} }).fhir!.profile, 'KEEP_ALL', 'even with no rules');
});

t.test('defaultKeepExtensions → keepExtensions (false or unspecified removes extensions)', async (t) => {
  t.equal(v1('TRANSFORM').fhir!.keepExtensions, false);
  t.equal(v1('TRANSFORM', { defaultKeepExtensions: false }).fhir!.keepExtensions, false);
  t.equal(v1('TRANSFORM', { defaultKeepExtensions: true }).fhir!.keepExtensions, true);
  t.throws(() => v1('TRANSFORM', { defaultKeepExtensions: 'yes' }), /fhir\.defaultKeepExtensions: must be a boolean, got string/);
});

t.test('rule order and all paths are kept', async (t) => {
  const c = parseConfig({
    fhir: {
      fieldMetadataList: [
        { paths: ['Patient.birthDate', 'Patient.Address.city'], action: 'DO_NOT_TRANSFORM' },
        { paths: ['Address.String'], action: 'TRANSFORM' },
        { paths: ['Annotation.text'], action: 'INSPECT_AND_TRANSFORM' },
      ],
    },
  });
  t.same(
    c.fhir!.rules.map((r) => [r.paths, r.action.kind]),
    [
      [['Patient.birthDate', 'Patient.Address.city'], 'keep'],
      [['Address.String'], 'transform'],
      [['Annotation.text'], 'cleanText'],
    ],
  );
  t.equal(c.fhir!.contextualDeid, false);
  t.equal(c.fhir!.maskingCharacter, '*');
});
