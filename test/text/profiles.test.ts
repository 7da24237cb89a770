import t from 'tap';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/config.js';
import { actionFor, deidentifyText } from '../../src/text/deidentify-text.js';
import { env } from './transformations.js';

const NOTE = 'Dr. Wall saw her 7/22/2019, call 410-555-1234.';

t.test('BASIC: dates shifted, everything else replaced by its infoType', async (t) => {
  t.equal(deidentifyText(NOTE, DEFAULT_TEXT_CONFIG, env).text, 'Dr. [PERSON_NAME] saw her 8/1/2019, call [PHONE_NUMBER].');
});

t.test('EMPTY without transformations: nothing changes', async (t) => {
  t.equal(deidentifyText(NOTE, { profile: 'EMPTY', transformations: [], excludeInfoTypes: [] }, env).text, NOTE);
});

t.test('named transformations win over the default, which wins over the profile', async (t) => {
  const cfg = {
    profile: 'BASIC' as const,
    transformations: [
      { infoTypes: ['PHONE_NUMBER'], action: { kind: 'redact' as const } },
      { infoTypes: [], action: { kind: 'characterMask' as const, maskingCharacter: 'x' } },
    ],
    excludeInfoTypes: [],
  };
  t.equal(deidentifyText(NOTE, cfg, env).text, 'Dr. xxxx saw her xxxxxxxxx, call .');
  t.same(actionFor(cfg, 'FAX'), { kind: 'redact' }, 'a transformation for PHONE_NUMBER covers its child FAX');
  t.same(actionFor({ ...cfg, transformations: [] }, 'DATE_OF_BIRTH'), { kind: 'dateShift' });
});

t.test('EMPTY with transformations: only what they name is transformed', async (t) => {
  const cfg = { profile: 'EMPTY' as const, transformations: [{ infoTypes: ['DATE'], action: { kind: 'redact' as const } }], excludeInfoTypes: [] };
  t.equal(deidentifyText(NOTE, cfg, env).text, 'Dr. Wall saw her , call 410-555-1234.');
});

t.test('excludeInfoTypes skips transforming those infoTypes', async (t) => {
  const cfg = { ...DEFAULT_TEXT_CONFIG, excludeInfoTypes: ['PERSON_NAME'] };
  t.equal(deidentifyText(NOTE, cfg, env).text, 'Dr. Wall saw her 8/1/2019, call [PHONE_NUMBER].');
});

t.test('empty, digit-free and huge texts', async (t) => {
  t.same(deidentifyText('', DEFAULT_TEXT_CONFIG, env), { text: '', counts: {} });
  t.equal(deidentifyText('no phi here at all', DEFAULT_TEXT_CONFIG, env).text, 'no phi here at all');
  const big = (NOTE + ' ').repeat(20000);
  const r = deidentifyText(big, DEFAULT_TEXT_CONFIG, env);
  t.equal(r.counts.PHONE_NUMBER, 20000);
  t.equal(r.text, (deidentifyText(NOTE, DEFAULT_TEXT_CONFIG, env).text + ' ').repeat(20000));
});
