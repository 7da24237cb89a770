import { isPlainObject, parseConfig, parseTextConfig, readConfigFile } from '../config/load-config.js';
import type { DeidConfig } from '../config/model.js';
import type { TextDeidConfig } from '../text/types.js';

const TEXT_CONFIG_KEYS = new Set(['profileType', 'transformations', 'additionalTransformations', 'excludeInfoTypes']);

export interface TextRunConfig {
  text: TextDeidConfig;
  /** The whole config and the file's parsed JSON when it holds a DeidentifyConfig (its DICOM part is checked as other commands check it). */
  config?: { parsed: DeidConfig; value: unknown };
  /** ± days of the date shift: `deid.dateShiftRangeDays` of a DeidentifyConfig, as `deid fhir` reads it. */
  dateShiftRangeDays?: number;
  /** `deid.ageReferenceDate` (else the run's day), as `deid fhir` reads it. */
  ageReferenceDate?: string;
}

/**
 * The config of `deid text -c FILE`: a file holding a Google TextConfig
 * itself, or a DeidentifyConfig whose `text` member is used (and its
 * `deid.dateShiftRangeDays`, so a patient's dates move as in `deid fhir`).
 * Both are read and validated as `deid fhir -c` reads a config.
 */
export function loadTextRunConfig(file: string): TextRunConfig {
  const value = readConfigFile(file);
  if (isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => TEXT_CONFIG_KEYS.has(k))) {
    return { text: parseTextConfig(value, file) };
  }
  const config = parseConfig(value, file);
  return { text: config.text, dateShiftRangeDays: config.fhir!.dateShiftRangeDays, ageReferenceDate: config.fhir!.ageReferenceDate, config: { parsed: config, value } };
}

/** The text config of `deid text -c FILE` (see loadTextRunConfig). */
export function loadTextConfigFile(file: string): TextDeidConfig {
  return loadTextRunConfig(file).text;
}
