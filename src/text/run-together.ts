/**
 * A given and a family name written as one word, either way round, as in a
 * user name or a host (`quenbyzyxwood.example.org`), which no word-bounded
 * match of either name finds. Parts of fewer than three letters give none
 * (`Al` + `So` would be the word "also").
 */
export function runTogether(given: unknown, family: unknown): string[] {
  if (typeof given !== 'string' || typeof family !== 'string') return [];
  const g = given.replace(/[^\p{L}]+/gu, '');
  const f = family.replace(/[^\p{L}]+/gu, '');
  return g.length >= 3 && f.length >= 3 ? [g + f, f + g] : [];
}
