import { DeidError } from '../core/errors.js';
import type { FieldAction, FieldRule } from './model.js';
import type { NodePath, Seg } from '../fhir/node-path.js';
import { fhirVocabulary, type FhirVocabulary } from './fhir-vocabulary.js';

/**
 * Google Cloud Healthcare FHIR field paths (FieldMetadata.paths), compiled
 * into matchers over the typed walker's NodePath. Grammar and semantics are
 * written down in docs/google-config.md; in short:
 *
 * - A path is components separated by `.`; each component is a field name
 *   (`city`, `deceasedAge`) or a FHIR type name (`Address`, `HumanName`,
 *   `String`/`string`, `DateTime`/`dateTime`). Google: "All types begin with
 *   an upper case letter"; its own default configs also write primitive types
 *   of choice elements in lower case (`Condition.OnsetX.string`), so a type
 *   name matches with either case of its first letter.
 * - Backbone elements are named by their capitalised element name
 *   (`AuditEvent.Agent.altId`, `Device.UdiCarrier.carrierHRF`), as in
 *   Google's default FHIR de-identification config.
 * - A choice element `onset[x]` holding `onsetAge` is two levels in Google's
 *   model, the choice container then its typed member: `Onset.Age`,
 *   `OnsetX.age`, `Deceased.Age.unit`. A path may also end on the container
 *   (`Condition.Onset`), start on the member (`Age.unit`), or use the JSON key
 *   for both (`onsetAge.unit`); it may not skip a level (`Condition.Age`,
 *   `Onset.unit` do not match `Condition.onsetAge.unit`).
 * - Bound code types such as `AdministrativeGenderCode` match any `code`
 *   element (the walker does not know bindings; this errs towards matching).
 * - Matching is a suffix match: the components match a contiguous run of
 *   segments that ends at the node. A path starting with a resource type can
 *   only begin on a segment of that resource type, i.e. it is anchored at the
 *   resource root (`Patient.Address.city` does not match
 *   `Patient.contact.address.city`); a partial path (`Address.city`) matches
 *   at any depth.
 */

const COMPONENT_RE = /^[A-Za-z][A-Za-z0-9_]*(\[x\])?$/;
/** Generous bounds: real paths have < 10 components. */
export const MAX_PATH_LENGTH = 1024;
export const MAX_PATH_COMPONENTS = 64;

interface Component {
  readonly text: string;
  /** Lower-first form of a type name (`HumanName` → `humanName`, `String` → `string`). */
  readonly typeKey: string;
  /** Upper-first form (`string` → `String`). */
  readonly typeUpper: string;
  /** Names of a choice element this component denotes (`OnsetX` → `onset`), or undefined. */
  readonly choiceName: string | undefined;
  /** Lower-first form used for backbone names (`Agent` → `agent`), or undefined for lower-first components. */
  readonly backboneName: string | undefined;
  /** `XxxCode` bound code type names. */
  readonly boundCode: boolean;
}

export interface FieldPathMatcher {
  /** The path as written in the config. */
  readonly source: string;
  readonly components: readonly string[];
  /** The path matches the node at the end of `path`. */
  matches(path: NodePath): boolean;
  /** The path matches the node `path[end]` (a prefix of `path`). */
  matchesAt(path: NodePath, end: number): boolean;
  /** Keys of the last component: a node can match only if its name, jsonName or type is one of them. */
  readonly lastKeys: readonly string[];
}

export interface RuleMatcher {
  readonly rules: readonly FieldRule[];
  /** The action of the first rule (config order) one of whose paths matches the node itself. */
  match(path: NodePath): FieldAction | undefined;
  /** Index into `rules` of that rule, or -1. */
  matchIndex(path: NodePath): number;
  /**
   * The action that governs a node: the first rule (config order) matching the
   * node or any of its ancestors. Use it on leaves when a rule may name a
   * complex element (`HumanName`, `Patient.address`) and another, earlier rule
   * a field inside it.
   */
  matchInherited(path: NodePath): FieldAction | undefined;
  /** Index into `rules` of that rule, or -1. */
  matchInheritedIndex(path: NodePath): number;
}

