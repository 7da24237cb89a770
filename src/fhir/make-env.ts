import type { DeidConfig, FhirPlan } from '../config/model.js';
import { compileRules } from '../config/fhir-path-match.js';
import { DEFAULT_CONFIG } from '../config/default-config.js';
import { Keyed } from '../core/keyed.js';
import type { FhirEnv } from './env.js';
import { PatientContext } from './patient.js';

/** deid's default: Google's BASIC plus contextual de-identification. */
export const DEFAULT_FHIR_PLAN: FhirPlan = Object.freeze({ ...DEFAULT_CONFIG.fhir!, contextualDeid: true });

/** The config of a run given none: deid's default FHIR plan and Google's default text config. */
export function deidDefaultConfig(): DeidConfig {
  return { ...structuredClone(DEFAULT_CONFIG), fhir: { ...DEFAULT_FHIR_PLAN } };
}

export function makeFhirEnv(config: DeidConfig, key: Buffer, context = new PatientContext()): FhirEnv {
  const plan = config.fhir ?? DEFAULT_FHIR_PLAN;
  return {
    keyed: new Keyed(key),
    plan,
    rules: plan.rules.length ? compileRules(plan.rules, 'fhir.fieldMetadataList') : undefined,
    text: config.text,
    // an email or an SSN is found by its shape alone, in a product's or an organisation's name as in a note
    structuredText: { ...config.text, infoTypes: ['CTX', 'DATE', 'DATE_OF_BIRTH', 'EMAIL_ADDRESS', 'US_SOCIAL_SECURITY_NUMBER'] },
    contextText: { ...config.text, infoTypes: ['CTX'] },
    context,
    counts: new Map(),
  };
}
