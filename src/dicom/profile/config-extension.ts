import { parseConfig, readConfigFile } from '../../config/load-config.js';
import type { DeidConfig } from '../../config/model.js';
import { DeidError } from '../../core/errors.js';
import { dicomExtensionSchema } from '../../config/schema.js';
import type { DicomExtension } from './plan.js';

/**
 * deid's DICOM settings in a config file, next to Google's keys:
 *
 *   deid:
 *     dicom:
 *       options: [retainUIDs, cleanDescriptors]    # or { retainLongModifiedDates: false }
 *       allowBurnedIn: true
 *
 * The shared config schema validates `deid.dicom` (every command accepts the
 * same file) but keeps no value of it; it is taken out of the document here
 * and the rest goes through the normal config loader.
 */
function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** Takes `deid.dicom` out of a config object (bare or wrapped in `{config}`), validated. */
export function splitDicomExtension(obj: unknown, source: string): DicomExtension {
  if (!isObject(obj)) return {};
  const target = isObject(obj.config) ? obj.config : obj;
  const deid = target.deid;
  if (!isObject(deid) || !('dicom' in deid)) return {};
  const parsed = dicomExtensionSchema.safeParse(deid.dicom);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['deid', 'dicom', ...(issue?.path ?? []).map(String)].join('.');
    throw new DeidError('CONFIG_INVALID', `${source}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  delete deid.dicom;
  if (Object.keys(deid).length === 0) delete target.deid;
  const ext: DicomExtension = {};
  if (parsed.data.options !== undefined) ext.options = parsed.data.options;
  if (parsed.data.allowBurnedIn !== undefined) ext.allowBurnedIn = parsed.data.allowBurnedIn;
  return ext;
}

/** A config file for `deid dicom`: Google's DeidentifyConfig plus `deid.dicom`. */
export function loadDicomConfigFile(file: string): { config: DeidConfig; extension: DicomExtension } {
  const obj = readConfigFile(file);
  const extension = splitDicomExtension(obj, file);
  return { config: parseConfig(obj, file), extension };
}
