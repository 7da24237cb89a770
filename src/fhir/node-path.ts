/**
 * The position of a node inside a FHIR resource, as the typed walker sees it:
 * one segment per step from the resource root. The root segment has
 * `name === type === resourceType`. A choice element `valueString` is the
 * segment `{ name: 'value', jsonName: 'valueString', type: 'string' }`.
 * Array items do not add segments (a HumanName in `name[2]` is at `…name`).
 */
export interface Seg {
  /** Element name as in the FHIR definition, without `[x]`. */
  name: string;
  /** The key in the JSON object (differs from `name` for choice elements). */
  jsonName: string;
  /** FHIR type name: a primitive (`string`, `dateTime`), a datatype (`HumanName`), a resource type, or `BackboneElement`/`Element`. */
  type: string;
  /** True for choice elements (`value[x]`). */
  choice?: boolean;
}

export type NodePath = readonly Seg[];
