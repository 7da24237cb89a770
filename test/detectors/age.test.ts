import t from 'tap';
import { ageDetector } from '../../src/detectors/age.js';
import { run } from './run-detector.js';

t.test('ages over 89 are VERY_LIKELY, younger ones UNLIKELY (HIPAA Safe Harbor)', async (t) => {
  const f = run(ageDetector, 'A 92 yo woman, her 58 year old son, aged 95, a 101-year-old');
  t.same(f.map((x) => [x.quote, x.likelihood]), [['92', 'VERY_LIKELY'], ['58', 'UNLIKELY'], ['95', 'VERY_LIKELY'], ['101', 'VERY_LIKELY']]);
});

t.test('a number without an age unit or context is no age', async (t) => {
  t.same(run(ageDetector, 'HR 98, 95 percent, 300 years old is impossible').map((x) => x.quote), []);
});
