import t from 'tap';
import { spawnSync } from 'node:child_process';
import { LEX_CLINICAL, LEX_NAME, LEX_PLACE, lexFlags, prereadLexicon } from '../../src/detectors/dictionaries.js';
import { findPhi } from '../../src/text/find-phi.js';

// This file's process has not loaded the lexicon before this test: the read ahead is what lexicon() uses.
t.test('a lexicon read ahead is the one the detectors use', async (t) => {
  const first = prereadLexicon();
  t.equal(prereadLexicon(), first, 'one read, however often it is asked for');
  t.equal(await first, undefined);
  t.ok(lexFlags('baltimore') & LEX_PLACE);
  t.ok(lexFlags('margaret') & LEX_NAME);
  t.ok(lexFlags('foley') & LEX_CLINICAL, 'the lists kept in the source are added to the read table too');
  const found = findPhi('Seen by Dr. Margaret Whitfield in Baltimore on 03/04/2021.').map((f) => f.infoType);
  t.same(found, ['PERSON_NAME', 'LOCATION', 'DATE']);
  t.equal(await prereadLexicon(), undefined, 'once loaded, nothing more is read');
});

t.test('the same findings with and without the read ahead', async (t) => {
  const text = 'Pt Emily Whitfield (DOB 1/2/1960) called from 555-123-4567 about her stay at Mercy Hospital, Springfield.';
  const script = (preread: boolean) => `
    import { prereadLexicon } from './src/detectors/dictionaries.ts';
    import { findPhi } from './src/text/find-phi.ts';
    ${preread ? 'await prereadLexicon();' : ''}
    process.stdout.write(JSON.stringify(findPhi(${JSON.stringify(text)})));`;
  const run = (preread: boolean) => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(preread)], { cwd: new URL('../..', import.meta.url), encoding: 'utf8' });
  const [a, b] = [run(true), run(false)];
  t.equal(a.status, 0, a.stderr);
  t.equal(b.status, 0, b.stderr);
  t.ok(JSON.parse(a.stdout).length >= 4);
  t.equal(a.stdout, b.stdout);
});
