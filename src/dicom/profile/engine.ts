import { bornOver89 } from '../../core/age-over-89.js';
import { shiftDicomDA, shiftDicomDT } from '../../core/dates.js';
import { DeidError } from '../../core/errors.js';
import type { Keyed } from '../../core/keyed.js';
import type { TextDeidConfig } from '../../text/types.js';
import { dictionaryAllowsVR, implicitVR, lookupTag } from '../dictionary.js';
import type { EditDecision, EditRule, ElementView } from '../edit.js';
import { formatTag } from '../tags.js';
import type { Path } from '../tokens.js';
import { textCodec } from '../charset.js';
import { CharsetScopes } from '../charset-scopes.js';
import { decodeValue, valueChars, valueText } from '../value.js';
import { KEPT_TEXT_VRS, withoutContextValues } from './context-in-kept-text.js';
import { dummyValue } from './dummy.js';
import { minimalTags } from './minimal-tags.js';
import type { DicomPlan, TagAction, TagActionKind } from './plan.js';
import { resolveAction, type ProfileAction } from './resolve-action.js';
import type { InstanceFacts } from './scan-instance.js';
import { isPrivateCreatorTag, isSafeCreator, PrivateCreators, safePrivateRow } from './safe-private.js';
import { profileMaskRows, profileRow, profileRows } from './table.js';
import { hasSyntax, parsesAsVR, readsAsVR } from './value-syntax.js';
import { contentTreatment, DATE_TIME, inContentItem, isCodedEntry } from './structured-content.js';
import type { TextCleaner } from './text-cleaner.js';
import { isDefinitionUidAttribute, regenerateUidValue } from './uids.js';

/** Everything the rule of one instance reads. */
export interface InstanceEnv {
  plan: DicomPlan;
  keyed: Keyed;
  /** The text config cleanText was bound to (informative). */
  text?: TextDeidConfig;
  /** The text detectors; present when the plan can clean text (see planCleansText). */
  cleanText?: TextCleaner;
  facts: InstanceFacts;
  /** Days to shift DA/DT by (keyed on the patient). */
  shiftDays: number;
  /** `keyword: action` → count, for the report. */
  counts: Map<string, number>;
  /** Private creators seen so far (set by profileRule; Retain Safe Private reads it). */
  creators?: PrivateCreators;
  /** Specific Character Set of the element being decided (set by profileRule; text is read and written under it). */
  charset?: string | undefined;
}

const PATIENT_ID = 0x00100020;
const PATIENT_BIRTH_DATE = 0x00100030;
const SPECIFIC_CHARACTER_SET = 0x00080005;
const METHOD_TAGS = new Set([0x00120062, 0x00120063, 0x00120064]);
/** Google DEIDENTIFY_TAG_CONTENTS and cleanTextTag: the VRs whose text is inspected. */
export const CLEAN_TEXT_VRS = new Set(['AE', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT', 'DA', 'DT', 'AS']);
const NUMERIC_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'UV', 'SV', 'DS', 'IS', 'AT']);
/** VRs whose value is free text, a name or an identifier. */
const TEXT_VRS = new Set(['AE', 'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UR', 'UT']);
const OVERLAY_DATA_MASK = 0xff00ffff;
const OVERLAY_DATA = 0x60003000;

type Decision = EditDecision;

/**
 * The PS3.15 / Google profile of one instance as an EditRule: a pure function
 * of (element, path) and the instance env. Called at every depth; sequences
 * are descended unless removed or emptied.
 */
