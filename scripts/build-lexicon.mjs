// Compiles the package word lists the detectors look words up in into
// dist/lexicon.bin (see src/detectors/dictionaries.ts). Run by `npm run build`
// after tsc.
import { renameSync, writeFileSync } from 'node:fs';
import { LEXICON_FILE, buildLexiconFile } from '../dist/detectors/dictionaries.js';

const tmp = `${LEXICON_FILE}.${process.pid}.tmp`;
writeFileSync(tmp, buildLexiconFile());
renameSync(tmp, LEXICON_FILE);
