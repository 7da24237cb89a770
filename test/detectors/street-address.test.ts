import t from 'tap';
import { streetAddressDetector } from '../../src/detectors/street-address.js';
import { quotes } from './run-detector.js';

t.test('US street addresses with direction and unit', async (t) => {
  t.same(quotes(streetAddressDetector, 'lives at 123 N. Main Street Apt 4B, and 24 Clarke Avenue. PO Box 1234.'), ['123 N. Main Street Apt 4B', '24 Clarke Avenue', 'PO Box 1234']);
});

t.test('continental street names and bare unit designators (presidio-research shapes)', async (t) => {
  t.same(quotes(streetAddressDetector, 'at 6750 Koskikatu 25 Apt. 864 and Suite 464'), ['6750 Koskikatu 25 Apt. 864', 'Suite 464']);
});

t.test('doses and counts are not addresses', async (t) => {
  t.same(quotes(streetAddressDetector, 'gave 2 Tylenol tabs, 40 mg IV'), []);
});

t.test('streets named by a leading word, with a building number first (presidio-research shapes)', async (t) => {
  t.same(quotes(streetAddressDetector, 'at 3482 Via Franscini 71 Suite 838 and 5049 Harjukuja 54, near Rua do Ouro 5'), ['3482 Via Franscini 71 Suite 838', '5049 Harjukuja 54', 'Rua do Ouro 5']);
});
