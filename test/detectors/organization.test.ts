import t from 'tap';
import { organizationDetector } from '../../src/detectors/organization.js';
import { quotes } from './run-detector.js';

t.test('business suffixes and firm names', async (t) => {
  t.same(quotes(organizationDetector, 'works for Acme Widgets Inc. and Davis, Reynolds and Williamson; insured by Blue Cross Insurance'), [
    'Acme Widgets Inc.',
    'Davis, Reynolds and Williamson',
    'Blue Cross Insurance',
  ]);
});
