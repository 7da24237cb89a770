import { todayUtc } from '../../core/age-over-89.js';
import type { DicomPart } from '../../config/normalize-dicom.js';
import { DeidError } from '../../core/errors.js';
import { lookupKeyword } from '../dictionary.js';
import { NO_OPTIONS, parseOptionName, type ProfileOptions } from './options.js';

/**
 * The normalized DICOM plan every config generation is turned into.
 *
 * base:
 * - BASIC: PS3.15 basic profile from Table E.1-1, with `options`.
 * - KEEP_ALL: every attribute kept (Google KEEP_ALL_PROFILE).
 * - MINIMAL_KEEP: only the attributes a valid image needs (MINIMAL_KEEP_LIST_PROFILE).
 * - KEEP_LIST: `tags` plus those attributes (v1 keepList).
 * - REMOVE_LIST: everything but `tags` and overlay data (v1 removeList).
 * - TAG_CONTENTS: text VRs cleaned with the text detectors (DEIDENTIFY_TAG_CONTENTS).
 */
export type DicomBase = 'BASIC' | 'KEEP_ALL' | 'MINIMAL_KEEP' | 'KEEP_LIST' | 'REMOVE_LIST' | 'TAG_CONTENTS';

export type TagActionKind = 'keep' | 'delete' | 'remove' | 'reset' | 'regenUid' | 'cleanText' | 'recurse' | 'cleanImage';

/** A v1beta1 dicomTagConfig action: queries (tag, keyword or VR) → action. */
export interface TagAction {
  tags: Set<number>;
  vrs: Set<string>;
  kind: TagActionKind;
}

export interface DicomPlan {
  base: DicomBase;
  options: ProfileOptions;
  /** KEEP_LIST / REMOVE_LIST tags. */
  tags: Set<number>;
  /** Instance UIDs (every UI value outside the DICOM root) replaced by keyed UIDs. */
  regenerateUids: boolean;
  /** v1beta1 actions: they override the profile and options; the first matching one wins. */
  actions: TagAction[];
  /** Let instances that may carry burned-in text through (default: quarantined). */
  allowBurnedIn: boolean;
  /** Write PatientIdentityRemoved, DeidentificationMethod and its code sequence. */
  markDeidentified: boolean;
  /** ± days of the date shift. */
  dateShiftRangeDays: number;
  /** YYYY-MM-DD: a PatientBirthDate 90 or more years before it is emptied where it would be shifted or cleaned (Safe Harbor). */
  ageReferenceDate: string;
}

/**
 * deid's own DICOM settings (Google's configs have no place for them):
 * `{ options: ['retainUIDs', ...] | { retainUIDs: true, ... }, allowBurnedIn }`.
 * Given on the command line (`--option`, `--allow-burned-in`) or by a caller.
 */
export interface DicomExtension {
  options?: readonly string[] | Partial<Record<string, boolean>>;
  allowBurnedIn?: boolean;
}

/** deid's default: PS3.15 basic + Retain Longitudinal Temporal Information with Modified Dates, UIDs regenerated. */
export function defaultDicomPlan(): DicomPlan {
  return {
    base: 'BASIC',
    options: { ...NO_OPTIONS, retainLongModifiedDates: true },
    tags: new Set(),
    regenerateUids: true,
    actions: [],
    allowBurnedIn: false,
    markDeidentified: true,
    dateShiftRangeDays: 100,
    ageReferenceDate: todayUtc(),
  };
}

/** `00100010` or `PatientName` → tag; throws CONFIG_INVALID on an unknown keyword. */
export function parseTagRef(s: string, where: string): number {
  if (/^[0-9A-Fa-f]{8}$/.test(s)) return parseInt(s, 16) >>> 0;
  const e = lookupKeyword(s);
  if (!e) throw new DeidError('CONFIG_INVALID', `${where}: unknown DICOM keyword`);
  return e.tag;
}

const FILTER_BASE: Record<string, DicomBase> = {
  // Google v1: "No tag filtration profile provided. Same as KEEP_ALL_PROFILE."
  TAG_FILTER_PROFILE_UNSPECIFIED: 'KEEP_ALL',
  // Google v1beta1: no profile = the basic profile.
  PROFILE_TYPE_UNSPECIFIED: 'BASIC',
  MINIMAL_KEEP_LIST_PROFILE: 'MINIMAL_KEEP',
  ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE: 'BASIC',
  KEEP_ALL_PROFILE: 'KEEP_ALL',
  DEIDENTIFY_TAG_CONTENTS: 'TAG_CONTENTS',
};

const ACTION_KIND: Record<string, TagActionKind> = {
  keepTag: 'keep',
  deleteTag: 'delete',
  removeTag: 'remove',
  resetTag: 'reset',
  regenUidTag: 'regenUid',
  cleanTextTag: 'cleanText',
  recurseTag: 'recurse',
  cleanImageTag: 'cleanImage',
};

/**
 * The plan of a run from the config's DICOM part (Google v1 `dicom` or v1beta1
 * `dicomTagConfig`, already validated) and deid's extension. Without a DICOM
 * part: deid's default. A Google config selects Google's profile as written:
 * its BASIC is PS3.15 basic without options (dates removed, not shifted).
 */
