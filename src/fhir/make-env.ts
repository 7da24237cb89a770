import type { DeidConfig, FhirPlan } from '../config/model.js';
import { compileRules } from '../config/fhir-path-match.js';
import { Keyed } from '../core/keyed.js';
import type { FhirEnv } from './env.js';
import { PatientContext } from './patient.js';

export const DEFAULT_FHIR_PLAN: FhirPlan = {
  profile: 'BASIC',
  rules: [],
  keepExtensions: false,
  pseudonymizeIds: true,
  maskingCharacter: '*',
  contextualDeid: true,
  dateShiftRangeDays: 100,
};

export function makeFhirEnv(config: DeidConfig, key: Buffer, context = new PatientContext()): FhirEnv {
  const plan = config.fhir ?? DEFAULT_FHIR_PLAN;
  return {
    keyed: new Keyed(key),
    plan,
    rules: plan.rules.length ? compileRules(plan.rules, 'fhir.fieldMetadataList') : undefined,
    text: config.text,
    structuredText: { ...config.text, infoTypes: ['CTX', 'DATE', 'DATE_OF_BIRTH'] },
    context,
    counts: new Map(),
  };
}
