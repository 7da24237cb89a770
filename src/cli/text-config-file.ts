import { readFileSync, statSync } from 'node:fs';
import YAML from 'yaml';
import { DeidError } from '../core/errors.js';
import { isPlainObject, loadConfigFile, MAX_CONFIG_BYTES } from '../config/load-config.js';
import { normalizeTextConfig } from '../text/config.js';
import type { TextDeidConfig } from '../text/types.js';

const TEXT_CONFIG_KEYS = new Set(['profileType', 'transformations', 'additionalTransformations', 'excludeInfoTypes']);

/**
 * The text config of `deid text -c FILE`: a file holding a Google TextConfig
 * itself, or a DeidentifyConfig whose `text` member is used.
 */
export function loadTextConfigFile(file: string): TextDeidConfig {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new DeidError('CONFIG_INVALID', `cannot read config file ${file}`);
  }
  if (size > MAX_CONFIG_BYTES) throw new DeidError('CONFIG_INVALID', `config file ${file} is larger than ${MAX_CONFIG_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = YAML.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new DeidError('CONFIG_INVALID', `config file ${file} is not valid JSON or YAML`);
  }
  if (isPlainObject(parsed) && Object.keys(parsed).length > 0 && Object.keys(parsed).every((k) => TEXT_CONFIG_KEYS.has(k))) {
    return normalizeTextConfig(parsed);
  }
  return loadConfigFile(file).text;
}