export function dicomPlanFrom(part: DicomPart | undefined, ext: DicomExtension = {}, dateShiftRangeDays = 100, ageReferenceDate?: string): DicomPlan {
  const plan = defaultDicomPlan();
  plan.dateShiftRangeDays = dateShiftRangeDays;
  if (ageReferenceDate !== undefined) plan.ageReferenceDate = ageReferenceDate;
  if (part?.generation === 'v1') {
    const c = part.config;
    plan.options = { ...NO_OPTIONS };
    if (c.keepList) {
      plan.base = 'KEEP_LIST';
      plan.tags = new Set(c.keepList.tags.map((t, i) => parseTagRef(t, `dicom.keepList.tags[${i}]`)));
    } else if (c.removeList) {
      plan.base = 'REMOVE_LIST';
      plan.tags = new Set(c.removeList.tags.map((t, i) => parseTagRef(t, `dicom.removeList.tags[${i}]`)));
    } else {
      plan.base = FILTER_BASE[c.filterProfile ?? 'TAG_FILTER_PROFILE_UNSPECIFIED'] ?? 'BASIC';
    }
    plan.regenerateUids = c.skipIdRedaction !== true;
    // An empty dicom section (or an image-only config) gets deid's default, not Google's keep-all
    // by omission: nothing is passed through unless a config says so.
    if (!c.keepList && !c.removeList && !c.filterProfile && c.skipIdRedaction === undefined) {
      plan.base = 'BASIC';
      plan.options = { ...NO_OPTIONS, retainLongModifiedDates: true };
    }
  } else if (part?.generation === 'v1beta1') {
    const c = part.config;
    plan.options = { ...NO_OPTIONS };
    plan.base = FILTER_BASE[c.profileType ?? 'PROFILE_TYPE_UNSPECIFIED'] ?? 'BASIC';
    plan.regenerateUids = c.options?.primaryIds !== 'KEEP';
    if (c.options?.cleanDescriptors) plan.options.cleanDescriptors = true;
    if (!plan.regenerateUids) plan.options.retainUIDs = true;
    plan.actions = (c.actions ?? []).map((a, i) => {
      const kindKey = Object.keys(ACTION_KIND).find((k) => (a as Record<string, unknown>)[k] !== undefined);
      const action: TagAction = { tags: new Set(), vrs: new Set(), kind: ACTION_KIND[kindKey ?? 'keepTag']! };
      a.queries.forEach((q, j) => {
        if (/^[A-Z]{2}$/.test(q) && !lookupKeyword(q)) action.vrs.add(q);
        else action.tags.add(parseTagRef(q, `dicomTagConfig.actions[${i}].queries[${j}]`));
      });
      return action;
    });
  }
  applyExtension(plan, ext);
  if (plan.allowBurnedIn) refusePixelRedaction(part);
  return plan;
}

const REDACTING_MODES = new Set(['REDACT_ALL_TEXT', 'REDACT_SENSITIVE_TEXT']);

/**
 * deid does not redact text in pixel data: an instance that may carry
 * burned-in text is quarantined (DICOM_BURNED_IN) instead. A config that asks
 * for pixel text redaction (`image`, `dicomTagConfig.options.cleanImage`, a
 * `cleanImageTag` action) together with allowBurnedIn would write such
 * instances with their text, so the pair is a config error.
 */
function refusePixelRedaction(part: DicomPart | undefined): void {
  if (!part) return;
  const asks: string[] = [];
  if (REDACTING_MODES.has(part.image?.textRedactionMode ?? '')) asks.push('image.textRedactionMode');
  if (part.generation === 'v1beta1') {
    if (REDACTING_MODES.has(part.config.options?.cleanImage?.textRedactionMode ?? '')) asks.push('dicomTagConfig.options.cleanImage.textRedactionMode');
    (part.config.actions ?? []).forEach((a, i) => {
      if (REDACTING_MODES.has(a.cleanImageTag?.textRedactionMode ?? '')) asks.push(`dicomTagConfig.actions[${i}].cleanImageTag.textRedactionMode`);
    });
  }
  if (asks.length === 0) return;
  throw new DeidError(
    'CONFIG_INVALID',
    `${asks[0]}: text in pixel data is not redacted by deid (instances that may carry it are quarantined as DICOM_BURNED_IN), so it cannot be combined with deid.dicom.allowBurnedIn / --allow-burned-in`,
  );
}

export function applyExtension(plan: DicomPlan, ext: DicomExtension): void {
  if (ext.allowBurnedIn !== undefined) plan.allowBurnedIn = ext.allowBurnedIn;
  const o = ext.options;
  if (!o) return;
  const entries: [string, boolean][] = Array.isArray(o) ? o.map((n: string) => [n, true]) : Object.entries(o as Record<string, boolean>);
  for (const [name, on] of entries) {
    const opt = parseOptionName(name);
    if (!opt) throw new DeidError('CONFIG_INVALID', `unknown DICOM profile option "${name.slice(0, 40)}"`);
    plan.options[opt] = on;
  }
  if (plan.options.retainUIDs) plan.regenerateUids = false;
  // Full dates and modified dates are exclusive; full dates is the explicit wider choice.
  if (plan.options.retainLongFullDates) plan.options.retainLongModifiedDates = false;
}