export function profileRule(instanceEnv: InstanceEnv): EditRule {
  const creators = new PrivateCreators();
  const env: InstanceEnv = { ...instanceEnv, creators };
  const charsets = new CharsetScopes(env.facts.charset);
  const { plan } = env;
  const count = (el: ElementView, what: string): void => {
    const k = countKey(el.isPrivate ? '(private)' : el.keyword ?? formatTag(el.tag), what);
    env.counts.set(k, (env.counts.get(k) ?? 0) + 1);
  };

  /**
   * An overlay without its OverlayData is invalid (PS3.3 C.9.2: Type 1), so
   * when the plan removes the data of an overlay the instance has, the whole
   * group goes, from its first element on.
   */
  const dropOverlay = new Set<number>();
  for (const g of env.facts.overlayGroups) {
    const data: ElementView = {
      tag: ((g << 16) | 0x3000) >>> 0, keyword: 'OverlayData', vr: 'OW', length: 0, kind: 'value', value: undefined, isPrivate: false, bigEndian: false,
    };
    if (decideElement(data, [], false) === 'remove') dropOverlay.add(g);
  }

  return (el: ElementView, path: Path): Decision => {
    if (el.isPrivate) {
      creators.enter(path);
      if (isPrivateCreatorTag(el.tag) && el.value) creators.note(el.tag, valueText(el.value));
    }
    if (path.length === 0 && dropOverlay.has(el.tag >>> 16) && isOverlayGroup(el.tag)) {
      count(el, 'removed');
      return 'remove';
    }
    if (el.tag === SPECIFIC_CHARACTER_SET && el.value) charsets.note(path, valueText(el.value));
    env.charset = charsets.at(path);
    return decideElement(el, path);
  };

  function decideElement(el: ElementView, path: Path, counting = true): Decision {
    // Bytes that were never read (a UN sequence that is not items): no action can keep them.
    if (el.kind === 'unreadable') {
      if (counting) count(el, 'removed (unreadable)');
      return 'remove';
    }
    const vr = effectiveVR(el);
    // Group lengths go stale once values change size (retired outside group 0002).
    if ((el.tag & 0xffff) === 0) return 'remove';
    // Command (0000) and file meta (0002) elements belong to a DIMSE message (PS3.7) and to the
    // file meta (PS3.10), not to a dataset: found in one, they are not passed through.
    if (el.tag >>> 16 === 0x0000 || el.tag >>> 16 === 0x0002) {
      if (counting) count(el, 'removed');
      return 'remove';
    }
    if (plan.markDeidentified && path.length === 0 && METHOD_TAGS.has(el.tag)) return 'remove';

    for (let i = 0; i < path.length; i++) if (customFor(plan.actions, path[i]!.tag, 'SQ') === 'keep') return 'keep';
    const custom = customFor(plan.actions, el.tag, vr);
    let d: Decision;
    let what: string;
    // Indexed rather than destructured: array destructuring goes through an iterator until the code is optimized.
    const r = custom !== undefined && custom !== 'cleanImage' && !(custom === 'recurse' && el.kind !== 'sequence') ? applyCustom(custom, el, vr, env) : applyBase(el, vr, path, env);
    d = r[0];
    what = r[1];
    // custom 'keep' took the applyCustom branch above: final.
    if (custom === 'keep') return d;
    if (d === 'keep' && what !== 'retained' && vr === 'UI' && plan.regenerateUids && el.value) {
      const v = valueText(el.value);
      // A definition UID (SOP class, coding scheme) is kept when it is one; text in its place is not.
      const n = regenerateUidValue(v, env.keyed, isDefinitionUidAttribute(el.keyword));
      if (n !== v) {
        d = { replace: n };
        what = 'uid';
      }
    }
    if (el.kind === 'fragments' && d !== 'keep') d = 'remove';
    if (d !== 'keep' && counting) count(el, what);
    return d;
  }
}

/** `name: what` report keys, made once: the same few recur in every instance. */
const countKeys = new Map<string, Map<string, string>>();

function countKey(name: string, what: string): string {
  let byName = countKeys.get(what);
  if (!byName) countKeys.set(what, (byName = new Map()));
  let k = byName.get(name);
  if (k === undefined) {
    k = `${name}: ${what}`;
    if (byName.size < 65536) byName.set(name, k);
  }
  return k;
}

function isOverlayGroup(tag: number): boolean {
  const g = tag >>> 16;
  return g >= 0x6000 && g <= 0x601e && (g & 1) === 0;
}

function effectiveVR(el: ElementView): string {
  if (el.kind === 'sequence') return 'SQ';
  return el.vr === 'UN' ? implicitVR(el.tag) : el.vr;
}

/** The first v1beta1 action whose queries match the tag, its keyword or its VR. */
function customFor(actions: readonly TagAction[], tag: number, vr: string): TagActionKind | undefined {
  for (let i = 0; i < actions.length; i++) if (actions[i]!.tags.has(tag) || actions[i]!.vrs.has(vr)) return actions[i]!.kind;
  return undefined;
}

