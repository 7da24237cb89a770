import t from 'tap';
import { wordLike } from '../../src/detectors/word-shape.js';

t.test('words in no list that read as misspelt, clinical or compound words', async (t) => {
  for (const w of ['famly', 'radiology', 'extubation', 'reintubate', 'bedpan', 'flowsheet', 'housestaff', 'midnoc', 'cvicu', 'hospitalist']) {
    t.ok(wordLike(w), w);
  }
});

t.test('made-up and foreign names read as no word', async (t) => {
  for (const w of ['ketudor', 'ogemasoz', 'zimubus', 'egozivo', 'defuku']) t.notOk(wordLike(w), w);
});

t.test('compounds can be left out: place names are often two words written as one', async (t) => {
  t.ok(wordLike('quartermain'));
  t.notOk(wordLike('quartermain', false));
});
