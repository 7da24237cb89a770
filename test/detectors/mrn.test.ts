import t from 'tap';
import { mrnDetector } from '../../src/detectors/mrn.js';
import { quotes } from './run-detector.js';

t.test('identifiers after MRN context words; the word itself stays', async (t) => {
  t.same(quotes(mrnDetector, 'MRN: 12345678. Medical record number 00-123-456; MR# A1234567; Unit No: 998877'), ['12345678', '00-123-456', 'A1234567', '998877']);
});

t.test('numbers without context are not MRNs', async (t) => {
  t.same(quotes(mrnDetector, 'sodium 12345678, record 12'), []);
});
