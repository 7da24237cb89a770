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
