import t from 'tap';
import { companyNameDetector } from '../../src/detectors/company-names.js';
import { quotes } from './run-detector.js';

const q = (text: string) => quotes(companyNameDetector, text);

t.test('company names from the list, spelled as listed', async (t) => {
  t.same(q('Stefanie Schneider from Allianz; I used to work for Deloitte, now at LinkedIn.'), ['Allianz', 'Deloitte', 'LinkedIn']);
});

t.test('list entries that are words, names, places, demonyms or eras are left out', async (t) => {
  t.same(q('Apple juice, Target heart rate, Ford, Phoenix, a Norwegian nurse, born Showa 45, Analytics.'), []);
  t.same(q('ALLIANZ allianz EVERGY Linkedin'), [], 'other spellings are not taken');
  t.same(q(''), []);
});
