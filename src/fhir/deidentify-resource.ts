import type { FieldAction, FhirPlan } from '../config/model.js';
import { DeidError } from '../core/errors.js';
import type { FhirEnv } from './env.js';
import type { Seg } from './node-path.js';
import { ChildCache, type KeptWhole } from './child-elements.js';
import { elementsOf, fitsPrimitive, isPrimitiveType, isResourceType, DATE_TYPES, type ElementInfo } from './r4-types.js';
import { applyLeafAction, shiftOrRemove, REMOVE, type LeafResult } from './leaf-actions.js';
import { ResourceState, sha1Base64 } from './resource-state.js';
import { contextValuesOf, dateShiftKey, patientIdOf } from './patient.js';
import { isResourceUrl, pseudonymizeFullUrl, pseudonymizeLinkUrl, pseudonymizeReference, pseudonymizeRequestUrl } from './references.js';
import { AGE_TEXT_CATEGORY, generalizeAge, generalizeZip, isAgeTextOver89, isTimeOver89Years } from './generalize.js';
import { birthDateOver89 } from '../core/age-over-89.js';
import { pseudonymizeSystem } from './identifier-system.js';
import { headerField, pseudonymizeEndpoint } from './endpoint-address.js';
import { pseudonymizeCriteria } from './subscription-criteria.js';
import { isMediaType, shapeOf } from './primitive-shapes.js';
import { asWords } from './reference-base.js';
import { fold, regionNames } from '../detectors/dictionaries.js';

type Json = Record<string, unknown>;

/**
 * De-identifies one FHIR resource (pure: the input is not modified). Every
 * element is visited with its typed path; the first config rule that matches
 * decides, and where none does, the profile (BASIC = HIPAA Safe Harbor; see
 * docs/basic-profile.md) does. Decisions are taken at the leaves, so a rule on
 * `HumanName.family` still applies inside a name the profile removes.
 *
 * Throws DeidError(UNKNOWN_RESOURCE_TYPE) for a root that is not an R4 resource.
 */
export function deidentifyResource(resource: Json, env: FhirEnv, opts: { fullUrl?: string } = {}): Json {
  const type = resource.resourceType;
  if (typeof type !== 'string') throw new DeidError('NO_RESOURCE_TYPE');
  if (!isResourceType(type)) throw new DeidError('UNKNOWN_RESOURCE_TYPE');
  const patientId = patientIdOf(resource, opts.fullUrl);
  if (type === 'Patient' && patientId && env.plan.contextualDeid) env.context.add(patientId, contextValuesOf(resource));
  const st = new ResourceState(
    env,
    patientId,
    env.keyed.dateShiftDays(dateShiftKey(resource, patientId), env.plan.dateShiftRangeDays),
    env.context.global() ?? env.context.get(patientId),
  );
  const w = new Walker(env, st);
  const out = w.root(resource, undefined);
  if (out === REMOVE) throw new DeidError('TRANSFORM_FAILED');
  addSecurityLabels(out as Json, st);
  return out as Json;
}

/**
 * The state a Bundle streamed entry by entry shares across its members and
 * entries, as one Bundle record has: its date shift and the security labels
 * of what was done to it (its entries' resources are records of their own).
 */
export function streamedBundleState(env: FhirEnv, bundleId = ''): ResourceState {
  return new ResourceState(env, undefined, env.keyed.dateShiftDays(`Bundle/${bundleId}`, env.plan.dateShiftRangeDays), undefined);
}

/** Bundle.entry as a unit (used when a Bundle is streamed entry by entry); `{}` when nothing of it is left. */
export function deidentifyBundleEntry(entry: Json, env: FhirEnv, bundleId = '', st = streamedBundleState(env, bundleId)): Json {
  const w = new Walker(env, st);
  const path: Seg[] = [{ name: 'Bundle', jsonName: 'Bundle', type: 'Bundle' }, { name: 'entry', jsonName: 'entry', type: 'Bundle.entry' }];
  const out = w.at(['Bundle.entry'], () => w.one(entry, 'Bundle.entry', path, undefined, {}, false, false));
  return out === REMOVE ? {} : (out as Json);
}

/** Bundle members other than entry (streamed head and tail). */
export function deidentifyBundleMembers(members: Json, env: FhirEnv, bundleId = '', st = streamedBundleState(env, bundleId)): Json {
  const w = new Walker(env, st);
  const path: Seg[] = [{ name: 'Bundle', jsonName: 'Bundle', type: 'Bundle' }];
  const out = w.at(['Bundle'], () => w.complex({ ...members }, 'Bundle', path, undefined, true));
  return out === REMOVE ? {} : (out as Json);
}

/** `members` (a streamed Bundle's last ones) with the Bundle's security labels added to its meta. */
export function withBundleLabels(members: Json, st: ResourceState): Json {
  const out = { ...members };
  addSecurityLabels(out, st);
  return out;
}

function addSecurityLabels(res: Json, st: ResourceState): void {
  const codings = st.securityCodings();
  if (codings.length === 0) return;
  const meta = (res.meta && typeof res.meta === 'object' ? res.meta : {}) as Json;
  const existing = Array.isArray(meta.security) ? (meta.security as Json[]) : [];
  if (existing.length === 0) {
    res.meta = { ...meta, security: codings };
    return;
  }
  const have = new Set(existing.map((c) => `${String(c.system)}|${String(c.code)}`));
  const added = codings.filter((c) => !have.has(`${c.system}|${c.code}`));
  res.meta = { ...meta, security: [...existing, ...added] };
}

const DICOM_UID = /^[0-9]+(\.[0-9]+)*$/;

/** Element names (string/markdown typed) that hold free text a person wrote. */
const FREE_TEXT = new Set([
  'text', 'comment', 'comments', 'description', 'note', 'summary', 'detail', 'patientInstruction',
  'instruction', 'reasonText', 'outcome', 'conclusion', 'valueString', 'valueMarkdown', 'answer',
  'payload', 'contentString', 'explanation', 'additionalInstruction', 'title', 'purpose', 'remarks',
  // free-text strings of fewer resources: an OperationOutcome's diagnostics (which can echo record content),
  // a claim response's disposition, a goal's status reason, a risk assessment's rationale and mitigation, a finding's basis
  'diagnostics', 'disposition', 'statusReason', 'rationale', 'mitigation', 'basis',
  // times told in words ("in the spring of 1931 in Springfield")
  'bornString', 'deceasedString', 'ageString', 'onsetString', 'abatementString',
  'performedString', 'occurrenceString', 'scheduledString', 'detailString',
  // what a person typed into a record of care, a bill or an audit trail: why a charge was overridden ("Patient is
  // Cardiologist's golf buddy"), when someone is unavailable ("Adam is generally unavailable…"), an action told in
  // words, a feeding instruction, why an invoice was cancelled, an audit outcome's description, a contract action's
  // and a subscription's reason, a subscription's last error (string-typed elements of these names only)
  'overrideReason', 'availabilityExceptions', 'textEquivalent', 'administrationInstruction', 'cancelledReason',
  'outcomeDesc', 'reason', 'error',
]);

