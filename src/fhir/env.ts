import type { FhirPlan } from '../config/model.js';
import type { Keyed } from '../core/keyed.js';
import type { RuleMatcher } from '../config/fhir-path-match.js';
import type { TextDeidConfig } from '../text/types.js';
import type { PatientContext } from './patient.js';

/** Everything the resource engine needs for a run; shared by all records. */
export interface FhirEnv {
  keyed: Keyed;
  plan: FhirPlan;
  rules: RuleMatcher | undefined;
  text: TextDeidConfig;
  /** `text` restricted to contextual values, dates, emails and SSNs: for strings that are not free text. */
  structuredText: TextDeidConfig;
  /** `text` restricted to contextual values: for terminology displays. */
  contextText: TextDeidConfig;
  context: PatientContext;
  /** `Patient.name.family` → action (`removed`) → count. */
  counts: Map<string, Map<string, number>>;
}
