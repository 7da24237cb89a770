/**
 * The infoTypes the built-in detectors report (INFO_TYPES of ./index.ts, which
 * a test compares with this list), without loading the detectors: the config
 * parser checks transformations against it.
 */
export const DETECTED_INFO_TYPES: readonly string[] = [
  'AGE',
  'CREDIT_CARD_NUMBER',
  'DATE',
  'DATE_OF_BIRTH',
  'EMAIL_ADDRESS',
  'FAX',
  'FIRST_NAME',
  'IBAN_CODE',
  'IP_ADDRESS',
  'LAST_NAME',
  'LOCATION',
  'MAC_ADDRESS',
  'MEDICAL_RECORD_NUMBER',
  'ORGANIZATION_NAME',
  'PASSPORT',
  'PERSON_NAME',
  'PHONE_NUMBER',
  'STREET_ADDRESS',
  'URL',
  'US_DEA_NUMBER',
  'US_DRIVERS_LICENSE_NUMBER',
  'US_HEALTHCARE_NPI',
  'US_MEDICARE_BENEFICIARY_ID_NUMBER',
  'US_SOCIAL_SECURITY_NUMBER',
  'VEHICLE_IDENTIFICATION_NUMBER',
];