function lowerFirst(s: string): string {
  return s.length === 0 ? s : s[0]!.toLowerCase() + s.slice(1);
}

function isUpperFirst(s: string): boolean {
  const c = s.charCodeAt(0);
  return c >= 65 && c <= 90;
}

function invalid(where: string, why: string): DeidError {
  return new DeidError('CONFIG_INVALID', `${where}: ${why}`);
}

function parseComponent(text: string): Component {
  let base = text;
  let choice: string | undefined;
  if (base.endsWith('[x]')) {
    base = base.slice(0, -3);
    choice = lowerFirst(base);
  } else if (base.length > 1 && base.endsWith('X')) {
    choice = lowerFirst(base.slice(0, -1));
  }
  const upper = isUpperFirst(base);
  if (upper && choice === undefined) choice = lowerFirst(base);
  if (!upper && choice === undefined) choice = base;
  return {
    text,
    typeKey: lowerFirst(base),
    typeUpper: base[0]!.toUpperCase() + base.slice(1),
    choiceName: choice,
    backboneName: upper ? lowerFirst(base) : undefined,
    boundCode: upper && base.length > 4 && base.endsWith('Code'),
  };
}

/** Whether some segment of some R4 resource could match the component (by any clause of `rec` below). */
function namesSomething(c: Component, v: FhirVocabulary): boolean {
  if (v.names.has(c.text) || v.types.has(c.typeKey) || v.types.has(c.typeUpper) || c.boundCode) return true;
  if (c.backboneName !== undefined && v.backboneNames.has(c.backboneName)) return true;
  return c.choiceName !== undefined && v.choiceNames.has(c.choiceName);
}

/**
 * The walker types a backbone element by its definition path
 * (`Patient.contact`, `Observation.component`), as the R4 element table does;
 * `BackboneElement` and `Element` are the StructureDefinition type codes.
 */
function isBackbone(seg: Seg): boolean {
  return seg.type === 'BackboneElement' || seg.type === 'Element' || seg.type.includes('.');
}

/** The component names the segment's type. */
function typeMatches(c: Component, seg: Seg): boolean {
  return seg.type === c.typeKey || seg.type === c.typeUpper || (c.boundCode && seg.type === 'code');
}

/** The component names the segment's choice element (`Onset`, `OnsetX`, `onset`, `onset[x]`). */
function choiceNameMatches(c: Component, seg: Seg): boolean {
  return seg.choice === true && c.choiceName === seg.name;
}

/** One component against one non-choice segment: field name, type name, or backbone name. */
function plainMatches(c: Component, seg: Seg): boolean {
  if (c.text === seg.name) return true;
  if (typeMatches(c, seg)) return true;
  return c.backboneName !== undefined && c.backboneName === seg.name && isBackbone(seg);
}

/** Index keys under which a last component can be found from a segment's name, jsonName or type. */
function keysOf(c: Component): string[] {
  const keys = new Set<string>([c.text, c.typeKey, c.typeUpper]);
  if (c.choiceName !== undefined) keys.add(c.choiceName);
  if (c.backboneName !== undefined) keys.add(c.backboneName);
  if (c.boundCode) keys.add('code');
  return [...keys];
}

/**
 * Compiles one path. `where` names the config location for error messages
 * (e.g. `fhir.fieldMetadataList[2].paths[0]`).
 */