function applyCustom(kind: TagActionKind, el: ElementView, vr: string, env: InstanceEnv): [Decision, string] {
  switch (kind) {
    case 'keep': return ['keep', 'kept'];
    case 'delete': return act('X', el, vr, env);
    case 'remove': return act('Z', el, vr, env);
    case 'reset': return act('D', el, vr, env);
    // An explicit regenUidTag regenerates even when primary ids are kept.
    case 'regenUid': return vr === 'UI' ? uid(el, env, 'uid', true) : ['keep', 'kept'];
    case 'cleanText': return CLEAN_TEXT_VRS.has(vr) ? cleanText(el, env) : ['keep', 'kept'];
    case 'recurse': return ['keep', 'kept'];
    default: return ['keep', 'kept'];
  }
}

function applyBase(el: ElementView, vr: string, path: Path, env: InstanceEnv): [Decision, string] {
  const { plan } = env;
  switch (plan.base) {
    case 'KEEP_ALL':
      return ['keep', 'kept'];
    case 'MINIMAL_KEEP':
      return path.length > 0 || minimalTags().has(el.tag) ? ['keep', 'kept'] : ['remove', 'removed'];
    case 'KEEP_LIST':
      return path.length > 0 || plan.tags.has(el.tag) || minimalTags().has(el.tag) ? ['keep', 'kept'] : ['remove', 'removed'];
    case 'REMOVE_LIST':
      return plan.tags.has(el.tag) || ((el.tag & OVERLAY_DATA_MASK) >>> 0) === OVERLAY_DATA ? ['remove', 'removed'] : ['keep', 'kept'];
    case 'TAG_CONTENTS':
      if (CLEAN_TEXT_VRS.has(vr)) return cleanText(el, env);
      // Content that cannot be inspected is not passed through.
      if (vr === 'UN') return ['remove', 'removed'];
      return ['keep', 'kept'];
    case 'BASIC': {
      const row = profileRow(el.tag);
      // Unlisted standard attributes are kept (PS3.15 lists every one that may identify); a tag
      // PS3.6 does not define either is of unknown meaning, so it is not passed through.
      if (!row) {
        const entry = lookupTag(el.tag);
        if (!entry) return ['remove', 'removed'];
        if (inContentItem(path)) return contentItem(el, vr, path, env);
        // A person's name by definition (its VR, or the VR PS3.6 gives it): the table lists the
        // names an IOD requires (with D); one it does not list is not needed, so it is removed.
        if (vr === 'PN' || entry.vrs.includes('PN')) return ['remove', 'removed'];
        // A date is one of HIPAA's identifiers whatever it dates (StudyUpdateDateTime,
        // ExpiryDate…): an unlisted DA or DT is treated as the table's DateTime (0040,A120).
        if (vr === 'DA' || vr === 'DT') return act(resolveAction(profileRow(DATE_TIME)!, plan.options), el, vr, env);
        // A retired attribute is in no current IOD: one the table does not list that can hold text
        // (an order number, a comment, a description of the Trial SR attributes) is not needed, so it
        // is removed rather than kept unread.
        if (entry.retired && (TEXT_VRS.has(vr) || [...TEXT_VRS].some((t) => entry.vrs.includes(t)))) return ['remove', 'removed'];
        // Inside a sequence an enabled option cleans (RequestAttributesSequence, ReasonForVisitCodeSequence
        // under Clean Descriptors...), what the table does not list is cleaned too: the sequence is kept
        // for its content, so its text is not passed through unread. The names of codes stay.
        if (path.length > 0 && !isCodedEntry(el.tag) && inCleanedSequence(path, plan)) return act('C', el, vr, env);
        // Kept as it is, but not unread: a number or time that is not one (a name in SeriesNumber) is emptied.
        if ((vr === 'IS' || vr === 'DS' || vr === 'TM') && el.kind === 'value') {
          if (!el.value) return ['remove', 'removed'];
          if (!readsAsVR(vr, valueText(el.value))) return [{ replace: Buffer.alloc(0) }, 'emptied'];
        }
        // Kept, but not with a value the profile took out of this instance (the patient's name in a segment's label).
        return keptText(el, vr, env);
      }
      const a = resolveAction(row, plan.options);
      if (el.tag === PATIENT_ID && a !== 'K' && a !== 'C') return dictionaryAllowsVR(el.tag, vr) ? pseudonymizeId(el, a, vr, env) : ['remove', 'removed'];
      // A K from the table (an option retaining this attribute) is final, UIDs included.
      if (a === 'K') return dictionaryAllowsVR(el.tag, vr) ? retain(el, vr) : ['remove', 'removed'];
      return act(a, el, vr, env);
    }
  }
}

