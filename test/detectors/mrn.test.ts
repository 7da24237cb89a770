import t from 'tap';
import { mrnDetector } from '../../src/detectors/mrn.js';
import { quotes } from './run-detector.js';

t.test('identifiers after MRN context words; the word itself stays', async (t) => {
  t.same(quotes(mrnDetector, 'MRN: 12345678. Medical record number 00-123-456; MR# A1234567; Unit No: 998877'), ['12345678', '00-123-456', 'A1234567', '998877']);
});

t.test('numbers without context are not MRNs', async (t) => {
  t.same(quotes(mrnDetector, 'sodium 12345678, record 12'), []);
});

t.test('the other record numbers Safe Harbor lists, after their own words', async (t) => {
  t.same(
    quotes(mrnDetector, 'Pacemaker serial no. PJN123456R. Device SN: 4455AB12. Member ID: XQH123456789. Policy number 77812345. Account 5567123. S/N 99812AB. UDI 00844588003288. Subscriber # 1EG4TE5. Certificate No. 2020-44512.'),
    ['PJN123456R', '4455AB12', 'XQH123456789', '77812345', '5567123', '99812AB', '00844588003288', '1EG4TE5', '2020-44512'],
  );
  t.same(quotes(mrnDetector, 'serial 3 troponins. serial exams q4h. Plan # 2. SN 12 visits. Medicare A and B. account for 3 days. Device removed 2/3.'), []);
});
