import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/default-config.js';
import { findPhi } from '../../src/text/find-phi.js';
import { BIRTH_DATE_CONTEXT } from '../../src/text/types.js';
import { env, only } from './transformations.js';

// Safe Harbor (C): a date of birth telling an age over 89 is not shifted (its year would stay)
// but becomes the infoType; other dates, and dates of birth of younger people, are shifted.
const shift = only({ kind: 'dateShift' });
const onDay = { ...env, ageReferenceDate: '2026-12-07' };

t.test('a date of birth 90 or more years before the reference day becomes [DATE_OF_BIRTH]', async (t) => {
  t.equal(deidentifyText('DOB: 03/24/1923. Seen today.', shift, onDay).text, 'DOB: [DATE_OF_BIRTH]. Seen today.');
  t.equal(deidentifyText('born on December 7, 1936', shift, onDay).text, 'born on [DATE_OF_BIRTH]', '90 on the day');
  t.equal(deidentifyText('born on December 8, 1936', shift, onDay).text, 'born on December 18, 1936', '89 until tomorrow: shifted');
  t.equal(deidentifyText('DOB 4/2/1950', shift, onDay).text, 'DOB 4/12/1950');
});

t.test('a two-digit year of birth counts in the 1900s too (fail closed)', async (t) => {
  t.equal(deidentifyText('DOB 3/4/25', shift, onDay).text, 'DOB [DATE_OF_BIRTH]', '1925 or 2025');
  t.equal(deidentifyText('DOB 3/4/45', shift, onDay).text, 'DOB 3/14/45', '1945: 81');
});

t.test('other dates of the same years are dates, shifted', async (t) => {
  t.equal(deidentifyText('Admitted 03/24/1923 per archive.', shift, onDay).text, 'Admitted 04/03/1923 per archive.');
});

t.test('a date of birth with no year tells no age; no reference day, no category', async (t) => {
  t.equal(deidentifyText('DOB 3/24', shift, onDay).text, 'DOB 4/3');
  t.equal(deidentifyText('DOB: 03/24/1923.', shift, env).text, 'DOB: 04/03/1923.', 'library callers that give no reference day');
});

t.test('the BASIC text profile does the same', async (t) => {
  t.equal(deidentifyText('Patient DOB 03/24/1923.', DEFAULT_TEXT_CONFIG, onDay).text, 'Patient DOB [DATE_OF_BIRTH].');
});

t.test("a date on the patient's own birth date is a date of birth, whatever words are around it", async (t) => {
  const old = { ...onDay, context: [{ value: '1923-03-24', infoType: BIRTH_DATE_CONTEXT }] };
  t.equal(deidentifyText('Chart of pt (03/24/1923).', shift, old).text, 'Chart of pt ([DATE_OF_BIRTH]).');
  t.equal(deidentifyText('Chart of pt (March 24, 1923).', shift, old).text, 'Chart of pt ([DATE_OF_BIRTH]).');
  t.equal(deidentifyText('Chart of pt (3/24/23).', shift, old).text, 'Chart of pt ([DATE_OF_BIRTH]).', 'a two-digit year in the birth date\u2019s century');
  t.equal(deidentifyText('Seen 03/25/1923.', shift, old).text, 'Seen 04/04/1923.', 'another day is a date');
  t.equal(deidentifyText('Seen 3/24 again.', shift, old).text, 'Seen 4/3 again.', 'no year, no age');
  const young = { ...onDay, context: [{ value: '1953-03-24', infoType: BIRTH_DATE_CONTEXT }] };
  t.equal(deidentifyText('Chart of pt (03/24/1953).', shift, young).text, 'Chart of pt (04/03/1953).', 'a younger patient\u2019s birth date is shifted');
});

t.test('a birth date given as context is no CTX value: it is not matched as written', async (t) => {
  const found = findPhi('Chart 1923-03-24 ok', { context: [{ value: '1923-03-24', infoType: BIRTH_DATE_CONTEXT }] });
  t.notOk(found.some((f) => f.infoType === 'CTX'));
  t.ok(found.some((f) => f.infoType === 'DATE'), 'the date detector finds it');
});
