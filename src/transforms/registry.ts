import type { Transform } from 'node:stream';
import type { FhirEnv } from '../fhir/env.js';
import { fhirDeidentify } from './fhir-deidentify.js';

/**
 * Stages by name. A stage's name in a YAML pipeline is its file name in
 * src/transforms and its key here.
 */
export interface StageContext {
  fhir: FhirEnv;
}

export const STAGES: Record<string, (ctx: StageContext) => Transform> = {
  'fhir-deidentify': (ctx) => fhirDeidentify(ctx.fhir),
};

export function isStage(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(STAGES, name);
}
