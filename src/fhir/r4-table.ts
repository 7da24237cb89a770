import { readFileSync } from 'node:fs';
import { dataFile } from '../core/data-file.js';

/**
 * data/fhir/r4-elements.json (built by scripts/build-fhir-r4-elements.mjs
 * from the HL7 R4 StructureDefinitions): the resource types, and for each
 * type its elements by JSON key as [name, type, repeats 0/1, choice 0/1].
 */
export interface R4Table {
  resourceTypes: string[];
  types: Record<string, Record<string, [string, string, number, number]>>;
}

let table: R4Table | undefined;

/** The table, read once per process on first use (the config parser needs it only for FHIR rules). */
export function r4Table(): R4Table {
  return (table ??= JSON.parse(readFileSync(dataFile('fhir/r4-elements.json'), 'utf8')) as R4Table);
}
