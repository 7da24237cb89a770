import t from 'tap';
import { parseConfig } from '../../src/config/load-config.js';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/config.js';

t.test('no text config: BASIC profile, no transformations', async (t) => {
  t.same(parseConfig({}).text, { profile: 'BASIC', transformations: [], excludeInfoTypes: [] });
  t.same(parseConfig({ text: {} }).text, DEFAULT_TEXT_CONFIG);
});

t.test('each transformation kind', async (t) => {
  const c = parseConfig({
    text: {
      additionalTransformations: [
        { infoTypes: ['PERSON_NAME'], redactConfig: {} },
        { infoTypes: ['PHONE_NUMBER'], characterMaskConfig: { maskingCharacter: '#' } },
        { infoTypes: ['EMAIL_ADDRESS'], characterMaskConfig: {} },
        { infoTypes: ['MEDICAL_RECORD_NUMBER'], cryptoHashConfig: {} },
        { infoTypes: ['DATE'], dateShiftConfig: {} },
        { replaceWithInfoTypeConfig: {} },
      ],
    },
  });
  t.same(c.text.transformations, [
    { infoTypes: ['PERSON_NAME'], action: { kind: 'redact' } },
    { infoTypes: ['PHONE_NUMBER'], action: { kind: 'characterMask', maskingCharacter: '#' } },
    { infoTypes: ['EMAIL_ADDRESS'], action: { kind: 'characterMask', maskingCharacter: '*' } },
    { infoTypes: ['MEDICAL_RECORD_NUMBER'], action: { kind: 'cryptoHash' } },
    { infoTypes: ['DATE'], action: { kind: 'dateShift' } },
    { infoTypes: [], action: { kind: 'replaceWithInfoType' } },
  ]);
});

t.test('deprecated transformations and additionalTransformations are both used', async (t) => {
  const c = parseConfig({
    text: {
      additionalTransformations: [{ infoTypes: ['AGE'], redactConfig: {} }],
      transformations: [{ infoTypes: ['PERSON_NAME'], cryptoHashConfig: {} }],
    },
  });
  const byType = Object.fromEntries(c.text.transformations.map((x) => [x.infoTypes[0], x.action.kind]));
  t.same(byType, { AGE: 'redact', PERSON_NAME: 'cryptoHash' });
});

t.test('excludeInfoTypes and v1beta1 profileType', async (t) => {
  t.same(parseConfig({ text: { excludeInfoTypes: ['AGE', 'GENDER'] } }).text.excludeInfoTypes, ['AGE', 'GENDER']);
  t.equal(parseConfig({ text: { profileType: 'EMPTY' } }).text.profile, 'EMPTY');
  t.equal(parseConfig({ text: { profileType: 'BASIC' } }).text.profile, 'BASIC');
  t.equal(parseConfig({ text: { profileType: 'PROFILE_TYPE_UNSPECIFIED' } }).text.profile, 'BASIC');
});

t.test('conflicts and malformed transformations name the path', async (t) => {
  t.throws(
    () => parseConfig({ text: { transformations: [{ infoTypes: ['AGE'], redactConfig: {} }], additionalTransformations: [{ infoTypes: ['PERSON_NAME', 'AGE'], redactConfig: {} }] } }, 't.json'),
    /t\.json: text\.additionalTransformations\[0\]: names infoType AGE again; first at text\.transformations\[0\]/,
  );
  t.throws(
    () => parseConfig({ text: { additionalTransformations: [{ redactConfig: {} }, { infoTypes: [], cryptoHashConfig: {} }] } }),
    /text\.additionalTransformations\[1\]: names a second default transformation/,
  );
  t.throws(() => parseConfig({ text: { additionalTransformations: [{ infoTypes: ['AGE'] }] } }), /text\.additionalTransformations\[0\]: needs one of redactConfig, characterMaskConfig/);
  t.throws(() => parseConfig({ text: { additionalTransformations: [{ redactConfig: {}, cryptoHashConfig: {} }] } }), /sets redactConfig and cryptoHashConfig/);
  t.throws(() => parseConfig({ text: { excludeInfoTypes: ['person_name'] } }), /text\.excludeInfoTypes\[0\]: must be an infoType name in upper case/);
  t.throws(() => parseConfig({ text: { profileType: 'FULL' } }), /text\.profileType: must be one of PROFILE_TYPE_UNSPECIFIED, EMPTY, BASIC/);
  t.throws(() => parseConfig({ text: { additionalTransformations: [{ replaceWithInfoTypeConfig: { partial: true } }] } }), /replaceWithInfoTypeConfig\.partial: unknown key/);
});

