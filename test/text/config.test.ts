import t from 'tap';
import { DEFAULT_TEXT_CONFIG, normalizeTextConfig } from '../../src/text/config.js';

t.test('v1 transformations and additionalTransformations (Google field names)', async (t) => {
  const c = normalizeTextConfig({
    transformations: [{ infoTypes: ['PERSON_NAME'], replaceWithInfoTypeConfig: {} }],
    additionalTransformations: [{ infoTypes: ['DATE'], dateShiftConfig: { cryptoKey: 'ignored' } }, { characterMaskConfig: { maskingCharacter: '#' } }],
    excludeInfoTypes: ['AGE'],
  });
  t.same(c, {
    profile: 'EMPTY',
    transformations: [
      { infoTypes: ['DATE'], action: { kind: 'dateShift' } },
      { infoTypes: [], action: { kind: 'characterMask', maskingCharacter: '#' } },
      { infoTypes: ['PERSON_NAME'], action: { kind: 'replaceWithInfoType' } },
    ],
    excludeInfoTypes: ['AGE'],
  });
});

t.test('v1beta1 profileType', async (t) => {
  t.equal(normalizeTextConfig({ profileType: 'EMPTY' }).profile, 'EMPTY');
  t.equal(normalizeTextConfig({ profileType: 'BASIC', additionalTransformations: [{ redactConfig: {} }] }).profile, 'BASIC');
  t.same(normalizeTextConfig(undefined), DEFAULT_TEXT_CONFIG);
  t.same(normalizeTextConfig({}), DEFAULT_TEXT_CONFIG);
});

t.test('invalid configs are CONFIG_INVALID without echoing values', async (t) => {
  t.throws(() => normalizeTextConfig({ profileType: 'FULL' }), { code: 'CONFIG_INVALID' });
  t.throws(() => normalizeTextConfig({ transformations: [{ infoTypes: ['AGE'] }] }), { code: 'CONFIG_INVALID' });
  t.throws(() => normalizeTextConfig({ transformations: [{ redactConfig: {}, cryptoHashConfig: {} }] }), { code: 'CONFIG_INVALID' });
  try {
    normalizeTextConfig({ additionalTransformations: [{ infoTypes: ['PHI-VALUE-123'], characterMaskConfig: { maskingCharacter: 'PHI-VALUE' } }] });
    t.fail('should throw');
  } catch (e) {
    t.notMatch((e as Error).message, /PHI-VALUE/);
  }
  t.throws(() => normalizeTextConfig([1, 2]), { code: 'CONFIG_INVALID' });
});

t.test('DEFAULT_TEXT_CONFIG is BASIC and frozen', async (t) => {
  t.equal(DEFAULT_TEXT_CONFIG.profile, 'BASIC');
  t.ok(Object.isFrozen(DEFAULT_TEXT_CONFIG));
});
