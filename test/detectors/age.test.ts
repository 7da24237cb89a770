import t from 'tap';
import { ageDetector, spelledAgeDetector } from '../../src/detectors/age.js';
import { quotes, run } from './run-detector.js';

t.test('ages over 89 are VERY_LIKELY, younger ones UNLIKELY (HIPAA Safe Harbor)', async (t) => {
  const f = run(ageDetector, 'A 92 yo woman, her 58 year old son, aged 95, a 101-year-old');
  t.same(f.map((x) => [x.quote, x.likelihood]), [['92', 'VERY_LIKELY'], ['58', 'UNLIKELY'], ['95', 'VERY_LIKELY'], ['101', 'VERY_LIKELY']]);
});

t.test('a number without an age unit or context is no age', async (t) => {
  t.same(run(ageDetector, 'HR 98, 95 percent, 300 years old is impossible').map((x) => x.quote), []);
});

t.test('ages over 89 written in words, with a unit or after an age word; the words for such age groups', async (t) => {
  t.same(quotes(spelledAgeDetector, 'pt is ninety-two years old; Ninety year old male; aged one hundred and one; a nonagenarian; age ninety; hundred-year-old woman.'), [
    'ninety-two',
    'Ninety',
    'one hundred and one',
    'nonagenarian',
    'ninety',
    'hundred',
  ]);
  t.same(quotes(spelledAgeDetector, 'ninety minutes later; one hundred mg; hundred percent; sixty-two years old; ninety-nine times.'), [], 'no age, or one Safe Harbor keeps');
});
