/**
 * The free-text PHI detection contract, shared by `deid text`, `deid fhir` and
 * `deid dicom`. Offsets are JavaScript string indices, end exclusive.
 */
export type Likelihood = 'VERY_UNLIKELY' | 'UNLIKELY' | 'POSSIBLE' | 'LIKELY' | 'VERY_LIKELY';

export interface Finding {
  start: number;
  end: number;
  /** Google Sensitive Data Protection infoType name, or 'CTX' for contextual values. */
  infoType: string;
  likelihood: Likelihood;
}

/** A value known to be PHI for this record's patient (contextual de-identification). */
export interface ContextValue {
  value: string;
  /** The infoType it was removed as (PERSON_NAME, PHONE_NUMBER, STREET_ADDRESS, MEDICAL_RECORD_NUMBER…), or BIRTH_DATE_CONTEXT. */
  infoType: string;
}

/**
 * The kind of a context value that is the patient's birth date (FHIR `YYYY[-MM[-DD]]`). It is
 * not matched as written (a date in text is a date, shifted): it tells which dates in the text
 * are the patient's date of birth, whatever their form.
 */
export const BIRTH_DATE_CONTEXT = 'BIRTH_DATE';

export type TextAction =
  | { kind: 'redact' }
  | { kind: 'replaceWithInfoType' }
  | { kind: 'characterMask'; maskingCharacter: string; charactersToIgnore?: string[] }
  | { kind: 'cryptoHash' }
  | { kind: 'dateShift' };

export interface InfoTypeTransformation {
  /** Empty = every infoType not named by another transformation (the default). */
  infoTypes: string[];
  action: TextAction;
}

/** Normalized Google TextConfig (v1 `transformations`/`additionalTransformations`, v1beta1 profile). */
export interface TextDeidConfig {
  /** BASIC: dates shifted, everything else replaced by its infoType. EMPTY: nothing detected. */
  profile: 'BASIC' | 'EMPTY';
  transformations: InfoTypeTransformation[];
  excludeInfoTypes: string[];
  /** Restrict detection to these infoTypes (undefined = all). */
  infoTypes?: string[];
}

/** What a text transformation needs from the caller. */
export interface TextEnv {
  cryptoHash(value: string): string;
  /** Days to shift dates by for this record's patient; undefined = no patient, dates are redacted. */
  dateShiftDays?: number;
  /** YYYY-MM-DD: a date of birth 90 or more years before it becomes [DATE_OF_BIRTH] instead of shifted. */
  ageReferenceDate?: string;
  context?: ContextValue[];
}

export interface TextResult {
  text: string;
  /** Count of replaced spans per infoType. */
  counts: Record<string, number>;
}
