import type { NodePath } from '../../../src/fhir/node-path.js';
import { compileFieldPath } from '../../../src/config/fhir-path-match.js';
import { walk, dotted, type Visit } from './typed-paths.js';

/** Distinct dotted node paths (JSON keys) of `resource` that `fieldPath` matches. */
export function matchedPaths(resource: Record<string, unknown>, fieldPath: string): string[] {
  const m = compileFieldPath(fieldPath);
  const out = new Set<string>();
  for (const v of walk(resource)) if (m.matches(v.path)) out.add(dotted(v.path));
  return [...out].sort();
}

/** Values of the nodes `fieldPath` matches. */
export function matchedValues(resource: Record<string, unknown>, fieldPath: string): unknown[] {
  const m = compileFieldPath(fieldPath);
  return walk(resource)
    .filter((v: Visit) => m.matches(v.path))
    .map((v) => v.value);
}

export function find(resource: Record<string, unknown>, dottedPath: string): NodePath {
  const v = walk(resource).find((x) => dotted(x.path) === dottedPath);
  if (!v) throw new Error(`no node ${dottedPath}`);
  return v.path;
}
