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
  const { parseConfig, readConfigFile } = await import('../config/load-config.js');
  const value = readConfigFile(file);
  const config = parseConfig(value, file);
  await checkDicomPart(config, value, file);
  return config;
}

/**
 * The DICOM part of a config file given to a command that does not read DICOM
 * (`deid fhir`, `deid text`, `deid fhir-store`) is checked as `deid dicom`
 * checks it (an unknown keyword in a tag list, pixel redaction with
 * allowBurnedIn), so a file accepted by one command is accepted by all.
 * The DICOM modules are loaded only for a config that has such a part.
 * `value` is the file's parsed JSON (readConfigFile), so the file is read once.
 */
export async function checkDicomPart(config: DeidConfig, value: unknown, file: string): Promise<void> {
  if (!config.dicom) return;
  const { splitDicomExtension } = await import('../dicom/profile/config-extension.js');
  const { checkDicomSettings } = await import('../pipeline/dicom-instance.js');
  checkDicomSettings(config, splitDicomExtension(value, file), file);
}
