import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/default-config.js';
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
