import type { Detector } from './types.js';
import { ageDetector, spelledAgeDetector } from './age.js';
import { creditCardDetector } from './credit-card.js';
import { dateDetector } from './date.js';
import { cjkDateDetector } from './date-cjk.js';
import { deaDetector } from './dea.js';
import { emailDetector } from './email.js';
import { ibanDetector } from './iban.js';
import { driversLicenseDetector, mbiDetector, passportDetector } from './id-documents.js';
import { ipv4Detector, ipv6Detector, macDetector } from './ip-address.js';
import { licensePlateDetector } from './license-plate.js';
import { locationDetector } from './location.js';
import { mrnDetector } from './mrn.js';
import { npiDetector } from './npi.js';
import { organizationDetector } from './organization.js';
import { organizationContextDetector } from './organization-context.js';
import { companyNameDetector } from './company-names.js';
import { personNameDetector } from './person-name.js';
import { labelledNameDetector } from './labelled-name.js';
import { phoneDetector } from './phone.js';
import { ssnDetector } from './ssn.js';
import { streetAddressDetector } from './street-address.js';
import { urlDetector } from './url.js';
import { vinDetector } from './vin.js';
import { zipDetector } from './zip.js';

export type { Detector, ScanInput } from './types.js';
export { termListDetector, type TermListSpec } from './term-list.js';

/** Every built-in detector, in a fixed order (the order never affects results: see find-phi overlap rule). */
export const DETECTORS: readonly Detector[] = [
  emailDetector,
  urlDetector,
  ipv4Detector,
  ipv6Detector,
  macDetector,
  ssnDetector,
  creditCardDetector,
  ibanDetector,
  npiDetector,
  deaDetector,
  vinDetector,
  licensePlateDetector,
  mbiDetector,
  driversLicenseDetector,
  passportDetector,
  mrnDetector,
  phoneDetector,
  dateDetector,
  cjkDateDetector,
  ageDetector,
  spelledAgeDetector,
  zipDetector,
  streetAddressDetector,
  organizationDetector,
  organizationContextDetector,
  companyNameDetector,
  locationDetector,
  personNameDetector,
  labelledNameDetector,
];

/** infoType -> its more general parent (Google: FIRST_NAME and LAST_NAME are kinds of PERSON_NAME). */
export const INFO_TYPE_PARENT: Readonly<Record<string, string>> = {
  FIRST_NAME: 'PERSON_NAME',
  LAST_NAME: 'PERSON_NAME',
  DATE_OF_BIRTH: 'DATE',
  FAX: 'PHONE_NUMBER',
};

/** Every infoType the built-in detectors can report. */
export const INFO_TYPES: readonly string[] = [...new Set(DETECTORS.flatMap((d) => d.infoTypes))].sort();
