import type { TextDeidConfig } from '../text/types.js';

/**
 * The normalized de-identification config that every Google DeidentifyConfig
 * generation (v1 `fhir`, v1beta1 `fhirFieldConfig`, `dicom`, `dicomTagConfig`,
 * `text`) is turned into. The engines read only this model.
 */
export type FieldAction =
  /** Keep unchanged (v1 DO_NOT_TRANSFORM, v1beta1 keepField). */
  | { kind: 'keep' }
  /** Remove the field (v1beta1 removeField). */
  | { kind: 'remove' }
  /** Mask every character (v1beta1 characterMaskField). */
  | { kind: 'characterMask' }
  /** HMAC-SHA256, base64 (v1beta1 cryptoHashField). */
  | { kind: 'cryptoHash' }
  /** Shift by the patient's offset (v1beta1 dateShiftField). */
  | { kind: 'dateShift' }
  /** Run the text detectors over the value (v1 INSPECT_AND_TRANSFORM, v1beta1 cleanTextField). */
  | { kind: 'cleanText' }
  /** Transform the whole value with the text config's default transformation (v1 TRANSFORM). */
  | { kind: 'transform' };

export interface FieldRule {
  /** Google path expressions (see src/config/fhir-path-match.ts). */
  paths: string[];
  action: FieldAction;
}

export type FhirProfile = 'BASIC' | 'KEEP_ALL' | 'CLEAN_ALL';

export interface FhirPlan {
  /** What happens to a field no rule matches. v1 configs are KEEP_ALL (unmatched fields pass through). */
  profile: FhirProfile;
  /** First matching rule wins. */
  rules: FieldRule[];
  keepExtensions: boolean;
  /** Pseudonymise resource ids and references (beyond Google, on by default). */
  pseudonymizeIds: boolean;
  maskingCharacter: string;
  /** Contextual de-identification of free text with the patient's structured values. */
  contextualDeid: boolean;
  /** ±days of the date shift. */
  dateShiftRangeDays: number;
  /** YYYY-MM-DD: the day on which a birth date tells an age over 89 (src/core/age-over-89.ts). */
  ageReferenceDate: string;
}

export interface DeidConfig {
  fhir?: FhirPlan;
  /** The DICOM part, normalized by src/dicom (kept opaque here). */
  dicom?: unknown;
  text: TextDeidConfig;
  /** sha256 of the canonical JSON of the config as given (for reports). */
  digest: string;
}
