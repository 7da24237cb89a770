/**
 * A given and a family name written as one word, either way round, as in a
 * user name or a host (`quenbyzyxwood.example.org`), which no word-bounded
 * match of either name finds. Parts of fewer than three letters give none
 * (`Al` + `So` would be the word "also").
 */
export function runTogether(given: unknown, family: unknown): string[] {
  if (typeof given !== 'string' || typeof family !== 'string') return [];
  const g = lettersOf(given);
  const f = lettersOf(family);
  return g.length >= 3 && f.length >= 3 ? [g + f, f + g] : [];
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The letters of `s`. An ASCII name (most) does without \p{L}: compiling that
 * class costs ~10 ms of a process's start (ICU builds the set of all letters),
 * which `deid dicom` would pay for one instance.
 */
function lettersOf(s: string): string {
  return NON_ASCII.test(s) ? s.replace(/[^\p{L}]+/gu, '') : s.replace(/[^A-Za-z]+/g, '');
}
