import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Finding } from '../text/types.js';
import { CLINICAL_WORDS, LEX_COMMON, LEX_NAME, LEX_PLACE, LEX_RARE, LEX_STOP, fold, lexFlags } from './dictionaries.js';
import { CAP, UPPER, tokensOf } from './tokens.js';
import type { Detector, ScanInput } from './types.js';

let companies: Map<string, string> | undefined;

/** Entries of the list that are places, eras, languages or generic words rather than one company. */
const NOT_A_COMPANY = new Set(
  ('hebrew korea zealand deutschland queensland hokkaido henan shandong shanxi zhejiang jiangsu kansai kyushu nagoya ' +
    'showa meiji aluminum analytics analog logistics specialty photonics holdings gmbh telecom lifesciences generale ' +
    'normale societe ecole suisse mondiale italiane deutsche energie electricite environnement superieure lutherans ' +
    'wikipedia ethereum minecraft xbox penh otago darussalam gadjah ticino tubingen steelers bancorp bancshares').split(' '),
);

/**
 * Company names from @cspell/dict-companies (MIT; ~2,300 names as they are
 * written), keeping only those no other reading competes with: one word of
 * 4+ letters that is not an English word (Apple, Target), a person's name
 * (Ford), a place (Phoenix), a clinical word, a demonym (Norwegian), a
 * region or generic word (NOT_A_COMPANY), or a ticker symbol in capitals.
 * Folded name -> the spelling the list gives.
 */
function companyNames(): Map<string, string> {
  if (companies) return companies;
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('@cspell/dict-companies/cspell-ext.json')), 'dict', 'companies.txt');
  const m = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const w = line.trim();
    if (w.length < 4 || w.startsWith('#') || !/^\p{Lu}[\p{L}]+$/u.test(w) || w === w.toUpperCase()) continue;
    const k = fold(w);
    if (lexFlags(k) & (LEX_COMMON | LEX_NAME | LEX_PLACE | LEX_RARE | LEX_STOP) || CLINICAL_WORDS.has(k) || NOT_A_COMPANY.has(k)) continue;
    // Demonyms (Norwegian, Hungarian) name peoples, not the company that shares the word.
    if (k.endsWith('ian')) continue;
    m.set(k, w);
  }
  return (companies = m);
}

/** ORGANIZATION_NAME: a word of the company list (see companyNames), written as the list writes it. */
export const companyNameDetector: Detector = {
  name: 'company-names',
  infoTypes: ['ORGANIZATION_NAME'],
  needsDigits: false,
  detect(input: ScanInput, out: Finding[]): void {
    const t = tokensOf(input);
    const names = companyNames();
    for (let i = 0; i < t.count; i++) {
      const fl = t.flags[i]!;
      if (!(fl & CAP) || fl & UPPER || t.key[i]!.length < 4) continue;
      // Spelled as the list spells it: "Evergy", not a misspelt "EVERGY" in a note written in capitals.
      const listed = names.get(t.key[i]!);
      if (listed !== undefined && listed === input.text.slice(t.start[i]!, t.end[i]!)) out.push({ start: t.start[i]!, end: t.end[i]!, infoType: 'ORGANIZATION_NAME', likelihood: 'LIKELY' });
    }
  },
};
