import t from 'tap';
import { DETECTORS } from '../../src/detectors/index.js';
import { findPhi } from '../../src/text/find-phi.js';
import { run } from './run-detector.js';

/**
 * Inputs built to make a backtracking regex explode: long runs of what a
 * pattern's repeated part accepts, followed by what makes the match fail.
 * Every detector must finish on each (a super-linear pattern would not end
 * before the test timeout) and give the same findings twice.
 */
const MB = 1 << 20;
const ADVERSARIAL: Record<string, string> = {
  digits: '1'.repeat(MB),
  digitGroups: '12 '.repeat(MB / 3),
  dashedDigits: '1-'.repeat(MB / 2),
  hexColons: 'ab:'.repeat(MB / 3),
  dots: 'a.'.repeat(MB / 2),
  emailish: 'a'.repeat(MB - 1) + '@',
  atRuns: 'a@'.repeat(MB / 2),
  capitalWords: 'Aaaa '.repeat(MB / 5),
  streetish: '1 Main '.repeat(MB / 7),
  slashes: '1/'.repeat(MB / 2),
  monthRuns: 'Jan '.repeat(MB / 4),
  letters: 'x'.repeat(MB),
  urlish: 'http://' + 'a'.repeat(MB),
  spaces: ' '.repeat(MB),
  // a context word, then a long gap before what it announces never comes (a pattern with adjacent \s* tried every split)
  cueThenSpaces: 'license plate no' + ' '.repeat(MB / 2) + 'is' + ' '.repeat(MB / 2) + '!',
  cuesThenTabs: 'MRN Serial No aged ninety tag #'.concat('\t'.repeat(MB)),
};

for (const [name, text] of Object.entries(ADVERSARIAL)) {
  t.test(`1 MB adversarial input: ${name}`, async (t) => {
    t.equal(text.length >= MB - 8, true);
    for (const d of DETECTORS) {
      const a = run(d, text);
      t.ok(Array.isArray(a), d.name);
    }
    const f1 = findPhi(text);
    const f2 = findPhi(text);
    t.same(f1, f2, 'deterministic');
    t.ok(f1.every((f, i) => i === 0 || f.start >= f1[i - 1]!.end), 'no overlaps');
  });
}

t.test('empty, one-character and lone-surrogate strings', async (t) => {
  for (const s of ['', 'a', '1', '\ud800', '\u0000\u0000', '\ufeff']) t.same(findPhi(s), []);
});