export function compileFieldPath(path: string, where = 'path'): FieldPathMatcher {
  if (typeof path !== 'string') throw invalid(where, 'must be a string');
  if (path.length === 0) throw invalid(where, 'is empty');
  if (path.length > MAX_PATH_LENGTH) throw invalid(where, `is longer than ${MAX_PATH_LENGTH} characters`);
  const parts = path.split('.');
  if (parts.length > MAX_PATH_COMPONENTS) throw invalid(where, `has more than ${MAX_PATH_COMPONENTS} components`);
  parts.forEach((p, i) => {
    if (p.length === 0) throw invalid(where, `component ${i + 1} is empty`);
    if (!COMPONENT_RE.test(p)) {
      throw invalid(where, `component ${i + 1} is not a field or type name (letters, digits and _ only)`);
    }
  });
  const comps = parts.map(parseComponent);
  // A component nothing in R4 is called would make the rule match nothing, silently.
  const unknown = comps.findIndex((c) => !namesSomething(c, fhirVocabulary()));
  if (unknown >= 0) throw invalid(where, `component ${unknown + 1} names no FHIR R4 element or type`);
  const last = comps.length - 1;

  // Right-to-left over components k and segments i. A choice segment
  // (`onsetAge`) stands for two levels of Google's model: the choice
  // container (`Onset`/`OnsetX`) and its member (`Age`/`age`). A path may
  // name both, only the member if the path starts there (`Age.unit`), only
  // the container if the path ends there (`Condition.Onset`), or the JSON
  // key for both (`onsetAge`).
  const rec = (p: NodePath, k: number, i: number, end: number): boolean => {
    if (k < 0) return true;
    if (i < 0) return false;
    const seg = p[i]!;
    const c = comps[k]!;
    if (seg.choice !== true) return plainMatches(c, seg) && rec(p, k - 1, i - 1, end);
    if (c.text === seg.jsonName && rec(p, k - 1, i - 1, end)) return true;
    if (typeMatches(c, seg)) {
      if (k === 0) return true;
      if (choiceNameMatches(comps[k - 1]!, seg) && rec(p, k - 2, i - 1, end)) return true;
    }
    return i === end && k === last && choiceNameMatches(c, seg) && rec(p, k - 1, i - 1, end);
  };

  const matchesAt = (p: NodePath, end: number): boolean => end >= 0 && end < p.length && rec(p, last, end, end);
  return {
    source: path,
    components: parts,
    lastKeys: keysOf(comps[last]!),
    matchesAt,
    matches: (p) => matchesAt(p, p.length - 1),
  };
}

interface Entry {
  rule: number;
  matcher: FieldPathMatcher;
}

/**
 * Compiles rules for per-node matching. Rules are indexed by the possible
 * keys of their paths' last components, so a node is tested only against
 * paths that can end on it: most nodes cost two or three Map lookups.
 */
export function compileRules(rules: readonly FieldRule[], where = 'rules'): RuleMatcher {
  const index = new Map<string, Entry[]>();
  rules.forEach((rule, r) => {
    rule.paths.forEach((p, j) => {
      const matcher = compileFieldPath(p, `${where}[${r}].paths[${j}]`);
      for (const key of matcher.lastKeys) {
        let list = index.get(key);
        if (!list) index.set(key, (list = []));
        if (list[list.length - 1]?.matcher !== matcher) list.push({ rule: r, matcher });
      }
    });
  });
  // Lists are in rule order already (rules are visited in order).

  const best = (p: NodePath, end: number, bound: number): number => {
    const seg = p[end]!;
    let found = bound;
    found = scan(index.get(seg.name), p, end, found);
    if (seg.type !== seg.name) found = scan(index.get(seg.type), p, end, found);
    if (seg.jsonName !== seg.name && seg.jsonName !== seg.type) found = scan(index.get(seg.jsonName), p, end, found);
    return found;
  };

  const matchIndex = (p: NodePath): number => {
    if (p.length === 0) return -1;
    const r = best(p, p.length - 1, Infinity);
    return r === Infinity ? -1 : r;
  };

  const matchInheritedIndex = (p: NodePath): number => {
    let found = Infinity;
    for (let end = p.length - 1; end >= 0; end--) found = best(p, end, found);
    return found === Infinity ? -1 : found;
  };

  return {
    rules,
    matchIndex,
    match: (p) => {
      const r = matchIndex(p);
      return r < 0 ? undefined : rules[r]!.action;
    },
    matchInheritedIndex,
    matchInherited: (p) => {
      const r = matchInheritedIndex(p);
      return r < 0 ? undefined : rules[r]!.action;
    },
  };
}

/** Lowest rule index below `bound` among `list` entries matching at `end`. */
function scan(list: Entry[] | undefined, p: NodePath, end: number, bound: number): number {
  if (list === undefined) return bound;
  for (const e of list) {
    if (e.rule >= bound) break;
    if (e.matcher.matchesAt(p, end)) return e.rule;
  }
  return bound;
}