/** The types with a `unit` (Quantity and its profiles). */
const UNIT_OWNERS = new Set(['Quantity', 'Age', 'Duration', 'Distance', 'Count', 'SimpleQuantity', 'MoneyQuantity']);

/** Datatypes whose strings are terminology or units, never a person's data (a unit written by hand is seen in complex()). */
const NOT_CONTEXTUAL = new Set(['Coding', 'Money', ...UNIT_OWNERS]);

/** Primitive types of a kept extension's value that are kept whole (no text to scrub): checked for the patient's own values. */
const CODE_LIKE = new Set(['code', 'id', 'oid', 'uuid', 'canonical']);

/** Quantity and the types derived from it that can hold a length of time (Age is handled whatever its value). */
const QUANTITIES = new Set(['Quantity', 'SimpleQuantity', 'Duration']);

/** The core extension holding a latitude and longitude (geocodes are Safe Harbor (B) places). */
const GEOLOCATION_URL = 'http://hl7.org/fhir/StructureDefinition/geolocation';

/** The core extension holding a mother's maiden name (a relative's name, Safe Harbor (A)). */
const MAIDEN_NAME_URL = 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName';

type ElementRule = 'pseudonymize' | 'remove' | 'clean' | 'header' | 'criteria';

/**
 * What BASIC does with particular primitive elements, by element name, then
 * the type that owns it; one lookup per leaf that reaches the profile.
 * - pseudonymize: identifiers held as plain strings, as Identifier.value is
 *   ((I) a subscriber id, (J) a coverage class's value: a group number, or the
 *   member's own Rx id, (M) a device's serial number, (R) prior authorisations,
 *   an audit agent's other login).
 * - remove: values that are nothing but PHI: a UDI's human-readable carrier
 *   (the unit's serial and lot; the base64 AIDC form goes with base64Binary),
 *   Annotation.authorString (the author's name; the detectors miss uncommon
 *   names), a relative's name in a family history, an audit record's names
 *   of who acted and what was accessed, its network address ((O) an IP) and
 *   its entity details (the query run, with names and dates of birth).
 * - clean: labels written for a patient's record, through the detectors (the
 *   R4 examples name an Account "HACC Funded Billing for Peter James
 *   Chalmers" and a CareTeam "Peter James Charlmers Care Plan for Inpatient Encounter").
 * - header: the HTTP headers an Endpoint or a Subscription sends, which hold
 *   credentials (`Authorization: Bearer …`; endpoint-address.ts).
 * - criteria: a Subscription's search, whose ids are pseudonymised and whose
 *   searches for a person go (subscription-criteria.ts).
 */
const ELEMENT_RULES = new Map<string, ReadonlyMap<string, ElementRule>>([
  ['subscriberId', owners('pseudonymize', 'Coverage')],
  ['header', owners('header', 'Endpoint', 'Subscription.channel')],
  ['criteria', owners('criteria', 'Subscription')],
  ['serialNumber', owners('pseudonymize', 'Device')],
  ['distinctIdentifier', owners('pseudonymize', 'Device')],
  ['preAuthRef', owners('pseudonymize', 'Claim.insurance', 'ClaimResponse', 'ExplanationOfBenefit', 'ExplanationOfBenefit.insurance', 'CoverageEligibilityResponse')],
  ['altId', owners('pseudonymize', 'AuditEvent.agent')],
  ['carrierHRF', owners('remove', 'Device.udiCarrier')],
  ['author', owners('remove', 'Annotation')],
  ['address', owners('remove', 'AuditEvent.agent.network')],
  ['value', new Map([...owners('remove', 'AuditEvent.entity.detail'), ...owners('pseudonymize', 'Coverage.class')])],
  ['name', new Map([...owners('remove', 'AuditEvent.agent', 'AuditEvent.entity', 'FamilyMemberHistory'), ...owners('clean', 'Account', 'CareTeam', 'Group')])],
]);

function owners(rule: ElementRule, ...types: string[]): Map<string, ElementRule> {
  return new Map(types.map((t) => [t, rule]));
}

/** Resource types whose `photo` holds a picture of a person. */
const PEOPLE = new Set(['Patient', 'Practitioner', 'RelatedPerson', 'Person']);

class Walker {
  /** Report keys of the current path, parallel to it. */
  #keys: string[] = [];
  /** The outermost resource, whose contained resources `#id` references point at. */
  #outer: Json | undefined;
  /** The resource whose birthDate (bornDate) became the "90 or older" category: its `_birthDate` (a birth time) goes too. */
  #over89Birth: Json | undefined;
  /** Types of the outer resource (`''`) and its contained resources by id, made at the first `#id` display. */
  #contained: Map<string, string> | undefined;
  readonly #children: ChildCache;
  readonly #keptWhole: KeptWhole;
  constructor(readonly env: FhirEnv, readonly st: ResourceState) {
    this.#children = new ChildCache(env.plan);
    this.#keptWhole = (path, type, parentIsResource) => decideKeptWhole(env.plan, path, type, parentIsResource);
  }

  key(): string {
    return this.#keys[this.#keys.length - 1]!;
  }

  /**
   * A nested resource: `contained` ones share the container's patient and
   * state; any other (Bundle.entry.resource, Parameters…) is a record of its
   * own, with its own patient, date shift and security labels.
   */
  nested(res: Json, seg: Seg, inherited: FieldAction | undefined, parent: Json): LeafResult {
    const type = res.resourceType;
    if (typeof type !== 'string' || !isResourceType(type)) return this.st.count(`${seg.jsonName}`, 'removed', REMOVE);
    if (seg.name !== 'contained') {
      const fullUrl = typeof parent.fullUrl === 'string' ? parent.fullUrl : undefined;
      return inherited ? new Walker(this.env, this.st).root(res, inherited) : deidentifyResource(res, this.env, fullUrl ? { fullUrl } : {});
    }
    return this.root(res, inherited);
  }

