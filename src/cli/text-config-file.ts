import { isPlainObject, parseConfig, parseTextConfig, readConfigFile } from '../config/load-config.js';
import type { TextDeidConfig } from '../text/types.js';

const TEXT_CONFIG_KEYS = new Set(['profileType', 'transformations', 'additionalTransformations', 'excludeInfoTypes']);

/**
 * The text config of `deid text -c FILE`: a file holding a Google TextConfig
 * itself, or a DeidentifyConfig whose `text` member is used. Both are read
 * and validated as `deid fhir -c` reads a config.
 */
export function loadTextConfigFile(file: string): TextDeidConfig {
  const value = readConfigFile(file);
  if (isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => TEXT_CONFIG_KEYS.has(k))) {
    return parseTextConfig(value, file);
  }
  return parseConfig(value, file).text;
}
