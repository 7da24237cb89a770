import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { env, only } from './transformations.js';

t.test('redactConfig removes the finding text', async (t) => {
  const r = deidentifyText('Call 410-555-1234 now', only({ kind: 'redact' }), env);
  t.equal(r.text, 'Call  now');
  t.same(r.counts, { PHONE_NUMBER: 1 });
});
