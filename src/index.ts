/**
 * deid's library API. Every stage is also usable on its own; see
 * ARCHITECTURE.md for the record protocol they speak.
 */
export { fhirDeidentifier, FhirDeidentifier, type FhirDeidentifierOptions } from './pipeline/fhir-deidentifier.js';
export { deidentifyResource } from './fhir/deidentify-resource.js';
export { makeFhirEnv, DEFAULT_FHIR_PLAN } from './fhir/make-env.js';
export { parseConfig, loadConfigFile, DEFAULT_CONFIG } from './config/load-config.js';
export { deidentifyText } from './text/deidentify-text.js';
export { findPhi } from './text/find-phi.js';
export { Keyed } from './core/keyed.js';
export { DeidError, ErrorCodes, ExitCode } from './core/errors.js';
export type { Item, Ok, Failed, Location } from './core/record.js';
export type { DeidConfig, FhirPlan, FieldRule, FieldAction } from './config/model.js';
export type { Finding, TextDeidConfig, ContextValue } from './text/types.js';
export { runFhir } from './pipeline/run-fhir.js';
