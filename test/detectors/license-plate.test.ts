import t from 'tap';
import { licensePlateDetector } from '../../src/detectors/license-plate.js';
import { findPhi } from '../../src/text/find-phi.js';
import { quotes } from './run-detector.js';

t.test('a plate named as one, in the forms plates are written', async (t) => {
  t.same(quotes(licensePlateDetector, 'license plate 7ABC123, plate #: ABC-1234, Tag number XYZ 987, number plate AB12 CDE, licence plate is 4471823.'), [
    '7ABC123',
    'ABC-1234',
    'XYZ 987',
    'AB12 CDE',
    '4471823',
  ]);
});

t.test('prose and lab plates after the same words are not plates', async (t) => {
  t.same(quotes(licensePlateDetector, 'license plate was not seen. plate 2 of culture. tag removed. Plate no. 12 growth. plate number unknown. Plate #3 read.'), []);
});

t.test('found as a vehicle identifier and replaced like one', async (t) => {
  const text = 'Hit by car, license plate 7ABC123 reported to police.';
  const f = findPhi(text);
  t.same(f.map((x) => [text.slice(x.start, x.end), x.infoType]), [['7ABC123', 'VEHICLE_IDENTIFICATION_NUMBER']]);
});