const cleansRows = new WeakMap<DicomPlan, boolean>();

/** Whether any exact or masked row of the table (private ones aside, which the caller skips) resolves to C under the plan's options (decided once a plan; false without Clean options). */
function cleansAnyRow(plan: DicomPlan): boolean {
  let v = cleansRows.get(plan);
  if (v === undefined) {
    v = false;
    for (const row of [...profileRows().values(), ...profileMaskRows()]) if (resolveAction(row, plan.options) === 'C') v = true;
    cleansRows.set(plan, v);
  }
  return v;
}

/** Whether an enclosing sequence is one the plan's options clean (C), the Content Sequence aside. */
function inCleanedSequence(path: Path, plan: DicomPlan): boolean {
  if (!cleansAnyRow(plan)) return false;
  for (let i = 0; i < path.length; i++) {
    const row = profileRow(path[i]!.tag);
    if (row && !((path[i]!.tag >>> 16) & 1) && resolveAction(row, plan.options) === 'C') return true;
  }
  return false;
}

/**
 * An attribute of an SR content item that Table E.1-1 does not list (see
 * structured-content.ts): without Clean Structured Content a report value
 * becomes the VR's dummy (D); with it, it is cleaned (C). Dates and times
 * follow the table's DateTime (0040,A120) row under the plan's options.
 */
function contentItem(el: ElementView, vr: string, path: Path, env: InstanceEnv): [Decision, string] {
  const clean = env.plan.options.cleanStructuredContent;
  switch (contentTreatment(el.tag, vr, path)) {
    case 'keep': {
      const r = keepIfParses(el, vr);
      return r[0] === 'keep' ? keptText(el, vr, env) : r;
    }
    case 'content':
      return act(clean ? 'C' : 'D', el, vr, env);
    case 'temporal':
      return act(resolveAction(profileRow(DATE_TIME)!, env.plan.options), el, vr, env);
    case 'remove':
      return ['remove', 'removed'];
  }
}

/** PatientID → keyed.identifier (the pseudonym FHIR gives the same identifier value). */
function pseudonymizeId(el: ElementView, a: ProfileAction, vr: string, env: InstanceEnv): [Decision, string] {
  // Read as characters (src/dicom/charset.ts), as FHIR reads an Identifier.value, so the same MRN gets the same pseudonym.
  const v = el.value ? valueChars(el.value, env.charset).trim() : '';
  if (!v) return act(a, el, vr, env);
  return [{ replace: env.keyed.identifier(v) }, 'pseudonymized'];
}

/** One PS3.15 action on one element. */
export function act(a: ProfileAction, el: ElementView, vr: string, env: InstanceEnv): [Decision, string] {
  const seq = el.kind === 'sequence';
  switch (a) {
    case 'K':
      return ['keep', 'kept'];
    case 'X':
      return ['remove', 'removed'];
    case 'Z':
      return [{ replace: Buffer.alloc(0) }, 'emptied'];
    case 'RECURSE':
      return seq ? ['keep', 'kept'] : [{ replace: Buffer.alloc(0) }, 'emptied'];
    case 'D': {
      if (seq) return ['keep', 'kept'];
      if (vr === 'UI') return uid(el, env, 'dummy');
      const dummy = dummyValue(vr);
      return dummy === undefined ? ['remove', 'removed'] : [{ replace: dummy }, 'dummy'];
    }
    case 'U':
      if (vr !== 'UI') return seq ? ['keep', 'kept'] : ['remove', 'removed'];
      return uid(el, env, 'uid');
    // Shifting and cleaning read the value as its VR says: a standard
    // attribute under a VR PS3.6 does not give it (a StudyDate written as TM)
    // cannot be read that way, so it is removed.
    case 'SHIFT':
      return dictionaryAllowsVR(el.tag, vr) ? shift(el, vr, env) : ['remove', 'removed'];
    case 'C':
      return dictionaryAllowsVR(el.tag, vr) ? clean(el, vr, env) : ['remove', 'removed'];
  }
}