  root(res: Json, inherited: FieldAction | undefined): LeafResult {
    const type = res.resourceType as string;
    this.#outer ??= res;
    return this.at([type], () => this.complex(res, type, [{ name: type, jsonName: type, type }], inherited, true));
  }

  /** Runs `f` with a fresh report-key stack (a nested resource starts its own paths). */
  at<T>(keys: string[], f: () => T): T {
    const saved = this.#keys;
    this.#keys = keys;
    try {
      return f();
    } finally {
      this.#keys = saved;
    }
  }

  /**
   * A Coding of a local code system or of none. Its display is terminology, but a local one can
   * hold the patient's own name or MRN ("Result for John Smith"): those values are scrubbed from
   * it, nothing else. A local code, or a code without a system, is whatever its sender typed: one
   * holding them goes (a code with a part replaced is no code), as does a version holding them
   * (`versionWithoutContext`, also for published systems).
   * Done here, once per Coding, so the display and code leaves of published systems (most of a
   * record) stay on the kept-whole path.
   */
  localCoding(obj: Json): Json {
    const st = this.st;
    let out = obj;
    if (typeof obj.display === 'string') {
      const v = st.scrubContext(obj.display, `${this.key()}.display`);
      if (v !== obj.display) out = { ...out, display: v };
    }
    out = this.versionWithoutContext(out);
    return this.codeWithoutContext(out);
  }

  /** A code of the sender's own that holds the patient's values goes (a code with a part replaced is no code). */
  codeWithoutContext(obj: Json): Json {
    return this.withoutContext(obj, 'code');
  }

  /** `obj` without its string member `name` when that holds the patient's values (counted and labelled). */
  withoutContext(obj: Json, name: 'code' | 'version'): Json {
    const v = obj[name];
    if (typeof v !== 'string' || !this.st.hasContextValue(v)) return obj;
    const rest = { ...obj };
    delete rest[name];
    this.st.label('REDACTED');
    this.st.count(`${this.key()}.${name}`, 'removed', 0);
    return rest;
  }

  /**
   * A quantity's units. The unit is the human-readable form of its code:
   * typed in by hand, it can name the patient. A unit system other than a
   * published one (UCUM) is the sender's, read as a local code system is
   * (its URI, and its code for the patient's values). Done here, once per
   * quantity, so a UCUM quantity whose unit is its code (most of them) stays
   * on the kept-whole path. (CLEAN_ALL cleans the unit as any string.)
   */
  quantityUnits(obj: Json): Json {
    const plan = this.env.plan;
    const published = isPublishedTerminology(obj.system);
    if (!published && typeof obj.system === 'string') obj = this.localSystem(obj, obj.system);
    if (!plan.contextualDeid) return obj;
    if (typeof obj.unit === 'string' && (obj.unit !== obj.code || !published) && plan.profile === 'BASIC') {
      const unit = this.st.scrubContext(obj.unit, `${this.key()}.unit`);
      if (unit !== obj.unit) obj = { ...obj, unit };
    }
    return published ? obj : this.codeWithoutContext(obj);
  }

  /**
   * A local code system's URI is whatever its sender made it, and can be
   * built from the patient's values (`http://ehr.example.org/results/QuenbyZyxwood`)
   * or carry words after a space: pseudonymised as an Identifier's system is
   * (ResourceState.localSystem), so the codings of one system still share one.
   */
  localSystem(obj: Json, system: string): Json {
    const v = this.st.localSystem(system);
    if (v === system) return obj;
    this.st.label('PSEUDED');
    this.st.count(`${this.key()}.system`, 'pseudonymized', 0);
    return { ...obj, system: v };
  }

  /**
   * A Coding's version is whatever its sender wrote, of a local system or of
   * a published one ("2.74", or a name typed where a version goes): one that
   * holds the patient's values goes.
   */
  versionWithoutContext(obj: Json): Json {
    return this.withoutContext(obj, 'version');
  }

