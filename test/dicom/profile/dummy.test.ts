// The dummies of PS3.15 action D match the syntax of their VR (PS3.5 6.2).
import t from 'tap';
import { dummyValue } from '../../../src/dicom/profile/dummy.js';

t.test('the PN dummy carries a component delimiter (PS3.5 6.2.1.1)', async (t) => {
  const pn = dummyValue('PN');
  t.type(pn, 'string');
  t.match(pn as string, /^[A-Z]+\^$/, 'family name component, then "^"');
  t.ok((pn as string).length <= 64, 'within the 64-character component limit');
});
