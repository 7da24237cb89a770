import t from 'tap';
import { creditCardDetector } from '../../src/detectors/credit-card.js';
import { deaDetector } from '../../src/detectors/dea.js';
import { ibanDetector } from '../../src/detectors/iban.js';
import { driversLicenseDetector, mbiDetector, passportDetector } from '../../src/detectors/id-documents.js';
import { npiDetector } from '../../src/detectors/npi.js';
import { vinDetector } from '../../src/detectors/vin.js';
import { run, quotes } from './run-detector.js';

t.test('credit cards: Luhn and issuer prefix, grouped or not', async (t) => {
  t.same(quotes(creditCardDetector, 'card 4111 1111 1111 1111 and 5500000000000004; not 4111111111111112'), ['4111 1111 1111 1111', '5500000000000004']);
  t.equal(run(creditCardDetector, 'visa 4111111111111111')[0]!.likelihood, 'VERY_LIKELY');
});

t.test('NPI: check digit; context raises likelihood', async (t) => {
  t.same(run(npiDetector, 'NPI 1234567893, other 1234567890').map((f) => [f.quote, f.likelihood]), [['1234567893', 'VERY_LIKELY']]);
  t.equal(run(npiDetector, 'ref 1234567893')[0]!.likelihood, 'POSSIBLE');
});

t.test('DEA numbers with checksum', async (t) => {
  t.same(quotes(deaDetector, 'DEA# AB1234563; bad AB1234564'), ['AB1234563']);
});

t.test('IBAN compact, grouped and lower case', async (t) => {
  t.same(quotes(ibanDetector, 'IBAN GB82WEST12345698765432 or DE89 3704 0044 0532 0130 00 or gb82west12345698765432; bad GB82WEST12345698765433'), [
    'GB82WEST12345698765432',
    'DE89 3704 0044 0532 0130 00',
    'gb82west12345698765432',
  ]);
});

t.test('VIN: check digit, or any 17-character VIN after "VIN"', async (t) => {
  t.same(quotes(vinDetector, 'car 1M8GDM9AXKP042788, VIN: 2HGFG12688H500001, other 2HGFG12688H500001'), ['1M8GDM9AXKP042788', '2HGFG12688H500001']);
});

t.test('driver licence and passport need their context word', async (t) => {
  t.same(quotes(driversLicenseDetector, "driver's license F162823540116, order 5130634"), ['F162823540116']);
  t.same(quotes(passportDetector, 'passport no. X12345678, lot 123456789'), ['X12345678']);
});

t.test('Medicare MBI format (CMS): position rules', async (t) => {
  t.same(quotes(mbiDetector, 'MBI 1EG4-TE5-MK73 and 1EG4TE5MK73; not 1SG4TE5MK73'), ['1EG4-TE5-MK73', '1EG4TE5MK73']);
});