  complex(obj: Json, type: string, path: Seg[], inherited: FieldAction | undefined, isResource = false): LeafResult {
    if (!isResource && this.st.env.plan.profile !== 'KEEP_ALL' && (type === 'Age' || (QUANTITIES.has(type) && (/age/i.test(path[path.length - 1]!.name) || isTimeOver89Years(obj))))) {
      const copy = { ...obj };
      if (generalizeAge(copy)) {
        this.st.label('ABSTRED');
        this.st.count(this.key(), 'generalized', 0);
        obj = copy;
      }
    }
    if (type === 'Coding' && this.st.env.plan.profile !== 'KEEP_ALL') {
      const published = isPublishedTerminology(obj.system);
      if (!published && typeof obj.system === 'string') obj = this.localSystem(obj, obj.system);
      if (this.st.env.plan.contextualDeid) {
        if (!published) obj = this.localCoding(obj);
        else if (obj.version !== undefined) obj = this.versionWithoutContext(obj);
      }
    }
    if (UNIT_OWNERS.has(type) && this.st.env.plan.profile !== 'KEEP_ALL') obj = this.quantityUnits(obj);
    // The output object is made at the first member that differs from the
    // input (removed or changed); a subtree that comes out unchanged is the
    // input's own object, so most Codings, Quantities and the like are not
    // copied. A resource is always a new object (security labels go on it).
    let out: Json | undefined;
    let kept = 0;
    /** `_x` members kept in place until their primitive's result is known. */
    let primitiveExtensions: string[] | undefined;
    const parentKey = this.key();
    const children = this.#children.of(type, parentKey, isResource);
    // With no rule that could match and no inherited action, a primitive the
    // profile keeps whatever its value (ChildElement.keptAs) is kept here,
    // without the path bookkeeping: most leaves of a record are such.
    const profileOnly = inherited === undefined && this.env.rules === undefined;
    for (const key in obj) {
      if (!Object.hasOwn(obj, key)) continue;
      const value = obj[key];
      if (isResource && key === 'resourceType') {
        if (out) out[key] = value;
        kept++;
        continue;
      }
      if (key.charCodeAt(0) === 95 /* _ */) {
        // Primitive extensions and ids (`_birthDate`): kept only when extensions are,
        // and then de-identified after their primitive (below).
        // `__proto__` would set the output's prototype, not a member: never kept.
        if (this.env.plan.keepExtensions && key !== '__proto__' && obj[key.slice(1)] !== undefined && elementsOf(type).has(key.slice(1))) {
          out ??= membersBefore(obj, key);
          out[key] = value;
          (primitiveExtensions ??= []).push(key);
          kept++;
        } else {
          out ??= membersBefore(obj, key);
          // A key that names no element of the type is record content: it is not copied into the report.
          this.st.count(elementsOf(type).has(key.slice(1)) ? `${parentKey}.${key}` : `${parentKey}.(unknown element)`, 'removed', 0);
        }
        continue;
      }
      const child = children.get(key, path, this.#keptWhole);
      if (child === undefined) {
        out ??= membersBefore(obj, key);
        this.st.count(`${parentKey}.(unknown element)`, 'removed', 0);
        continue;
      }
      if (profileOnly && child.keptAs !== undefined && typeof value === child.keptAs && (child.codes === undefined || child.codes.has(value as string)) && (child.shape === undefined || child.shape.test(value as string))) {
        if (out) out[key] = value;
        kept++;
        continue;
      }
      const info = child.info;
      path.push(info.seg);
      this.#keys.push(child.key);
      // A bound code or a shaped value is checked in profileLeaf (an array's items one by one).
      const r = this.element(value, info.type, info.array, path, inherited, obj, isResource, child.keptAs !== undefined && child.codes === undefined && child.shape === undefined);
      this.#keys.pop();
      path.pop();
      if (r !== value) out ??= membersBefore(obj, key);
      if (r !== REMOVE) {
        if (out) out[key] = r;
        kept++;
      }
    }
    if (primitiveExtensions) {
      for (const key of primitiveExtensions) {
        const r = this.primitiveExtension(obj, out!, key, elementsOf(type).get(key.slice(1))!, path, inherited);
        if (r === REMOVE) {
          delete out![key];
          kept--;
        } else out![key] = r;
      }
    }
    if (!out) out = isResource || !isPlainObject(obj) ? membersBefore(obj, undefined) : obj;
    if (type === 'Attachment' && out !== obj && out.data !== obj.data) digestFollowsData(out);
    if (kept === 0 || (!isResource && onlyId(out))) return REMOVE;
    // An extension whose value and extensions were all removed would be only its url (invalid FHIR).
    if (type === 'Extension' && out !== obj && onlyUrlAndId(out)) return this.st.count(parentKey, 'removed', REMOVE);
    // Bundle.link.url is 1..1 (R4 Bundle): a link whose url was removed (PHI in it) points nowhere and goes whole.
    if (type === 'Bundle.link' && out !== obj && out.url === undefined && obj.url !== undefined) return this.st.count(parentKey, 'removed', REMOVE);
    return out;
  }

  /** `kept`: the element is a primitive the profile keeps whatever its value (ChildElement.keptAs). */
  element(value: unknown, type: string, array: boolean, path: Seg[], inherited: FieldAction | undefined, parent: Json, parentIsResource: boolean, kept: boolean): LeafResult {
    if (Array.isArray(value)) {
      if (!array) return this.st.count(this.key(), 'removed', REMOVE);
      // as in complex(): a new array only once an item differs
      let items: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = value[i];
        const r = this.one(v, type, path, inherited, parent, parentIsResource, kept);
        if (r !== v) items ??= value.slice(0, i);
        if (r !== REMOVE && items) items.push(r);
      }
      if (!items) return value.length ? value : REMOVE;
      return items.length ? items : REMOVE;
    }
    return this.one(value, type, path, inherited, parent, parentIsResource, kept);
  }

  one(value: unknown, type: string, path: Seg[], inherited: FieldAction | undefined, parent: Json, parentIsResource: boolean, kept: boolean): LeafResult {
    if (value === null || value === undefined) return REMOVE;
    const seg = path[path.length - 1]!;
    // First rule in config order that matches the node or one of its ancestors.
    const rules = this.env.rules;
    const idx = rules ? rules.matchInheritedIndex(path) : -1;
    const action = idx >= 0 ? rules!.rules[idx]!.action : inherited;
    // keep/remove settle a whole element at once, unless an earlier rule may
    // still name something inside it: then its leaves decide one by one.
    const whole = idx <= 0 || isPrimitiveType(type) || type === 'Resource';
    if (action?.kind === 'keep' && whole) return value;
    if (action?.kind === 'remove' && whole) return this.st.count(this.key(), 'removed', REMOVE);

    if (type === 'Resource') {
      if (typeof value !== 'object' || Array.isArray(value)) return this.st.count(this.key(), 'removed', REMOVE);
      return this.nested(value as Json, seg, action, parent);
    }
    if (isPrimitiveType(type)) {
      if (!fitsPrimitive(type, value)) return this.st.count(this.key(), 'removed', REMOVE);
      // Extension.url names the extension's definition, not record content: a rule
      // that transforms the element around it (keep and remove are settled above) leaves it.
      if (action && seg.name === 'url' && path.length >= 2 && path[path.length - 2]!.type === 'Extension') return value;
      if (action) return applyLeafAction(action, value, type, this.st, this.key());
      if (kept) return value;
      return this.profileLeaf(value, type, path, parent, parentIsResource);
    }
    if (typeof value !== 'object' || Array.isArray(value)) return this.st.count(this.key(), 'removed', REMOVE);
    if (!action && (seg.name === 'extension' || seg.name === 'modifierExtension')) {
      if (!this.env.plan.keepExtensions) return this.st.count(this.key(), 'removed', REMOVE);
      // Kept extensions still lose what places a person more finely than a state (an Address's
      // own extensions: geolocation, census tract, street parts; a geolocation anywhere) and
      // the extensions whose value is a name (a mother's maiden name).
      const url = (value as Json).url;
      if (this.env.plan.profile !== 'KEEP_ALL' && (path[path.length - 2]?.type === 'Address' || url === GEOLOCATION_URL || url === MAIDEN_NAME_URL)) {
        return this.st.count(this.key(), 'removed', REMOVE);
      }
    }
    if (!action && this.env.plan.profile !== 'KEEP_ALL' && type === 'Attachment' && seg.name === 'photo' && PEOPLE.has(path[0]!.type)) {
      return this.st.count(this.key(), 'removed', REMOVE);
    }
    let obj = value as Json;
    if (!action && this.env.plan.profile !== 'KEEP_ALL' && type === 'Attachment') obj = this.attachment(obj, path);
    return this.complex(obj, type, path, action);
  }

