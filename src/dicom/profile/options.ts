import type { OptionColumn } from './table.js';

/**
 * The PS3.15 E.3 options. Each one is a column of Table E.1-1 (see
 * table.ts), named here as in the standard.
 */
export interface ProfileOptions {
  retainSafePrivate: boolean;
  retainUIDs: boolean;
  retainDeviceIdentity: boolean;
  retainInstitutionIdentity: boolean;
  retainPatientCharacteristics: boolean;
  retainLongFullDates: boolean;
  retainLongModifiedDates: boolean;
  cleanDescriptors: boolean;
  cleanStructuredContent: boolean;
  cleanGraphics: boolean;
}

export type OptionName = keyof ProfileOptions;

export const OPTION_COLUMN: Record<OptionName, OptionColumn> = {
  retainSafePrivate: 'rtnSafePrivOpt',
  retainUIDs: 'rtnUIDsOpt',
  retainDeviceIdentity: 'rtnDevIdOpt',
  retainInstitutionIdentity: 'rtnInstIdOpt',
  retainPatientCharacteristics: 'rtnPatCharsOpt',
  retainLongFullDates: 'rtnLongFullDatesOpt',
  retainLongModifiedDates: 'rtnLongModifDatesOpt',
  cleanDescriptors: 'cleanDescOpt',
  cleanStructuredContent: 'cleanStructContOpt',
  cleanGraphics: 'cleanGraphOpt',
};

export const OPTION_NAMES = Object.keys(OPTION_COLUMN) as OptionName[];

export const NO_OPTIONS: Readonly<ProfileOptions> = Object.freeze({
  retainSafePrivate: false,
  retainUIDs: false,
  retainDeviceIdentity: false,
  retainInstitutionIdentity: false,
  retainPatientCharacteristics: false,
  retainLongFullDates: false,
  retainLongModifiedDates: false,
  cleanDescriptors: false,
  cleanStructuredContent: false,
  cleanGraphics: false,
});

export interface CodedMethod {
  code: string;
  meaning: string;
}

/**
 * PS3.16 CID 7050 "De-identification Method" (coding scheme DCM), recorded in
 * De-identification Method Code Sequence (0012,0064).
 */
export const BASIC_PROFILE_CODE: CodedMethod = { code: '113100', meaning: 'Basic Application Confidentiality Profile' };
export const CLEAN_PIXEL_CODE: CodedMethod = { code: '113101', meaning: 'Clean Pixel Data Option' };
export const OPTION_CODE: Record<OptionName, CodedMethod> = {
  cleanGraphics: { code: '113103', meaning: 'Clean Graphics Option' },
  cleanStructuredContent: { code: '113104', meaning: 'Clean Structured Content Option' },
  cleanDescriptors: { code: '113105', meaning: 'Clean Descriptors Option' },
  retainLongFullDates: { code: '113106', meaning: 'Retain Longitudinal Temporal Information Full Dates Option' },
  retainLongModifiedDates: { code: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
  retainPatientCharacteristics: { code: '113108', meaning: 'Retain Patient Characteristics Option' },
  retainDeviceIdentity: { code: '113109', meaning: 'Retain Device Identity Option' },
  retainUIDs: { code: '113110', meaning: 'Retain UIDs Option' },
  retainSafePrivate: { code: '113111', meaning: 'Retain Safe Private Option' },
  retainInstitutionIdentity: { code: '113112', meaning: 'Retain Institution Identity Option' },
};

/**
 * Option names accepted from configs and the command line, in the forms
 * people write them: `retainUIDs`, `retain-uids`, `RETAIN_UIDS`.
 */
export function parseOptionName(s: string): OptionName | undefined {
  const norm = s.replace(/[-_\s]/g, '').toLowerCase();
  return OPTION_NAMES.find((n) => n.toLowerCase() === norm);
}