t.test('the default text config (src/text/config.ts) is not shared', async (t) => {
  t.ok(Object.isFrozen(DEFAULT_TEXT_CONFIG));
  const c = parseConfig({});
  t.same(c.text, DEFAULT_TEXT_CONFIG);
  c.text.excludeInfoTypes.push('AGE');
  t.same(DEFAULT_TEXT_CONFIG.excludeInfoTypes, [], 'a parsed config does not share arrays with the default');
  t.same(parseConfig({}).text.excludeInfoTypes, []);
});

t.test('a transformation may name only infoTypes deid detects; excludeInfoTypes any', async (t) => {
  // an infoType no detector reports matches no finding: what it names would pass through
  for (const name of ['SSN', 'US_SSN', 'ICD10_CODE']) {
    t.throws(
      () => parseConfig({ text: { additionalTransformations: [{ infoTypes: ['PERSON_NAME', name], redactConfig: {} }] } }, 'c.json'),
      { code: 'CONFIG_INVALID', message: /c\.json: text\.additionalTransformations\[0\]\.infoTypes\[1\]: is no infoType deid detects; use one of AGE, .*US_SOCIAL_SECURITY_NUMBER/ },
      name,
    );
  }
  t.throws(() => parseConfig({ text: { transformations: [{ infoTypes: ['PERSON'], replaceWithInfoTypeConfig: {} }] } }), /text\.transformations\[0\]\.infoTypes\[0\]: is no infoType deid detects/);
  t.same(parseConfig({ text: { excludeInfoTypes: ['GENDER'] } }).text.excludeInfoTypes, ['GENDER']);
  t.same(parseConfig({ text: { additionalTransformations: [{ infoTypes: ['CTX'], cryptoHashConfig: {} }] } }).text.transformations[0]!.infoTypes, ['CTX'], "CTX: the record's own values");
});

t.test('the infoTypes the config accepts are those the detectors report', async (t) => {
  const { INFO_TYPES } = await import('../../src/detectors/index.js');
  const { DETECTED_INFO_TYPES } = await import('../../src/detectors/info-type-names.js');
  t.same([...DETECTED_INFO_TYPES], [...INFO_TYPES]);
  parseConfig({ text: { additionalTransformations: [{ infoTypes: [...INFO_TYPES], redactConfig: {} }] } });
});

t.test('a masking character is one Unicode character: an emoji is, half of a surrogate pair is not', async (t) => {
  const mask = (maskingCharacter: string) => parseConfig({ text: { additionalTransformations: [{ characterMaskConfig: { maskingCharacter } }] } });
  t.same(mask('😀').text.transformations[0]!.action, { kind: 'characterMask', maskingCharacter: '😀' });
  // a lone surrogate cannot be written as UTF-8: plain-text output showed U+FFFD, NDJSON an escape no reader can decode
  for (const half of ['\ud83d', '\ude00']) t.throws(() => mask(half), { code: 'CONFIG_INVALID', message: /maskingCharacter: must be exactly one character/ });
  t.throws(() => parseConfig({ fhirFieldConfig: { options: { characterMaskConfig: { maskingCharacter: '\ud800' } } } }), /must be exactly one character/, 'FHIR options too');
});
