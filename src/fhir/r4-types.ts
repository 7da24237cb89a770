import { readFileSync } from 'node:fs';
import { dataFile } from '../core/data-file.js';
import type { Seg } from './node-path.js';
import { r4Table } from './r4-table.js';

/**
 * FHIR R4 element table (data/fhir/r4-elements.json, built by
 * scripts/build-fhir-r4-elements.mjs from the HL7 R4 StructureDefinitions).
 * For a type and a JSON key it tells the element name, its type, whether it
 * repeats and whether it is a choice element.
 */
export interface ElementInfo {
  name: string;
  type: string;
  array: boolean;
  choice: boolean;
  /** The walker's path segment for this element (shared, never mutated). */
  seg: Seg;
  /**
   * For a `code` element with a REQUIRED binding whose value set the build
   * could expand (data/fhir/r4-required-codes.json), its codes: any other
   * value is not a valid code there. Undefined for every other element.
   */
  codes: ReadonlySet<string> | undefined;
}

const table = r4Table();

interface RequiredCodes {
  sets: string[][];
  elements: Record<string, Record<string, number>>;
}

const required = JSON.parse(
  readFileSync(dataFile('fhir/r4-required-codes.json'), 'utf8'),
) as RequiredCodes;
const requiredSets = required.sets.map((codes): ReadonlySet<string> => new Set(codes));

const resourceTypes = new Set(table.resourceTypes);
const cache = new Map<string, Map<string, ElementInfo>>();

const NO_ELEMENTS: ReadonlyMap<string, ElementInfo> = new Map();

/** Every element of a type by JSON key (empty for a type the table does not know). */
export function elementsOf(type: string): ReadonlyMap<string, ElementInfo> {
  return elementMap(type) ?? NO_ELEMENTS;
}

function elementMap(type: string): Map<string, ElementInfo> | undefined {
  let m = cache.get(type);
  if (m) return m;
  const raw = table.types[type];
  if (!raw) return undefined;
  m = new Map();
  const bound = required.elements[type];
  for (const [key, [name, t, array, choice]] of Object.entries(raw)) {
    const seg: Seg = choice === 1 ? { name, jsonName: key, type: t, choice: true } : { name, jsonName: key, type: t };
    const set = t === 'code' && bound !== undefined && Object.hasOwn(bound, key) ? requiredSets[bound[key]!] : undefined;
    m.set(key, { name, type: t, array: array === 1, choice: choice === 1, seg: Object.freeze(seg), codes: set });
  }
  cache.set(type, m);
  return m;
}

export function isResourceType(name: string): boolean {
  return resourceTypes.has(name);
}

/**
 * Why a JSON value cannot be a resource record: not an object, or no
 * resourceType string. Undefined when it has the shape of one.
 */
export function notAResource(value: unknown): 'NOT_AN_OBJECT' | 'NO_RESOURCE_TYPE' | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'NOT_AN_OBJECT';
  const rt = (value as Record<string, unknown>).resourceType;
  return typeof rt !== 'string' || rt.length === 0 ? 'NO_RESOURCE_TYPE' : undefined;
}

/**
 * The record's resourceType when it names an R4 resource, else undefined. A
 * failed record's type goes to the error log and the report's per-type
 * counts: a value the record made up (a name typed into resourceType) is
 * record content and never goes there.
 */
export function knownResourceType(v: unknown): string | undefined {
  return typeof v === 'string' && resourceTypes.has(v) ? v : undefined;
}

export function isKnownType(type: string): boolean {
  return type in table.types;
}

const PRIMITIVES = new Set([
  'base64Binary', 'boolean', 'canonical', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant',
  'integer', 'markdown', 'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'url', 'uuid', 'xhtml',
]);

export function isPrimitiveType(type: string): boolean {
  return PRIMITIVES.has(type);
}

const NUMBER_TYPES = new Set(['decimal', 'integer', 'positiveInt', 'unsignedInt']);

/** The JSON type of a primitive's values: FHIR's JSON format writes booleans and numbers as such, the rest as strings. */
export type JsonPrimitiveType = 'string' | 'number' | 'boolean';

export function jsonTypeOf(primitive: string): JsonPrimitiveType {
  if (primitive === 'boolean') return 'boolean';
  return NUMBER_TYPES.has(primitive) ? 'number' : 'string';
}

/**
 * Whether a JSON value has the JSON type FHIR's JSON format gives a primitive
 * type (jsonTypeOf). A value of any other JSON type (an MRN written as a
 * number, a birthDate as 19900101, a name in an integer element) cannot be
 * parsed as that type and is removed, never passed through.
 */
export function fitsPrimitive(type: string, value: unknown): boolean {
  return typeof value === jsonTypeOf(type);
}

export const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);
/** Primitive types holding arbitrary text a person wrote. */
export const TEXT_TYPES = new Set(['string', 'markdown']);
