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

t.test('a sentence ending before "Inc" (increased) is no company', async (t) => {
  t.same(quotes(organizationDetector, 'Lungs clear, BS. Inc O2 need overnight.'), []);
  t.same(quotes(organizationDetector, 'Seen at Acme Widgets Inc. today.'), ['Acme Widgets Inc.']);
});
