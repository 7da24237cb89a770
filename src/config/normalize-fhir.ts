import type { FieldAction, FieldRule, FhirPlan, FhirProfile } from './model.js';
import { todayUtc } from '../core/age-over-89.js';
import type { DeidentifyConfigInput, FieldMetadataV1, FieldMetadataV1beta1 } from './schema.js';

/** Google's date shift range: ±100 days. */
export const DEFAULT_DATE_SHIFT_RANGE_DAYS = 100;
/** Google CharacterMaskConfig: "If not supplied, defaults to \"*\"". */
export const DEFAULT_MASKING_CHARACTER = '*';

/** deid's default FHIR plan: the v1beta1 BASIC profile with no rules. */
export function basicPlan(): FhirPlan {
  return {
    profile: 'BASIC',
    rules: [],
    keepExtensions: false,
    pseudonymizeIds: true,
    maskingCharacter: DEFAULT_MASKING_CHARACTER,
    contextualDeid: false,
    dateShiftRangeDays: DEFAULT_DATE_SHIFT_RANGE_DAYS,
    ageReferenceDate: todayUtc(),
  };
}

const V1_ACTIONS: Record<FieldMetadataV1['action'], FieldAction> = {
  TRANSFORM: { kind: 'transform' },
  INSPECT_AND_TRANSFORM: { kind: 'cleanText' },
  DO_NOT_TRANSFORM: { kind: 'keep' },
};

function v1beta1Action(m: FieldMetadataV1beta1): FieldAction {
  if (m.keepField) return { kind: 'keep' };
  if (m.removeField) return { kind: 'remove' };
  if (m.characterMaskField) return { kind: 'characterMask' };
  if (m.cryptoHashField) return { kind: 'cryptoHash' };
  if (m.dateShiftField) return { kind: 'dateShift' };
  return { kind: 'cleanText' }; // cleanTextField: the schema allows exactly one action
}

/**
 * The FHIR part of a validated DeidentifyConfig as a FhirPlan.
 * - v1 `fhir`: profile KEEP_ALL (Google: unmatched fields pass through
 *   unmodified), extensions kept only with defaultKeepExtensions.
 * - v1beta1 `fhirFieldConfig`: profileType (unspecified = BASIC), options.
 * - neither: the BASIC plan (Google de-identifies FHIR stores with its
 *   default config when none is given).
 */
export function normalizeFhir(c: DeidentifyConfigInput): FhirPlan {
  const plan = basicPlan();
  if (c.fhir) {
    plan.profile = 'KEEP_ALL';
    plan.rules = (c.fhir.fieldMetadataList ?? []).map(
      (m): FieldRule => ({ paths: [...m.paths], action: { ...V1_ACTIONS[m.action] } }),
    );
    plan.keepExtensions = c.fhir.defaultKeepExtensions ?? false;
  } else if (c.fhirFieldConfig) {
    const f = c.fhirFieldConfig;
    const profile = f.profileType;
    plan.profile = profile === undefined || profile === 'PROFILE_TYPE_UNSPECIFIED' ? 'BASIC' : (profile as FhirProfile);
    plan.rules = (f.fieldMetadataList ?? []).map((m): FieldRule => ({ paths: [...m.paths], action: v1beta1Action(m) }));
    plan.keepExtensions = f.options?.keepExtensions !== undefined;
    plan.contextualDeid = f.options?.contextualDeid !== undefined;
    plan.maskingCharacter = f.options?.characterMaskConfig?.maskingCharacter ?? DEFAULT_MASKING_CHARACTER;
  }
  if (c.deid?.keepIds !== undefined) plan.pseudonymizeIds = !c.deid.keepIds;
  if (c.deid?.dateShiftRangeDays !== undefined) plan.dateShiftRangeDays = c.deid.dateShiftRangeDays;
  if (c.deid?.ageReferenceDate !== undefined) plan.ageReferenceDate = c.deid.ageReferenceDate;
  return plan;
}
