import t from 'tap';
import { zipDetector } from '../../src/detectors/zip.js';
import { run, quotes } from './run-detector.js';

t.test('ZIP after a state, a ZIP word or a place', async (t) => {
  t.same(quotes(zipDetector, 'Baltimore, MD 21201; zip code 02115-1234; Springfield, 62701'), ['21201', '02115-1234', '62701']);
  t.equal(run(zipDetector, 'zip: 02115')[0]!.infoType, 'LOCATION');
});

t.test('five-digit lab values are not ZIPs', async (t) => {
  t.same(quotes(zipDetector, 'platelets 15000, WBC 12345, 21201 cells'), []);
});

t.test('other countries\u2019 postal codes only after a ZIP word', async (t) => {
  t.same(quotes(zipDetector, 'ZIP: 3520; my zip code is 35350; postcode 1234-567; room 3520'), ['3520', '35350', '1234-567']);
});
