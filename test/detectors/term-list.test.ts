import t from 'tap';
import { readFileSync } from 'node:fs';
import { termListDetector } from '../../src/detectors/term-list.js';
import { quotes } from './run-detector.js';

const lists = new URL('../../../shared/data/text-phi/physionet-deid/lists/', import.meta.url);

t.test('a site hospital list (deid 1.1 stripped_hospitals) matches whole words, any case, longest first', async (t) => {
  const terms = readFileSync(new URL('stripped_hospitals.txt', lists), 'utf8').split('\n').filter(Boolean);
  const d = termListDetector({ name: 'hospitals', infoType: 'LOCATION', terms });
  t.same(quotes(d, 'Admitted to GH from Anne Arundel Medical Center; gh ER; GHOST'), ['GH', 'Anne Arundel Medical Center', 'gh']);
});

t.test('capitalizedOnly skips lower-case occurrences', async (t) => {
  const d = termListDetector({ name: 'x', infoType: 'LOCATION', terms: ['Quartermain'], capitalizedOnly: true });
  t.same(quotes(d, 'QUARTERMAIN 2, Quartermain 3, quartermain'), ['QUARTERMAIN', 'Quartermain']);
});

t.test('misspelt: a capitalised unlisted word one letter away from a listed word', async (t) => {
  const d = termListDetector({ name: 'site', infoType: 'LOCATION', terms: ['Baltimore', 'Quartermain', 'Catonsville', 'Sacred Heart Hospital', 'Bowie'], misspelt: true });
  t.same(quotes(d, 'from Baltimroe, to Quartermian 2, lives in Catonsvile, at Sacrred Heart Hospital, Qartermain'), ['Baltimroe', 'Quartermian', 'Catonsvile', 'Sacrred Heart Hospital', 'Qartermain']);
  t.same(quotes(d, 'baltimroe in lower case; Paltimore; Bowi; Bowiee; Sacrred Heart alone; Baltimorean'), []);
  t.same(quotes(termListDetector({ name: 'site', infoType: 'LOCATION', terms: ['Baltimore'] }), 'from Baltimroe'), [], 'off by default');
});
