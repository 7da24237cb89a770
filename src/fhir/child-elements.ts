import type { FhirPlan } from '../config/model.js';
import type { Seg } from './node-path.js';
import { shapeOf } from './primitive-shapes.js';
import { elementsOf, isPrimitiveType, jsonTypeOf, type ElementInfo, type JsonPrimitiveType } from './r4-types.js';

/**
 * What the walker knows of one element under one parent path, for one plan,
 * worked out the first time the element is met there.
 */
export interface ChildElement {
  readonly info: ElementInfo;
  /** The report key (`Patient.name.family`): the parent's key, a dot, the JSON key. */
  readonly key: string;
  /**
   * The JSON type of the values the profile keeps unchanged here, whatever
   * they are (a primitive no profile branch looks at: a code, a unit, a
   * Coding's display). Undefined where the profile may change, count or
   * remove a value. Config rules come first: it applies where none does.
   */
  readonly keptAs: JsonPrimitiveType | undefined;
  /**
   * With keptAs, for a `code` element with a required binding (ElementInfo.codes):
   * only these values are kept unchanged; any other is no valid code, and the
   * profile removes it. Undefined where the profile keeps codes as written (KEEP_ALL).
   */
  readonly codes: ReadonlySet<string> | undefined;
  /**
   * With keptAs, for an element whose syntax FHIR fixes (primitive-shapes.ts): only values of
   * this shape are kept unchanged; the profile removes any other.
   */
  readonly shape: RegExp | undefined;
}

/** Whether the profile returns every value at `path` (ending at a primitive of `type`) unchanged. */
export type KeptWhole = (path: Seg[], type: string, parentIsResource: boolean) => boolean;

/** The children of one parent path: its type and, by JSON key, what is known of each element. */
export class Children {
  readonly #byKey = new Map<string, ChildElement>();
  readonly #elements: ReadonlyMap<string, ElementInfo>;

  constructor(
    readonly type: string,
    readonly parentKey: string,
    private readonly isResource: boolean,
    private readonly checksCodes: boolean,
  ) {
    this.#elements = elementsOf(type);
  }

  /**
   * The element `jsonKey` names, or undefined when it names none of the
   * type's. `path` is the parent's path; it is returned as it came.
   * Unknown keys are not remembered, so a hostile record with many made-up
   * keys cannot grow the cache.
   */
  get(jsonKey: string, path: Seg[], keptWhole: KeptWhole): ChildElement | undefined {
    const known = this.#byKey.get(jsonKey);
    if (known !== undefined) return known;
    const info = this.#elements.get(jsonKey);
    if (info === undefined) return undefined;
    let keptAs: JsonPrimitiveType | undefined;
    if (isPrimitiveType(info.type)) {
      path.push(info.seg);
      if (keptWhole(path, info.type, this.isResource)) keptAs = jsonTypeOf(info.type);
      path.pop();
    }
    const codes = keptAs !== undefined && this.checksCodes ? info.codes : undefined;
    const shape = keptAs !== undefined && this.checksCodes ? shapeOf(info.type, info.name, this.type) : undefined;
    const child: ChildElement = { info, key: `${this.parentKey}.${jsonKey}`, keptAs, codes, shape };
    this.#byKey.set(jsonKey, child);
    return child;
  }
}

/** Parent paths remembered per plan and per kind of parent (resource or not) before the cache starts afresh. */
const PARENTS_LIMIT = 50_000;
const CACHES = new WeakMap<FhirPlan, [Map<string, Children>, Map<string, Children>]>();

/**
 * The children cache of a plan: parent report key → Children. A report key
 * names one path from a resource root (the JSON keys below the resource
 * type), so what follows from the path alone is worked out once per key; the
 * type is checked too, so a caller walking an object as another type gets
 * its own entry.
 */
export class ChildCache {
  readonly #byParent: [Map<string, Children>, Map<string, Children>];
  readonly #checksCodes: boolean;

  constructor(plan: FhirPlan) {
    this.#checksCodes = plan.profile !== 'KEEP_ALL';
    let caches = CACHES.get(plan);
    if (!caches) CACHES.set(plan, (caches = [new Map(), new Map()]));
    this.#byParent = caches;
  }

  of(type: string, parentKey: string, isResource: boolean): Children {
    const m = this.#byParent[isResource ? 1 : 0];
    let c = m.get(parentKey);
    if (c === undefined || c.type !== type) {
      if (m.size >= PARENTS_LIMIT) m.clear();
      m.set(parentKey, (c = new Children(type, parentKey, isResource, this.#checksCodes)));
    }
    return c;
  }
}
