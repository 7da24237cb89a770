import fs from 'node:fs';
import YAML from 'yaml';

export interface ConfigParts {
  fhir: boolean;
  dicom: boolean;
}

/**
 * Which modalities a dataset run de-identifies. Google's dataset
 * de-identify leaves out the store types whose part of the DeidentifyConfig
 * is absent. The normalized config cannot tell (the loader fills in the BASIC
 * FHIR plan when `fhir` is missing), so the top-level keys of the file are
 * read again here: `fhir`/`fhirFieldConfig` and `dicom`/`dicomTagConfig`,
 * inside a request body's `config` when wrapped. No config file: both.
 * The file has already been validated by the loader.
 */
export function configParts(file: string | undefined): ConfigParts {
  if (!file) return { fhir: true, dicom: true };
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const raw = YAML.parse(text, { maxAliasCount: 100, logLevel: 'error' }) as Record<string, unknown>;
  const cfg = raw && typeof raw.config === 'object' && raw.config !== null ? (raw.config as Record<string, unknown>) : raw;
  const has = (k: string) => cfg !== null && typeof cfg === 'object' && Object.prototype.hasOwnProperty.call(cfg, k);
  return { fhir: has('fhir') || has('fhirFieldConfig'), dicom: has('dicom') || has('dicomTagConfig') };
}
