import { INFO_TYPE_PARENT } from '../detectors/index.js';
import { findPhi, hasContextFinding, namesNameParts, type FindPhiOptions } from './find-phi.js';
import { shiftDateText } from './shift-date-text.js';
import { parseDateText } from '../detectors/date.js';
import { bornOver89 } from '../core/age-over-89.js';
import { birthDatesIn } from './birth-dates-in-context.js';
import type { Finding, TextAction, TextDeidConfig, TextEnv, TextResult } from './types.js';

const DATE_TYPES = new Set(['DATE', 'DATE_OF_BIRTH']);

/** Google DLP CharsToIgnore.CommonCharsToIgnore names, accepted in charactersToIgnore. */
const COMMON_CHARS: Record<string, RegExp> = {
  NUMERIC: /[0-9]/,
  ALPHA_UPPER_CASE: /[A-Z]/,
  ALPHA_LOWER_CASE: /[a-z]/,
  PUNCTUATION: /[!-/:-@[-`{-~]/,
  WHITESPACE: /\s/,
};

/**
 * The action for one finding. Named transformations win (the one naming
 * the infoType, else the one naming its parent: FIRST_NAME before
 * PERSON_NAME whatever their order), then the default transformation (empty
 * infoTypes), then the profile: BASIC shifts dates and replaces the rest with
 * their infoType; EMPTY leaves the finding alone (undefined), except a
 * context value (CTX), which is replaced by [CTX]: the caller gave it as PHI,
 * and its finding takes over the detectors' findings it overlaps, so leaving
 * it alone kept names and numbers the config transforms.
 */
export function actionFor(cfg: TextDeidConfig, infoType: string): TextAction | undefined {
  const parent = INFO_TYPE_PARENT[infoType];
  for (const t of cfg.transformations) if (t.infoTypes.includes(infoType)) return t.action;
  if (parent !== undefined) for (const t of cfg.transformations) if (t.infoTypes.includes(parent)) return t.action;
  for (const t of cfg.transformations) if (t.infoTypes.length === 0) return t.action;
  if (cfg.profile === 'EMPTY') return infoType === 'CTX' ? { kind: 'replaceWithInfoType' } : undefined;
  return DATE_TYPES.has(infoType) ? { kind: 'dateShift' } : { kind: 'replaceWithInfoType' };
}

function mask(value: string, ch: string, ignore: readonly string[] | undefined): string {
  const classes: RegExp[] = [];
  let literal = '';
  for (const i of ignore ?? []) {
    const c = COMMON_CHARS[i];
    if (c) classes.push(c);
    else literal += i;
  }
  let out = '';
  for (const c of value) {
    out += literal.includes(c) || classes.some((r) => r.test(c)) ? c : ch;
  }
  return out;
}

function apply(action: TextAction, f: Finding, value: string, env: TextEnv): string {
  switch (action.kind) {
    case 'redact':
      return '';
    case 'replaceWithInfoType':
      return `[${f.infoType}]`;
    case 'characterMask':
      return mask(value, action.maskingCharacter || '*', action.charactersToIgnore);
    case 'cryptoHash':
      return env.cryptoHash(value);
    case 'dateShift': {
      // No patient (no shift) or not a date we can parse: fail closed.
      if (env.dateShiftDays === undefined) return '';
      // Safe Harbor (C): a date of birth telling an age over 89 is no date to shift but the "90 or older" category;
      // a date on the patient's own birth date is one, whatever words are around it.
      const births = f.infoType === 'DATE_OF_BIRTH' || env.context === undefined ? undefined : birthDatesIn(env.context);
      if (env.ageReferenceDate !== undefined && (f.infoType === 'DATE_OF_BIRTH' || births !== undefined) && dateOfBirthOver89(value, env.ageReferenceDate, births)) {
        return '[DATE_OF_BIRTH]';
      }
      return shiftDateText(value, env.dateShiftDays) ?? '';
    }
  }
}

/**
 * A date of birth in text whose earliest reading is 90 or more years before the reference day:
 * a two-digit year counts in the 1900s too ("DOB 3/4/25" may be 1925). One with no year tells no age.
 * With `births` (the patient's birth dates, for a date not marked as a date of birth), only a
 * date on one of them counts, and it is read in that birth date's century.
 */
function dateOfBirthOver89(value: string, referenceDate: string, births?: readonly string[]): boolean {
  const p = parseDateText(value);
  if (p?.year === undefined) return false;
  if (births === undefined) return bornOver89(p.yearWidth === 2 ? 1900 + (p.year % 100) : p.year, p.month, p.day, referenceDate);
  if (p.month === undefined || p.day === undefined) return false;
  for (const b of births) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(b);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const sameYear = p.yearWidth === 2 ? p.year % 100 === y % 100 : p.year === y;
    if (sameYear && p.month === mo && p.day === d && bornOver89(y, mo, d, referenceDate)) return true;
  }
  return false;
}

const NAME_PARTS_CACHE = new WeakMap<TextDeidConfig, boolean>();

/** Whether the config names FIRST_NAME or LAST_NAME anywhere: person names are then split into their parts. */
export function wantsNameParts(cfg: TextDeidConfig): boolean {
  let v = NAME_PARTS_CACHE.get(cfg);
  if (v === undefined) {
    v = namesNameParts(cfg.infoTypes, cfg.excludeInfoTypes, ...cfg.transformations.map((t) => t.infoTypes));
    NAME_PARTS_CACHE.set(cfg, v);
  }
  return v;
}

/** Applies a normalized Google TextConfig to one free-text value. Pure. */
export function deidentifyText(text: string, cfg: TextDeidConfig, env: TextEnv, extra?: Pick<FindPhiOptions, 'extraDetectors' | 'minLikelihood'>): TextResult {
  if (leftAlone(text, cfg) && !hasContextFinding(text, env.context, cfg.excludeInfoTypes)) return { text, counts: {} };
  return applyFindings(text, textFindings(text, cfg, env, extra), cfg, env);
}

/**
 * Whether deidentifyText returns `text` as it is when no context value occurs
 * in it: an EMPTY config without transformations detects nothing. Context
 * values are still replaced by [CTX] under it: Google's ContextualDeidConfig
 * says the contextual phrases found in cleaned fields "are replaced with the
 * token [CTX]" with no exception for the text profile (Cloud Healthcare API
 * v1beta1 ContextualDeidConfig, docs/google-config.md source 8:
 * https://hexdocs.pm/google_api_health_care/GoogleApi.HealthCare.V1beta1.Model.ContextualDeidConfig.html).
 */
export function leftAlone(text: string, cfg: TextDeidConfig): boolean {
  return text.length === 0 || detectsNothing(cfg);
}

function detectsNothing(cfg: TextDeidConfig): boolean {
  return cfg.profile === 'EMPTY' && cfg.transformations.length === 0;
}

/** What deidentifyText finds in `text` (the first half of its work; env only gives the context values). */
export function textFindings(text: string, cfg: TextDeidConfig, env: TextEnv, extra?: Pick<FindPhiOptions, 'extraDetectors' | 'minLikelihood'>): Finding[] {
  return findPhi(text, {
    // no detector when nothing it finds would be transformed: the context values only
    infoTypes: detectsNothing(cfg) ? [] : cfg.infoTypes,
    excludeInfoTypes: cfg.excludeInfoTypes,
    context: env.context,
    nameParts: wantsNameParts(cfg),
    ...withTransformed(cfg),
    ...extra,
  });
}

/** No context values: textFindings reads nothing else from its env. */
const NO_CONTEXT_ENV: TextEnv = { cryptoHash: () => '' };

/**
 * Whether deidentifyText would change `text` given no context values: a
 * finding whose infoType the config transforms. For a value that must stay
 * whole or go (a server's base URL in a reference), where the patient's own
 * values are not looked for so the answer is the same in every record.
 */
export function changesWithoutContext(text: string, cfg: TextDeidConfig): boolean {
  if (leftAlone(text, cfg)) return false;
  return textFindings(text, cfg, NO_CONTEXT_ENV).some((f) => actionFor(cfg, f.infoType) !== undefined);
}

const TRANSFORMED_CACHE = new WeakMap<TextDeidConfig, (infoType: string) => boolean>();

/**
 * findPhi's `transformed` option: which infoTypes `cfg` transforms, so that an
 * overlap goes to the finding it transforms. Left out when it transforms every
 * infoType (any profile but EMPTY, or a transformation naming none), which
 * spares findPhi tracking each cluster's members for nothing.
 */
function withTransformed(cfg: TextDeidConfig): Pick<FindPhiOptions, 'transformed'> {
  if (cfg.profile !== 'EMPTY' || cfg.transformations.some((t) => t.infoTypes.length === 0)) return {};
  let f = TRANSFORMED_CACHE.get(cfg);
  if (!f) {
    f = (infoType) => actionFor(cfg, infoType) !== undefined;
    TRANSFORMED_CACHE.set(cfg, f);
  }
  return { transformed: f };
}

/** deidentifyText's result from its findings (textFindings of the same text and cfg). */
export function applyFindings(text: string, findings: readonly Finding[], cfg: TextDeidConfig, env: TextEnv): TextResult {
  const counts: Record<string, number> = {};
  if (findings.length === 0) return { text, counts };
  const parts: string[] = [];
  let pos = 0;
  for (const f of findings) {
    const action = actionFor(cfg, f.infoType);
    if (action === undefined) continue;
    const value = text.slice(f.start, f.end);
    parts.push(text.slice(pos, f.start), apply(action, f, value, env));
    pos = f.end;
    counts[f.infoType] = (counts[f.infoType] ?? 0) + 1;
  }
  if (pos === 0) return { text, counts };
  parts.push(text.slice(pos));
  return { text: parts.join(''), counts };
}
