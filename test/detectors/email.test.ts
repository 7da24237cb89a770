import t from 'tap';
import { emailDetector } from '../../src/detectors/email.js';
import { quotes } from './run-detector.js';

t.test('addresses are found whole', async (t) => {
  t.same(quotes(emailDetector, 'mail JerzyAdamczyk@superrito.com, or j.doe+x@mail.example.co.uk.'), ['JerzyAdamczyk@superrito.com', 'j.doe+x@mail.example.co.uk']);
});

t.test('no TLD, no local part: nothing', async (t) => {
  t.same(quotes(emailDetector, 'a@b, @example.com, user@localhost'), []);
});
