import type { DeidConfig } from '../config/model.js';
import { deidDefaultConfig } from '../fhir/make-env.js';

export { loadRunKey } from './run-key.js';

/**
 * The config of a run: a file, or the BASIC default. Throws CONFIG_INVALID before any output.
 * The parser is imported only for a file (see DEFAULT_CONFIG).
 */
export async function loadRunConfig(file: string | undefined): Promise<DeidConfig> {
  // With no config, deid's own BASIC: Google's BASIC plus contextual de-identification.
  if (!file) return deidDefaultConfig();
  const { loadConfigFile } = await import('../config/load-config.js');
  return loadConfigFile(file);
}