function uid(el: ElementView, env: InstanceEnv, what: string, force = false): [Decision, string] {
  if (!env.plan.regenerateUids && !force) return ['keep', 'kept'];
  if (!el.value) return ['remove', 'removed'];
  const v = valueText(el.value);
  if (v === '') return ['keep', 'kept'];
  const n = regenerateUidValue(v, env.keyed);
  return n === v ? ['keep', 'kept'] : [{ replace: n }, what];
}

/** Modified dates: DA/DT shifted by the patient's offset (partial values stay partial); TM kept. */
function shift(el: ElementView, vr: string, env: InstanceEnv): [Decision, string] {
  if (vr === 'TM') return keepIfParses(el, vr);
  if (birthOver89(el, env)) return [{ replace: Buffer.alloc(0) }, 'emptied'];
  if (vr !== 'DA' && vr !== 'DT') {
    const row = profileRow(el.tag);
    return act(row ? resolveAction(row, { ...env.plan.options, retainLongModifiedDates: false }) : 'X', el, vr, env);
  }
  if (!el.value) return ['remove', 'removed'];
  const v = valueText(el.value);
  if (v === '') return ['keep', 'kept'];
  const out: string[] = [];
  for (const part of v.split('\\')) {
    const s = part.trim() === '' ? '' : vr === 'DA' ? shiftDicomDA(part, env.shiftDays) : shiftDicomDT(part, env.shiftDays);
    // An unparseable date is not passed through: the value is emptied.
    if (s === undefined) return [{ replace: Buffer.alloc(0) }, 'emptied'];
    out.push(s);
  }
  return [{ replace: out.join('\\') }, 'shifted'];
}

/**
 * Clean (C): text is run through the text detectors with the instance's
 * context values (so a name removed from PatientName is also taken out of a
 * description, as [CTX]); a sequence is kept and cleaned inside; numbers are
 * kept; binary or unknown content that cannot be inspected is removed.
 */
function clean(el: ElementView, vr: string, env: InstanceEnv): [Decision, string] {
  if (el.isPrivate) return safePrivate(el, vr, env);
  if (el.kind === 'sequence') return ['keep', 'kept'];
  if (vr === 'UI') return uid(el, env, 'uid');
  if (vr === 'DA' || vr === 'DT') return shift(el, vr, env);
  if (NUMERIC_VRS.has(vr) || vr === 'TM' || vr === 'CS') return keepIfParses(el, vr);
  // An age is a number the text detectors do not read as one: kept when it parses, generalized over 89.
  if (vr === 'AS') return retain(el, vr);
  if (CLEAN_TEXT_VRS.has(vr) || vr === 'UR') return cleanText(el, env);
  return ['remove', 'removed'];
}

/**
 * Kept when the value parses as its VR (TM, CS, IS, DS; other VRs, binary
 * numbers, always); emptied when not. A value too large to be handed to the
 * rule cannot be a valid TM, CS, IS or DS and is removed.
 */
function keepIfParses(el: ElementView, vr: string): [Decision, string] {
  if (!hasSyntax(vr) || el.kind !== 'value') return ['keep', 'kept'];
  if (!el.value) return ['remove', 'removed'];
  if (parsesAsVR(vr, valueText(el.value))) return ['keep', 'kept'];
  return [{ replace: Buffer.alloc(0) }, 'emptied'];
}

/**
 * Retain Safe Private (PS3.15 E.3.10): a private attribute is kept only when
 * Table E.3.10-1 lists it under the creator that reserved its block in the
 * same dataset or item; a creator is kept when the table lists elements of its
 * block (PS3.15: "together with the Private Creator IDs that are required").
 * Everything else private is removed, numbers included. A listed UI value is a
 * UID like any other: replaced when UIDs are.
 */
function safePrivate(el: ElementView, vr: string, env: InstanceEnv): [Decision, string] {
  const creators = env.creators;
  if (!creators) return ['remove', 'removed'];
  if (isPrivateCreatorTag(el.tag)) {
    const creator = el.value ? valueText(el.value).trim() : '';
    return isSafeCreator(el.tag >>> 16, creator) ? ['keep', 'retained'] : ['remove', 'removed'];
  }
  const row = safePrivateRow(el.tag, creators.creatorOf(el.tag));
  if (!row) return ['remove', 'removed'];
  // Written under another VR than the table's, it is not the attribute the table calls safe.
  if (row.vr && vr !== 'UN' && vr !== row.vr) return ['remove', 'removed'];
  // A listed sequence that came as a value (UN, or implicit VR with a defined length) is bytes whose items the profile never saw.
  if (row.vr === 'SQ' && el.kind !== 'sequence') return ['remove', 'removed'];
  if (row.vr === 'UI' && el.kind === 'value') return uid(el, env, 'uid');
  // Safe is what the attribute means, not what a writer put in it: its text is cleaned (the
  // table's code for private attributes under this option is C) like any cleaned value.
  if (el.kind === 'value' && TEXT_VRS.has(row.vr || vr)) {
    const r = cleanText(el, env);
    return r[0] === 'keep' ? ['keep', 'retained'] : r;
  }
  return retain(el, row.vr || vr);
}

