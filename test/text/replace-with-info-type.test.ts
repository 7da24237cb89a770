import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { env, only } from './transformations.js';

t.test('replaceWithInfoTypeConfig writes [INFO_TYPE]; contextual findings become [CTX]', async (t) => {
  const r = deidentifyText('Brucer called 410-555-1234', only({ kind: 'replaceWithInfoType' }), {
    ...env,
    context: [{ value: 'Brucer', infoType: 'PERSON_NAME' }],
  });
  t.equal(r.text, '[CTX] called [PHONE_NUMBER]');
  t.same(r.counts, { CTX: 1, PHONE_NUMBER: 1 });
});

t.test('excludeInfoTypes EMAIL_ADDRESS keeps the whole address (no name inside it is replaced)', async (t) => {
  const cfg = { ...only({ kind: 'replaceWithInfoType' }), excludeInfoTypes: ['EMAIL_ADDRESS'] };
  const r = deidentifyText('Reply to john@example.com by 410-555-1234', cfg, env);
  t.equal(r.text, 'Reply to john@example.com by [PHONE_NUMBER]');
  t.same(r.counts, { PHONE_NUMBER: 1 });
});
