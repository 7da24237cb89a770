import type { Keyed } from '../../core/keyed.js';

/**
 * UIDs defined by the standard (SOP classes, transfer syntaxes, well-known
 * frames of reference, coding schemes, application context...) all live under
 * the DICOM root 1.2.840.10008 (PS3.5 9.1; every entry of the PS3.6 Annex A
 * UID registry is under it), and no instance UID may use that root (PS3.5 9.1:
 * it is reserved for the standard). So "is a registry UID" is a root test.
 */
export const DICOM_ROOT = '1.2.840.10008.';

/** PS3.5 9.1 UID syntax: dot-separated numbers, at most 64 characters. */
export function isUidSyntax(uid: string): boolean {
  return uid.length <= 64 && /^[0-9]+(?:\.[0-9]+)*$/.test(uid);
}

/** A UID under the DICOM root; text that only starts like one is not. */
export function isStandardUid(uid: string): boolean {
  return uid.startsWith(DICOM_ROOT) && isUidSyntax(uid);
}

/**
 * UI attributes that name a definition rather than an instance: SOP classes,
 * transfer syntaxes, coding schemes (SNOMED, LOINC and local schemes have
 * HL7/ISO OIDs outside the DICOM root), context groups and mapping resources.
 * PS3.15 does not list them and their values identify no one, so the
 * "regenerate every other UID" rule leaves them alone.
 */
const DEFINITION_UID = /(?:Class|Syntax|CodingScheme|Context|MappingResource|ExtensionCreator)UID(?:InFile)?$|^SOPClasses/;

export function isDefinitionUidAttribute(keyword: string | undefined): boolean {
  return keyword !== undefined && DEFINITION_UID.test(keyword);
}

/**
 * The replacement of a UI value (possibly multi-valued with `\`): standard
 * UIDs kept (with `keepValid`, a definition attribute's, every valid UID),
 * every other component → keyed.uid(original), text that is no UID included.
 * An empty component stays empty. Pure and keyed, so the same original gets
 * the same UID in every instance, file and run.
 */
export function regenerateUidValue(value: string, keyed: Keyed, keepValid = false): string {
  return value
    .split('\\')
    .map((part) => {
      const u = part.replace(/[\0 ]+$/, '').trim();
      if (u === '' || (keepValid ? isUidSyntax(u) : isStandardUid(u))) return u;
      return keyed.uid(u);
    })
    .join('\\');
}
