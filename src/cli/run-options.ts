import type { DeidConfig } from '../config/model.js';
import { loadConfigFile } from '../config/load-config.js';
import { deidDefaultConfig } from '../fhir/make-env.js';

export { loadRunKey } from './run-key.js';

/** The config of a run: a file, or the BASIC default. Throws CONFIG_INVALID before any output. */
export function loadRunConfig(file: string | undefined): DeidConfig {
  // With no config, deid's own BASIC: Google's BASIC plus contextual de-identification.
  return file ? loadConfigFile(file) : deidDefaultConfig();
}
