import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { parseConfig } from '../../src/config/load-config.js';
import { env, only } from './transformations.js';

const context = [
  { value: 'John Zyxwell', infoType: 'PERSON_NAME' },
  { value: 'John', infoType: 'PERSON_NAME' },
  { value: '410-555-1234', infoType: 'PHONE_NUMBER' },
];
const text = 'Dr. John Zyxwell called 410-555-1234 about John Smith.';

t.test('context values are replaced even when no transformation names CTX (a config that names infoTypes)', async (t) => {
  const cfg = parseConfig({ text: { additionalTransformations: [{ infoTypes: ['PERSON_NAME', 'PHONE_NUMBER'], replaceWithInfoTypeConfig: {} }] } }).text;
  const without = deidentifyText(text, cfg, env).text;
  t.notMatch(without, /John|Zyxwell|410/, 'without context the config removes the name and the phone');
  // a context value wins the overlap with the detectors' findings; left alone for want of a CTX
  // transformation, it kept the very values it names (and "John Smith" around the context value "John")
  const withContext = deidentifyText(text, cfg, { ...env, context }).text;
  t.notMatch(withContext, /John|Zyxwell|Smith|410/, 'with context it removes no less');
  t.equal(withContext, 'Dr. [CTX] called [CTX] about [CTX].');
});

t.test('a transformation naming CTX, or the default one, still decides for context values', async (t) => {
  t.equal(deidentifyText('Brucer called', only({ kind: 'redact' }, ['CTX']), { ...env, context: [{ value: 'Brucer', infoType: 'X' }] }).text, ' called');
  t.equal(deidentifyText('Brucer called', only({ kind: 'characterMask', maskingCharacter: '#' }), { ...env, context: [{ value: 'Brucer', infoType: 'X' }] }).text, '###### called');
});

t.test('an EMPTY config with no transformation: context values are replaced by [CTX], nothing else changes', async (t) => {
  // Google: contextual phrases in cleaned fields "are replaced with the token [CTX]" (ContextualDeidConfig)
  const empty = { profile: 'EMPTY' as const, transformations: [], excludeInfoTypes: [] };
  const note = 'Brucer called 410-555-1234 on 2019-03-04 about Brucerville';
  t.equal(deidentifyText(note, empty, { ...env, context: [{ value: 'Brucer', infoType: 'X' }] }).text, '[CTX] called 410-555-1234 on 2019-03-04 about Brucerville');
  t.same(deidentifyText(note, empty, { ...env, context: [{ value: 'Brucer', infoType: 'X' }] }).counts, { CTX: 1 });
  t.equal(deidentifyText(note, empty, env).text, note, 'without context values it changes nothing');
  t.equal(deidentifyText(note, { ...empty, excludeInfoTypes: ['CTX'] }, { ...env, context: [{ value: 'Brucer', infoType: 'X' }] }).text, note, 'CTX excluded: nothing');
  const fromGoogle = parseConfig({ text: { profileType: 'EMPTY' } }).text;
  t.equal(deidentifyText(note, fromGoogle, { ...env, context: [{ value: '410-555-1234', infoType: 'PHONE_NUMBER' }] }).text, 'Brucer called [CTX] on 2019-03-04 about Brucerville');
});