/** A retained value: kept when it parses as its VR (see keepIfParses), emptied or removed when not; an age over 89 years becomes 090Y. */
function retain(el: ElementView, vr: string): [Decision, string] {
  const r = keepIfParses(el, vr);
  if (r[0] !== 'keep') return r;
  const age = vr === 'AS' ? generalizedAge(el) : undefined;
  return age === undefined ? ['keep', 'retained'] : [{ replace: age }, 'generalized'];
}

/**
 * HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) aggregates ages over 89 into
 * one category, as FHIR ages are (src/fhir/generalize.ts): an AS value of
 * more than 089Y (only years reach it: 999M, 999W and 999D are less) is
 * written 090Y. Undefined when no value changes (or the value was not read).
 */
function generalizedAge(el: ElementView): string | undefined {
  if (el.kind !== 'value' || !el.value) return undefined;
  const text = valueText(el.value);
  let changed = false;
  const out = text.split('\\').map((part) => {
    const m = /^\s*(\d{3})Y\s*$/.exec(part);
    if (!m || Number(m[1]) <= 89) return part;
    changed = true;
    return '090Y';
  });
  return changed ? out.join('\\') : undefined;
}

/**
 * HIPAA Safe Harbor (C) removes "all elements of dates (including year) indicative of" an age
 * over 89: a PatientBirthDate 90 or more years before the plan's reference day is emptied
 * where it would be shifted or cleaned (its shifted year would tell the age), as FHIR's
 * birthDate becomes one category (src/core/age-over-89.ts). A DA holds no year-only value.
 */
function birthOver89(el: ElementView, env: InstanceEnv): boolean {
  if (el.tag !== PATIENT_BIRTH_DATE || !el.value) return false;
  for (const part of valueText(el.value).split('\\')) {
    const m = /^\s*(\d{4})\.?(\d{2})\.?(\d{2})/.exec(part);
    if (m && bornOver89(Number(m[1]), Number(m[2]), Number(m[3]), env.plan.ageReferenceDate)) return true;
  }
  return false;
}

/** A value kept unread by the table, but not with a person's values from the instance in it ([CTX] in their place). */
function keptText(el: ElementView, vr: string, env: InstanceEnv): [Decision, string] {
  if (!KEPT_TEXT_VRS.has(vr) || el.kind !== 'value' || !el.value || env.facts.personContext.length === 0) return ['keep', 'kept'];
  const text = decodeValue(el.value, env.charset);
  const out = text === undefined ? undefined : withoutContextValues(text, vr, env.facts.personContext);
  return out === undefined ? ['keep', 'kept'] : [{ replace: textCodec(env.charset).encode(out) }, 'cleaned'];
}

function cleanText(el: ElementView, env: InstanceEnv): [Decision, string] {
  if (!el.value) return ['remove', 'removed'];
  if (birthOver89(el, env)) return [{ replace: Buffer.alloc(0) }, 'emptied'];
  const text = decodeValue(el.value, env.charset);
  // Bytes the charset does not define could hide anything from the detectors: not kept unread.
  if (text === undefined) return [{ replace: Buffer.alloc(0) }, 'emptied'];
  if (text === '') return ['keep', 'kept'];
  if (!env.cleanText) throw new DeidError('INTERNAL', 'text cleaning reached without the text detectors');
  const out = env.cleanText(text, {
    cryptoHash: (v) => env.keyed.cryptoHash(v),
    dateShiftDays: env.shiftDays,
    ageReferenceDate: env.plan.ageReferenceDate,
    context: env.facts.context,
  });
  return out === text ? ['keep', 'kept'] : [{ replace: textCodec(env.charset).encode(out) }, 'cleaned'];
}
