import t from 'tap';
import { Keyed } from '../../src/core/keyed.js';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { only } from './transformations.js';

t.test('cryptoHashConfig uses the keyed HMAC of the finding text', async (t) => {
  const k = new Keyed(Buffer.alloc(32, 7));
  const env = { cryptoHash: (v: string) => k.cryptoHash(v) };
  const r = deidentifyText('MRN: 12345678', only({ kind: 'cryptoHash' }), env);
  t.equal(r.text, `MRN: ${k.cryptoHash('12345678')}`);
  t.equal(deidentifyText('MRN: 12345678', only({ kind: 'cryptoHash' }), env).text, r.text, 'deterministic');
  const other = new Keyed(Buffer.alloc(32, 8));
  t.not(deidentifyText('MRN: 12345678', only({ kind: 'cryptoHash' }), { cryptoHash: (v) => other.cryptoHash(v) }).text, r.text, 'key-dependent');
});
