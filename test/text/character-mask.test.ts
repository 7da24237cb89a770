import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { env, only } from './transformations.js';

t.test('characterMaskConfig masks every character, keeping the length', async (t) => {
  t.equal(deidentifyText('SSN 791-10-5487.', only({ kind: 'characterMask', maskingCharacter: '#' }), env).text, 'SSN ###########.');
});

t.test('charactersToIgnore: literal characters and Google common classes', async (t) => {
  t.equal(deidentifyText('SSN 791-10-5487.', only({ kind: 'characterMask', maskingCharacter: '*', charactersToIgnore: ['-'] }), env).text, 'SSN ***-**-****.');
  t.equal(deidentifyText('SSN 791-10-5487.', only({ kind: 'characterMask', maskingCharacter: '*', charactersToIgnore: ['PUNCTUATION'] }), env).text, 'SSN ***-**-****.');
});

t.test('astral characters are masked as one character', async (t) => {
  const r = deidentifyText('ctx 😀x here', only({ kind: 'characterMask', maskingCharacter: '*' }), { ...env, context: [{ value: '😀x', infoType: 'CTX' }] });
  t.equal(r.text, 'ctx ** here');
});