  /**
   * The `_x` member of primitive `x` (its id and extensions): walked as an
   * Element at `x`'s path, so `x`'s rule and the profile apply to the
   * extensions' values too. Removed with `x`, when it is not a primitive's,
   * and when a repeating `x` lost items (its `_x` items would no longer line up).
   */
  primitiveExtension(obj: Json, out: Json, key: string, info: ElementInfo, path: Seg[], inherited: FieldAction | undefined): LeafResult {
    const base = key.slice(1);
    const parentKey = this.key();
    const countKey = `${parentKey}.${key}`;
    const value = obj[key];
    const result = Object.hasOwn(out, base) ? out[base] : REMOVE;
    if (result === REMOVE || !isPrimitiveType(info.type) || ((base === 'birthDate' || base === 'bornDate') && obj === this.#over89Birth)) return this.st.count(countKey, 'removed', REMOVE);
    const source = obj[base];
    if (info.array && !(Array.isArray(value) && Array.isArray(source) && Array.isArray(result) && value.length === source.length && result.length === source.length)) {
      return this.st.count(countKey, 'removed', REMOVE);
    }
    const walk = (v: unknown): LeafResult => {
      if (v === null && info.array) return null;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return REMOVE;
      return this.complex(v as Json, 'Element', path, inherited);
    };
    path.push(info.seg);
    this.#keys.push(`${parentKey}.${base}`);
    try {
      if (!info.array) {
        const r = walk(value);
        return r === REMOVE ? this.st.count(countKey, 'removed', REMOVE) : r;
      }
      const items = (value as unknown[]).map((v) => {
        const r = walk(v);
        return r === REMOVE ? null : r;
      });
      return items.some((v) => v !== null) ? items : this.st.count(countKey, 'removed', REMOVE);
    } finally {
      this.#keys.pop();
      path.pop();
    }
  }

  /** Inline attachment data: text/* is cleaned, anything else removed; size and hash follow. */
  attachment(att: Json, path: Seg[]): Json {
    if (typeof att.data !== 'string') return att;
    const key = `${this.key()}.data`;
    const ct = typeof att.contentType === 'string' ? att.contentType.toLowerCase() : '';
    const out = { ...att };
    const cleaned = ct.startsWith('text/') ? this.st.cleanBase64Text(att.data, key) : undefined;
    if (cleaned === undefined) {
      delete out.data;
      digestFollowsData(out);
      this.st.count(key, 'removed', 0);
      return out;
    }
    if (cleaned !== att.data) {
      out.data = cleaned;
      digestFollowsData(out);
    }
    return out;
  }

  /** BASIC / CLEAN_ALL / KEEP_ALL for a primitive no rule matched. */
  profileLeaf(value: unknown, type: string, path: Seg[], parent: Json, parentIsResource: boolean): LeafResult {
    const plan = this.env.plan;
    const seg = path[path.length - 1]!;
    const name = seg.name;
    const owner = path.length >= 2 ? path[path.length - 2]!.type : '';
    const key = this.key();
    const st = this.st;

    // Ids and references (beyond Google): pseudonymised in every profile unless turned off.
    if (plan.pseudonymizeIds && typeof value === 'string') {
      if (name === 'id' && parentIsResource) {
        st.label('PSEUDED');
        return st.count(key, 'pseudonymized', this.env.keyed.fhirId(value));
      }
      if (owner === 'Reference' && name === 'reference') return this.pseudo(pseudonymizeReference(value, this.env.keyed, this.env.text), key);
      if (owner === 'Bundle.entry' && name === 'fullUrl') return this.pseudo(pseudonymizeFullUrl(value, this.env.keyed, this.env.text), key);
      if (owner === 'Bundle.entry.request' && name === 'url') return this.pseudo(pseudonymizeRequestUrl(value, this.env.keyed, this.env.text), key);
      if (owner === 'Bundle.entry.request' && name === 'ifNoneExist') return this.pseudo(pseudonymizeRequestUrl(`X?${value}`, this.env.keyed, this.env.text)?.slice(2), key);
      if (owner === 'Bundle.entry.response' && name === 'location') return this.pseudo(pseudonymizeReference(value, this.env.keyed, this.env.text), key);
      // an Attachment's url may point at a resource (`Binary/123`): that id is pseudonymised as the Binary's own is
      if (owner === 'Attachment' && name === 'url' && isResourceUrl(value)) return this.pseudo(pseudonymizeReference(value, this.env.keyed, this.env.text), key);
      // DICOM UIDs of an ImagingStudy become the UIDs `deid dicom` gives the
      // instances themselves (keyed.uid), so study, series and instance stay linked.
      if (path[0]!.type === 'ImagingStudy') {
        if (name === 'uid' && (owner === 'ImagingStudy.series' || owner === 'ImagingStudy.series.instance')) {
          return this.pseudo(DICOM_UID.test(value) ? this.env.keyed.uid(value) : undefined, key);
        }
        if (owner === 'Identifier' && name === 'value' && value.startsWith('urn:oid:')) {
          const oid = value.slice(8);
          return this.pseudo(DICOM_UID.test(oid) ? `urn:oid:${this.env.keyed.uid(oid)}` : undefined, key);
        }
      }
      if (owner === 'Bundle.link' && name === 'url') {
        const v = pseudonymizeLinkUrl(value, this.env.keyed, this.env.text);
        if (v === undefined) return st.count(key, 'removed', REMOVE);
        if (v === value) return value;
        const cut = value.search(/[?#]/);
        if (cut < 0 || v !== value.slice(0, cut)) st.label('PSEUDED');
        return st.count(key, cut < 0 || v !== value.slice(0, cut) ? 'pseudonymized' : 'query-removed', v);
      }
    }
    if (plan.profile === 'KEEP_ALL') return value;

    // A code outside the value set its element is bound to (required binding)
    // is not a valid code but free text in a code's place: removed.
    if (type === 'code' && typeof value === 'string') {
      const codes = elementsOf(owner).get(seg.jsonName)?.codes;
      if (codes !== undefined && !codes.has(value)) return st.count(key, 'removed', REMOVE);
    }
    // Nor is a value of another shape than its element's syntax or code system gives (primitive-shapes.ts).
    if (typeof value === 'string' && shapeOf(type, name, owner)?.test(value) === false) return st.count(key, 'removed', REMOVE);

    // A namespace some senders build from the record's values (identifier-system.ts), the patient's own included.
    if (owner === 'Identifier' && name === 'system' && typeof value === 'string') {
      const v = pseudonymizeSystem(value, this.env.keyed, this.env.text, plan.contextualDeid ? (part) => st.hasContextValue(part) : undefined);
      if (v === value) return value;
      st.label('PSEUDED');
      return st.count(key, 'pseudonymized', v);
    }
    // A system's address or a definition a record follows, as the sender wrote it (uriRule).
    const uri = uriRule(type, name, owner);
    if (uri !== undefined && typeof value === 'string') {
      // a definition is read as a local code system is, with its memo (ResourceState.localSystem)
      const v = uri === 'endpoint' ? pseudonymizeEndpoint(value, this.env.keyed, this.env.text, plan.contextualDeid ? (part) => st.hasContextValue(part) : undefined) : st.localSystem(value);
      if (v === value) return value;
      st.label('PSEUDED');
      return st.count(key, 'pseudonymized', v);
    }
    // A resource's tags are whatever its sender wrote (no code system binds them):
    // a code or display with PHI in it goes, read also with camelCase split (`JohnSmith`).
    if (owner === 'Coding' && (name === 'code' || name === 'display') && typeof value === 'string' && isMetaTag(path)) {
      const words = asWords(value);
      return st.keepUnlessFindings(value, key, words !== value ? words : undefined);
    }
    // A profile a record claims is a definition's canonical URL, not record content, but a sender
    // can build one from the patient's values (`…/StructureDefinition/Smith`): such a claim goes.
    if (owner === 'Meta' && name === 'profile' && typeof value === 'string') return plan.contextualDeid ? st.keepUnlessContext(value, key) : value;
    // A code, id, oid, uuid or canonical value[x] (a kept extension's, a task's input or output, a parameter's) is whatever its sender put there: one holding the patient's values goes.
    if (name === 'value' && CODE_LIKE.has(type) && typeof value === 'string') return plan.contextualDeid ? st.keepUnlessContext(value, key) : value;
    if (plan.contextualDeid && typeof value === 'string' && isMediaType(type, name, owner)) return st.keepUnlessContext(value, key);
    // Safe Harbor (A) names, (D)-(F) telephone, fax, email: every part of these types.
    const nameOwner = innermostNameOrContact(path);
    if (nameOwner) {
      if (!(nameOwner.type === 'ContactPoint' && (name === 'system' || name === 'use')) && !(nameOwner.type === 'HumanName' && name === 'use')) {
        return st.count(key, 'removed', REMOVE);
      }
      return value;
    }
    // (B) geographic subdivisions smaller than a state, and their geocodes.
    if (owner === 'Location.position') return st.count(key, 'removed', REMOVE);
    if (owner === 'Address') {
      if (name === 'use' || name === 'type') return value;
      if (name === 'state' || name === 'country') return typeof value === 'string' && plan.contextualDeid ? this.region(value, key) : value;
      if (name === 'postalCode' && typeof value === 'string') {
        const z = generalizeZip(value);
        if (z === undefined) return st.count(key, 'removed', REMOVE);
        st.label('ABSTRED');
        return st.count(key, 'generalized', z);
      }
      if (!DATE_TYPES.has(type)) return st.count(key, 'removed', REMOVE);
    }
    // (H)-(K), (R): record numbers, account numbers, any other unique identifying number.
    if (owner === 'Identifier' && name === 'value' && typeof value === 'string') {
      st.label('PSEUDED');
      return st.count(key, 'pseudonymized', this.env.keyed.identifier(value));
    }
    const rule = ELEMENT_RULES.get(name)?.get(owner);
    if (rule === 'remove') return st.count(key, 'removed', REMOVE);
    if (rule === 'header' && typeof value === 'string') return this.header(value, key);
    if (rule === 'criteria' && typeof value === 'string') {
      const v = pseudonymizeCriteria(value, this.env.keyed, this.env.text);
      if (v === undefined) return st.count(key, 'removed', REMOVE);
      if (v !== value) {
        st.label('PSEUDED');
        st.count(key, 'pseudonymized', 0);
      }
      return st.scrubStructured(v, key);
    }
    if (rule !== undefined && typeof value === 'string') {
      if (rule === 'clean') return st.cleanText(value, key);
      st.label('PSEUDED');
      return st.count(key, 'pseudonymized', this.env.keyed.identifier(value));
    }
    if (owner === 'Reference' && name === 'display' && typeof value === 'string') {
      if (mayNamePerson(parent, () => (this.#contained ??= containedTypes(this.#outer)))) return st.count(key, 'removed', REMOVE);
      return st.cleanText(value, key);
    }
    // (N) web URLs and email addresses held as data: an Attachment's url, a uri or
    // url answer or parameter value (`mailto:…`). Through the text detectors; one
    // they change is removed, as a URL with a part replaced is no URL.
    if (typeof value === 'string' && isDataUrl(type, name, owner)) return st.keepUnlessFindings(value, key);
    // (C) a birth date telling an age over 89 becomes the one category "90 or older" (a relative's too).
    if ((name === 'birthDate' || (name === 'born' && owner === 'FamilyMemberHistory')) && typeof value === 'string') {
      const year = birthDateOver89(value, plan.ageReferenceDate, parent.deceasedDateTime ?? parent.deceasedDate);
      if (year !== undefined) {
        this.#over89Birth = parent;
        st.label('ABSTRED');
        return st.count(key, 'generalized', year);
      }
    }
    // (C) all elements of dates except the year — shifted whole, keeping intervals.
    if (DATE_TYPES.has(type) && typeof value === 'string') return shiftOrRemove(value, st, key);
    if (type === 'base64Binary') {
      if (path[0]!.type === 'Binary' && name === 'data' && typeof value === 'string') {
        const ct = typeof parent.contentType === 'string' ? parent.contentType.toLowerCase() : '';
        const cleaned = ct.startsWith('text/') ? st.cleanBase64Text(value, key) : undefined;
        if (cleaned !== undefined) return cleaned;
      }
      if (owner === 'Attachment' && name === 'data') return value; // already handled by attachment()
      return st.count(key, 'removed', REMOVE);
    }
    if (type === 'xhtml' && typeof value === 'string') return st.cleanXhtml(value, key);
    // (C) an age told in words is an Age: over 89, the one category.
    if (seg.jsonName === 'ageString' && typeof value === 'string' && isAgeTextOver89(value)) {
      st.label('ABSTRED');
      return st.count(key, 'generalized', AGE_TEXT_CATEGORY);
    }
    if (typeof value === 'string' && (type === 'markdown' || (type === 'string' && (plan.profile === 'CLEAN_ALL' || FREE_TEXT.has(seg.jsonName) || FREE_TEXT.has(name) || owner === 'Annotation')))) {
      // a display of a local code system has lost the patient's values in localCoding
      if (owner === 'Coding' && name === 'display') return value;
      return st.cleanText(value, key);
    }
    // Any other string (lotNumber, a product's name…): contextual values, dates, emails and SSNs.
    if (typeof value === 'string' && type === 'string' && !NOT_CONTEXTUAL.has(owner)) return st.scrubStructured(value, key);
    return value;
  }

  /**
   * An Address's state or country stays (Safe Harbor (B) keeps the state), but a sender can type
   * the patient's name or number where it goes: a value holding them goes, unless it is the name
   * of a US state or a country, or a two- or three-letter code (`Georgia`, `VA` stay for a patient
   * named Georgia or Va). Where the patient lives is not looked for: a city may share its state's name.
   */
  region(value: string, key: string): LeafResult {
    if (!this.st.hasPersonValue(value) || isRegionName(value)) return value;
    this.st.label('REDACTED');
    return this.st.count(key, 'removed', REMOVE);
  }

  /** An HTTP header field (endpoint-address.ts): a credential's value replaced, a field we cannot read removed. */
  header(value: string, key: string): LeafResult {
    const f = headerField(value);
    if (f.plain) return this.st.scrubStructured(value, key);
    if (f.value === value) return value;
    this.st.label('REDACTED');
    return f.value === undefined ? this.st.count(key, 'removed', REMOVE) : this.st.count(key, 'cleaned', f.value);
  }

  pseudo(v: string | undefined, key: string): LeafResult {
    if (v === undefined) return this.st.count(key, 'removed', REMOVE);
    this.st.label('PSEUDED');
    return this.st.count(key, 'pseudonymized', v);
  }
}

/**
 * Whether profileLeaf returns every value at this path unchanged, whatever
 * the value (a code, a Coding's display, a number…): most leaves of a record.
 * That follows from the path alone, so it is decided once per path and plan
 * (ChildElement.keptAs). It mirrors profileLeaf's branches: any branch that
 * may change, count or look at the value makes the answer false, and
 * profileLeaf decides.
 */
function decideKeptWhole(plan: FhirPlan, path: Seg[], type: string, parentIsResource: boolean): boolean {
  const seg = path[path.length - 1]!;
  const name = seg.name;
  const owner = path.length >= 2 ? path[path.length - 2]!.type : '';
  if (plan.pseudonymizeIds) {
    if (name === 'id' && parentIsResource) return false;
    if (owner === 'Reference' && name === 'reference') return false;
    if (owner === 'Bundle.entry' && name === 'fullUrl') return false;
    if (owner === 'Bundle.entry.request' && (name === 'url' || name === 'ifNoneExist')) return false;
    if (owner === 'Bundle.entry.response' && name === 'location') return false;
    if (path[0]!.type === 'ImagingStudy' && ((name === 'uid' && (owner === 'ImagingStudy.series' || owner === 'ImagingStudy.series.instance')) || (owner === 'Identifier' && name === 'value'))) return false;
    if (owner === 'Bundle.link' && name === 'url') return false;
    if (owner === 'Attachment' && name === 'url') return false;
  }
  if (plan.profile === 'KEEP_ALL') return true;
  if (isDataUrl(type, name, owner)) return false;
  if (owner === 'Identifier' && name === 'system') return false;
  if (uriRule(type, name, owner) !== undefined) return false;
  if (owner === 'Coding' && (name === 'code' || name === 'display') && isMetaTag(path)) return false;
  if (owner === 'Meta' && name === 'profile') return !plan.contextualDeid;
  if (name === 'value' && CODE_LIKE.has(type)) return !plan.contextualDeid;
  if (isMediaType(type, name, owner)) return !plan.contextualDeid;
  const nameOwner = innermostNameOrContact(path);
  if (nameOwner) return (nameOwner.type === 'ContactPoint' && (name === 'system' || name === 'use')) || (nameOwner.type === 'HumanName' && name === 'use');
  if (owner === 'Location.position') return false;
  if (owner === 'Address') return name === 'use' || name === 'type' || ((name === 'state' || name === 'country') && !plan.contextualDeid);
  if (owner === 'Identifier' && name === 'value') return false;
  if (owner === 'Reference' && name === 'display') return false;
  if (DATE_TYPES.has(type) || type === 'base64Binary' || type === 'xhtml') return false;
  if (type === 'markdown' || (type === 'string' && (plan.profile === 'CLEAN_ALL' || FREE_TEXT.has(seg.jsonName) || FREE_TEXT.has(name) || owner === 'Annotation'))) {
    return owner === 'Coding' && name === 'display';
  }
  if (type === 'string' && !NOT_CONTEXTUAL.has(owner)) return false;
  return true;
}

/**
 * A uri or url element that holds data, not a definition's or a system's
 * name: Attachment.url, `value[x]` as uri or url, the two a sending
 * system fills with its own addresses (`meta.source`, a record's source URL
 * with the patient's ids or name in it; `implicitRules`), and a device's
 * network address (Device.url: (N) a URL, (O) an IP address).
 */
function isDataUrl(type: string, name: string, owner: string): boolean {
  if (type !== 'uri' && type !== 'url') return false;
  return (owner === 'Attachment' && name === 'url') || name === 'value' || (owner === 'Meta' && name === 'source') || name === 'implicitRules' || (owner === 'Device' && name === 'url');
}

/**
 * The uri, url and canonical elements BASIC reads here:
 * - endpoint: a system's network address, whose credentials and query go and whose
 *   host and path are read as an Identifier's system is (pseudonymizeEndpoint);
 * - definition: any other the sender wrote (the protocol, questionnaire, measure or
 *   policy a record follows, a repository, a reference's type): one holding the
 *   patient's values or whitespace (words after a URI: no URI) gets a keyed
 *   pseudonym, as a local code system does. No detector reads it: it names a
 *   document, not a person.
 * Undefined for those read elsewhere: data URLs (isDataUrl), identifier systems,
 * meta's, and the vocabularies and definitions of Coding, Quantity and Extension.
 */
function uriRule(type: string, name: string, owner: string): 'endpoint' | 'definition' | undefined {
  if (type !== 'uri' && type !== 'url' && type !== 'canonical') return undefined;
  if ((name === 'address' && owner === 'Endpoint') || (name === 'endpoint' && ENDPOINT_OWNERS.has(owner))) return 'endpoint';
  return NOT_READ_URI_OWNERS.has(owner) || isDataUrl(type, name, owner) ? undefined : 'definition';
}

const ENDPOINT_OWNERS = new Set(['Subscription.channel', 'MessageHeader.destination', 'MessageHeader.source']);
const NOT_READ_URI_OWNERS = new Set(['Coding', 'Extension', 'Meta', 'Identifier', ...UNIT_OWNERS]);

/**
 * Code systems whose displays are fixed by their publisher (SNOMED CT, LOINC,
 * HL7's, CMS Blue Button's, RxNorm, UCUM, CPT, ICD, CVX, NDC, ATC, NUCC, NUBC,
 * BCP 47, DICOM's): nothing of a patient's can be in them. Most frequent first.
 */
const PUBLISHED_SYSTEMS = [
  'http://snomed.info/', 'http://loinc.org', 'http://terminology.hl7.org/', 'http://hl7.org/fhir/', 'https://bluebutton.cms.gov/',
  'http://www.nlm.nih.gov/research/umls/', 'http://unitsofmeasure.org', 'http://www.ama-assn.org/go/cpt', 'http://www.whocc.no/atc',
  'http://nucc.org/provider-taxonomy', 'https://www.nubc.org/', 'http://www.nubc.org/', 'urn:ietf:bcp:47', 'http://dicom.nema.org/',
  'urn:oid:2.16.840.1.113883.6.', 'urn:iso:std:iso:',
];

/** What a published system's URI is made of: a space, a quote, a `?` or a `#` after a publisher's prefix is something else. */
const URI_CHARS = /^[A-Za-z0-9:/._~%-]+$/;

function isPublishedTerminology(system: unknown): boolean {
  if (typeof system !== 'string') return false;
  for (const p of PUBLISHED_SYSTEMS) if (system.startsWith(p)) return URI_CHARS.test(system);
  return false;
}

/** A state's or a country's code, or the name of a US state or a country (dictionaries.ts). */
function isRegionName(value: string): boolean {
  const v = value.trim();
  return /^[A-Za-z]{2,3}$/.test(v) || regionNames().has(fold(v).replace(/[\s,]+/g, ' '));
}

/** A Coding in `meta.tag` (of a resource or a contained one). */
function isMetaTag(path: Seg[]): boolean {
  return path.length >= 3 && path[path.length - 2]!.name === 'tag' && path[path.length - 3]!.type === 'Meta';
}

/** A type name in a reference: `Type/id`, `…/Type/id[/_history/n]`, `Type?search` (conditional). */
const REFERENCE_TYPE = /(?:^|\/)([A-Z][A-Za-z]+)(?:\/|\?)/;
const PERSON_TYPES = new Set(['Patient', 'RelatedPerson', 'Person']);

/**
 * Whether a Reference's display may name a person: its target is a Patient,
 * RelatedPerson or Person by its `reference` (plain, absolute or conditional)
 * or by its `type`, or its target type cannot be told (no reference,
 * `urn:uuid:`, `urn:oid:`, `#contained`…). Only a display whose target is
 * known to be something else goes through the text detectors.
 */
function mayNamePerson(ref: Json, contained: () => Map<string, string>): boolean {
  const declared = typeof ref.type === 'string' ? ref.type : undefined;
  if (declared !== undefined && PERSON_TYPES.has(declared)) return true;
  const r = typeof ref.reference === 'string' ? ref.reference : undefined;
  const type = (r?.startsWith('#') ? contained().get(r.slice(1)) : r === undefined ? undefined : REFERENCE_TYPE.exec(r)?.[1]) ?? declared;
  return type === undefined || PERSON_TYPES.has(type);
}

/** The resource's own type under `''` and each contained resource's type under its id. */
function containedTypes(res: Json | undefined): Map<string, string> {
  const m = new Map<string, string>();
  // Bundle members are walked without an outer resource (Bundle.signature.who)
  if (!res) return m;
  m.set('', res.resourceType as string);
  if (Array.isArray(res.contained)) {
    for (const c of res.contained as unknown[]) {
      const o = c as Json | null;
      if (o && typeof o === 'object' && typeof o.id === 'string' && typeof o.resourceType === 'string') m.set(o.id, o.resourceType);
    }
  }
  return m;
}

/** The innermost HumanName or ContactPoint segment of the path (Safe Harbor A, D-F), if any. */
function innermostNameOrContact(path: Seg[]): Seg | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const t = path[i]!.type;
    if (t === 'HumanName' || t === 'ContactPoint') return path[i];
  }
  return undefined;
}

/** A new object with the members of `obj` before `stop` (all of them when undefined), in order. */
function membersBefore(obj: Json, stop: string | undefined): Json {
  const out: Json = {};
  for (const key in obj) {
    if (key === stop) break;
    if (Object.hasOwn(obj, key)) out[key] = obj[key];
  }
  return out;
}

function isPlainObject(o: Json): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return proto === Object.prototype || proto === null;
}

function onlyId(o: Json): boolean {
  for (const k in o) if (k !== 'id') return false;
  return true;
}

function onlyUrlAndId(o: Json): boolean {
  for (const k in o) if (k !== 'id' && k !== 'url') return false;
  return true;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * An Attachment whose `data` changed: `size` and `hash` (SHA-1 of the bytes,
 * base64) describe the new bytes. With the data removed, or replaced by
 * something that is not base64, they go: a hash of the original bytes is a
 * fingerprint of them.
 */
function digestFollowsData(att: Json): void {
  if (typeof att.data === 'string' && BASE64.test(att.data)) {
    const bytes = Buffer.from(att.data, 'base64');
    if (att.size !== undefined) att.size = bytes.length;
    if (att.hash !== undefined) att.hash = sha1Base64(bytes);
    return;
  }
  delete att.size;
  delete att.hash;
}
