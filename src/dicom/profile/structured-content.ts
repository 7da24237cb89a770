import type { Path } from '../tokens.js';

/**
 * SR content items (Content Sequence (0040,A730), at any depth) under the basic
 * profile. Table E.1-1 gives the Content Sequence D, or C under the Clean
 * Structured Content Option (PS3.15 E.3.6), and lists only a few of the
 * attributes inside it (PersonName, UID, DateTime/Date/Time...). The value of a
 * TEXT item (TextValue), the meaning of a CODE item and the other attributes
 * the table does not list would otherwise be kept as written, so they are
 * treated here: without the option their values are replaced by a dummy
 * consistent with the VR (PS3.15 E.1.1, action D), which keeps the tree and
 * every Type 1 value in it; with the option they are cleaned.
 */
export const CONTENT_SEQUENCE = 0x0040a730;
export const DATE_TIME = 0x0040a120;

/** Code Sequence Macro attributes (PS3.3 8.8) that are terminology, not content: kept. */
const CODED_ENTRY = new Set([
  0x00080100, // CodeValue
  0x00080102, // CodingSchemeDesignator
  0x00080103, // CodingSchemeVersion
  0x00080119, // LongCodeValue
  0x00080120, // URNCodeValue
  0x00080122, // MappingResourceName
]);
const CODE_MEANING = 0x00080104;

/** A Code Sequence Macro attribute that names a code rather than says something (CodeValue, its scheme...). */
export function isCodedEntry(tag: number): boolean {
  return CODED_ENTRY.has(tag);
}
/**
 * Code sequences whose meaning names the question or the unit, not the answer:
 * ConceptNameCodeSequence, MeasurementUnitsCodeSequence. The meaning of any
 * other code (a CODE item's ConceptCodeSequence can hold a local code whose
 * meaning is a clinic's name) is content.
 */
const STRUCTURE_CODES = new Set([0x0040a043, 0x004008ea]);

const TEXT_VRS = new Set(['AE', 'AS', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UR', 'UT']);
const TEMPORAL_VRS = new Set(['DA', 'DT', 'TM']);
const NUMBER_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'UV', 'SV', 'AT', 'DS', 'IS', 'CS', 'UI']);

/**
 * What happens to an attribute Table E.1-1 does not list inside content items:
 * - 'keep': structure, codes, numbers, UIDs (UIDs are still replaced when the
 *   plan replaces UIDs);
 * - 'content': a value of the report (text, names, coded meanings): dummy
 *   without the option, cleaned with it;
 * - 'temporal': a date or time, treated as the table treats DateTime (0040,A120);
 * - 'remove': bytes that cannot be read as text or numbers.
 */
export type ContentTreatment = 'keep' | 'content' | 'temporal' | 'remove';

export function inContentItem(path: Path): boolean {
  for (let i = 0; i < path.length; i++) if (path[i]!.tag === CONTENT_SEQUENCE) return true;
  return false;
}

export function contentTreatment(tag: number, vr: string, path: Path): ContentTreatment {
  if (vr === 'SQ') return 'keep';
  if (CODED_ENTRY.has(tag)) return 'keep';
  if (tag === CODE_MEANING) {
    const parent = path[path.length - 1]?.tag;
    return parent !== undefined && STRUCTURE_CODES.has(parent) ? 'keep' : 'content';
  }
  if (TEXT_VRS.has(vr)) return 'content';
  if (TEMPORAL_VRS.has(vr)) return 'temporal';
  if (NUMBER_VRS.has(vr)) return 'keep';
  return 'remove';
}
