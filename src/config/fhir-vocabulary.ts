import { r4Table } from '../fhir/r4-table.js';

/** What a FHIR field path component can be compared with: the walker's segment names, JSON keys and types. */
export interface FhirVocabulary {
  /** Element names and JSON keys (`deceased`, `deceasedAge`), and resource types (a root segment's name). */
  names: ReadonlySet<string>;
  /** Element types and resource types (`HumanName`, `string`, `Patient.contact` for a backbone element). */
  types: ReadonlySet<string>;
  /** Names of choice elements (`deceased`, `value`). */
  choiceNames: ReadonlySet<string>;
  /** Names of backbone elements (`contact`, `component`). */
  backboneNames: ReadonlySet<string>;
}

let vocabulary: FhirVocabulary | undefined;

/**
 * Read from the R4 element table the walker uses (data/fhir/r4-elements.json),
 * on first use only: a run without FHIR rules does not read it.
 */
export function fhirVocabulary(): FhirVocabulary {
  if (vocabulary) return vocabulary;
  const table = r4Table();
  const names = new Set<string>(table.resourceTypes);
  const types = new Set<string>(table.resourceTypes);
  const choiceNames = new Set<string>();
  const backboneNames = new Set<string>();
  for (const elements of Object.values(table.types)) {
    for (const [key, [name, type, , choice]] of Object.entries(elements)) {
      names.add(key);
      names.add(name);
      types.add(type);
      if (choice === 1) choiceNames.add(name);
      if (type.includes('.') || type === 'BackboneElement' || type === 'Element') backboneNames.add(name);
    }
  }
  return (vocabulary = { names, types, choiceNames, backboneNames });
}
