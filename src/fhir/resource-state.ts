import { createHash } from 'node:crypto';
import type { FhirEnv } from './env.js';
import { pseudonymizeSystem } from './identifier-system.js';
import type { ContextValue, Finding, TextDeidConfig } from '../text/types.js';
import { applyFindings, deidentifyText, leftAlone, textFindings } from '../text/deidentify-text.js';
import { hasContextFinding } from '../text/find-phi.js';
import { shiftFhirDate } from '../core/dates.js';
import { DATE_TYPES } from './r4-types.js';
import { REMOVE, type LeafResult } from './leaf-actions.js';
import { decodeEntities, mapXhtmlText } from './xhtml.js';

interface Cleaned {
  text: string;
  changed: boolean;
}

const MEMO_MAX_CHARS = 512;
/**
 * Entries over all memos together: one memo per patient context and shift,
 * so a per-memo bound alone would let memory grow with the number of
 * patients. When full, every memo is dropped (they refill from the records
 * that follow).
 */
const MEMO_TOTAL_ENTRIES = 20_000;
const NO_CONTEXT: ContextValue[] = [];
/** cfg → context → shift → text → result; weak on cfg and context so a finished run frees them. */
let memos = new WeakMap<TextDeidConfig, WeakMap<ContextValue[], Map<number, Map<string, Cleaned>>>>();
let memoEntries = 0;

function memoFor(cfg: TextDeidConfig, context: ContextValue[] | undefined, shift: number): Map<string, Cleaned> {
  let byCtx = memos.get(cfg);
  if (!byCtx) memos.set(cfg, (byCtx = new WeakMap()));
  const ctx = context ?? NO_CONTEXT;
  let byShift = byCtx.get(ctx);
  if (!byShift) byCtx.set(ctx, (byShift = new Map()));
  let m = byShift.get(shift);
  if (!m) byShift.set(shift, (m = new Map()));
  return m;
}

/**
 * cfg → text → whether deidentifyText changes the text when no context value
 * is in it, and if so what it finds there (null: it does not change it).
 * That does not depend on the patient (their context values and date shift
 * only matter once something is found), so it is shared by all records: a
 * text seen before with another patient costs one lookup and the context
 * search, plus the replacements when it changes. Bounded like the memos above.
 */
let changesAlone = new WeakMap<TextDeidConfig, Map<string, readonly Finding[] | null>>();
let changesAloneEntries = 0;

/** What changesAlone knows of `value`: undefined when it has not been worked out yet. */
function knownChangesAlone(value: string, cfg: TextDeidConfig): readonly Finding[] | null | undefined {
  return changesAlone.get(cfg)?.get(value);
}

function rememberChangesAlone(value: string, cfg: TextDeidConfig, changes: readonly Finding[] | null): void {
  let m = changesAlone.get(cfg);
  if (!m) changesAlone.set(cfg, (m = new Map()));
  if (changesAloneEntries >= MEMO_TOTAL_ENTRIES) {
    changesAlone = new WeakMap([[cfg, (m = new Map())]]);
    changesAloneEntries = 0;
  }
  m.set(value, changes);
  changesAloneEntries++;
}

function hasCounts(counts: Record<string, number>): boolean {
  for (const _ in counts) return true;
  return false;
}

const UNCHANGED = Object.freeze({ text: '', changed: false });

function remember(memo: Map<string, Cleaned>, value: string, res: Cleaned): void {
  if (memoEntries >= MEMO_TOTAL_ENTRIES) {
    memos = new WeakMap();
    memoEntries = 0;
    memo.clear();
  }
  memo.set(value, res);
  memoEntries++;
}

export const SECURITY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue';

const LABEL_DISPLAY = {
  REDACTED: 'redacted',
  PSEUDED: 'pseudonymized',
  MASKED: 'masked',
  ABSTRED: 'abstracted',
} as const;
type Label = keyof typeof LABEL_DISPLAY;

/** The labels in code order (meta.security is written sorted), each with its bit in ResourceState's set. */
const LABELS = (Object.keys(LABEL_DISPLAY) as Label[]).sort();
const LABEL_BIT = Object.fromEntries(LABELS.map((code, i) => [code, 1 << i])) as Record<Label, number>;

/**
 * A local code system's URI as it may stay, per run and patient context: a
 * patient's records repeat the same few systems in every coding. Bounded over
 * all contexts together, as the text memos are (dropped whole when full).
 */
let localSystems = new WeakMap<FhirEnv, WeakMap<ContextValue[], Map<string, string>>>();
let localSystemEntries = 0;

/** A patient context's values but their places (ResourceState.hasPersonValue). */
const personValues = new WeakMap<ContextValue[], ContextValue[]>();

/** Per-record state: the patient, its date shift and context, labels and counters. */
export class ResourceState {
  /** The labels this record has earned, one bit each (LABEL_BIT). */
  #labels = 0;
  readonly #textEnv: { cryptoHash: (v: string) => string; dateShiftDays: number; ageReferenceDate: string; context?: ContextValue[] };

  constructor(
    readonly env: FhirEnv,
    readonly patientId: string | undefined,
    readonly shiftDays: number,
    context: ContextValue[] | undefined,
  ) {
    this.#textEnv = { cryptoHash: (v) => env.keyed.cryptoHash(v), dateShiftDays: shiftDays, ageReferenceDate: env.plan.ageReferenceDate };
    if (env.plan.contextualDeid && context?.length) this.#textEnv.context = context;
  }

  count<T>(key: string, action: string, value: T): T {
    let m = this.env.counts.get(key);
    if (!m) this.env.counts.set(key, (m = new Map()));
    m.set(action, (m.get(action) ?? 0) + 1);
    if (action === 'removed') this.#labels |= LABEL_BIT.REDACTED;
    return value;
  }

  label(code: Label): void {
    this.#labels |= LABEL_BIT[code];
  }

  mask(value: string): string {
    return this.env.plan.maskingCharacter.repeat([...value].length);
  }

  /** `noContextValue`: the caller knows no context value occurs in `value`. */
  #clean(value: string, cfg: TextDeidConfig, noContextValue = false): Cleaned {
    // deidentifyText is a pure function of (text, cfg, shift, context, key):
    // short strings recur across records (CodeableConcept.text, displays,
    // generated narrative), so their results are memoized per context.
    const memo = value.length <= MEMO_MAX_CHARS ? memoFor(cfg, this.#textEnv.context, this.shiftDays) : undefined;
    if (memo) {
      const hit = memo.get(value);
      if (hit) return hit;
      // A context regex over many patients' values costs more than the
      // lookup above, so it runs once per text and patient, like the detectors did.
      const alone = knownChangesAlone(value, cfg);
      if (noContextValue || !hasContextFinding(value, this.#textEnv.context, cfg.excludeInfoTypes)) {
        if (alone === null) {
          remember(memo, value, UNCHANGED);
          return UNCHANGED;
        }
        // No context value in the text: the detectors find what they find
        // without context, so one run also answers changesAlone.
        let r: { text: string; counts: Record<string, number> };
        if (alone !== undefined) {
          r = applyFindings(value, alone, cfg, this.#textEnv);
        } else if (leftAlone(value, cfg)) {
          r = { text: value, counts: {} };
          rememberChangesAlone(value, cfg, null);
        } else {
          const findings = textFindings(value, cfg, this.#textEnv);
          r = applyFindings(value, findings, cfg, this.#textEnv);
          rememberChangesAlone(value, cfg, hasCounts(r.counts) ? findings : null);
        }
        const res = hasCounts(r.counts) ? { text: r.text, changed: true } : UNCHANGED;
        remember(memo, value, res);
        return res;
      }
    }
    const r = deidentifyText(value, cfg, this.#textEnv);
    const res = { text: r.text, changed: hasCounts(r.counts) };
    if (memo) remember(memo, value, res);
    return res;
  }

  /**
   * Strings that are not free text (Organization.name, lotNumber, a product name…):
   * the patients' contextual values, dates, emails and SSNs only, not the whole detector set.
   */
  scrubStructured(value: string, key: string): LeafResult {
    const { text, changed } = this.#clean(value, this.env.structuredText);
    if (!changed) return value;
    this.label('REDACTED');
    return this.count(key, 'cleaned', text);
  }

  /**
   * A Coding's or a Quantity's local system, pseudonymised where the patient's own values or
   * whitespace are in it (identifier-system.ts); not read by the run's detectors: it names a
   * vocabulary (`ema.europa.eu` would read as a name).
   */
  localSystem(system: string): string {
    let byContext = localSystems.get(this.env);
    if (!byContext) localSystems.set(this.env, (byContext = new WeakMap()));
    const context = this.#textEnv.context ?? NO_CONTEXT;
    let memo = byContext.get(context);
    if (!memo) byContext.set(context, (memo = new Map()));
    let v = memo.get(system);
    if (v === undefined) {
      v = pseudonymizeSystem(system, this.env.keyed, undefined, this.#textEnv.context ? (part) => this.hasContextValue(part) : undefined);
      if (localSystemEntries >= MEMO_TOTAL_ENTRIES) {
        localSystems = new WeakMap([[this.env, (byContext = new WeakMap([[context, (memo = new Map())]]))]]);
        localSystemEntries = 0;
      }
      memo.set(system, v);
      localSystemEntries++;
    }
    return v;
  }

  /**
   * Whether the patient's own values are in `value`, leaving out where they live (city, district,
   * ZIP): an Address's state or country is compared with these, as a city can share its state's name.
   */
  hasPersonValue(value: string): boolean {
    const context = this.#textEnv.context;
    if (!context) return false;
    let values = personValues.get(context);
    if (!values) personValues.set(context, (values = context.filter((v) => v.infoType !== 'LOCATION')));
    return hasContextFinding(value, values, this.env.contextText.excludeInfoTypes);
  }

  /** Whether the patient's own values (names, identifiers…) are in `value`. */
  hasContextValue(value: string): boolean {
    return this.#clean(value, this.env.contextText).changed;
  }

  /** A terminology display: only the patient's own values are scrubbed (a display is no free text, nor its dates the patient's). */
  scrubContext(value: string, key: string): LeafResult {
    const { text, changed } = this.#clean(value, this.env.contextText);
    if (!changed) return value;
    this.label('REDACTED');
    return this.count(key, 'cleaned', text);
  }

  /**
   * A value that must stay whole (a URL, a tag's code): removed when the text detectors would change any
   * part of it, or of `alsoAs`, the value written another way (`JohnSmith` read as `John Smith`).
   */
  keepUnlessFindings(value: string, key: string, alsoAs?: string): LeafResult {
    if (!this.#clean(value, this.env.text).changed && (alsoAs === undefined || !this.#clean(alsoAs, this.env.text).changed)) return value;
    this.label('REDACTED');
    return this.count(key, 'removed', REMOVE);
  }

  /** A value that must stay whole (a profile's URL, a code): removed when it holds the patient's own values. */
  keepUnlessContext(value: string, key: string): LeafResult {
    if (!this.hasContextValue(value)) return value;
    this.label('REDACTED');
    return this.count(key, 'removed', REMOVE);
  }

  cleanText(value: string, key: string): LeafResult {
    const { text, changed } = this.#clean(value, this.env.text);
    if (!changed) return value;
    this.label('REDACTED');
    return this.count(key, 'cleaned', text);
  }

  /** Narrative xhtml: its text, CDATA and attribute values are cleaned (structural attributes of the patient's values and dates only, src/fhir/xhtml.ts); markup is kept. */
  cleanXhtml(value: string, key: string): LeafResult {
    // Every piece is part of the whole (decoded) value and is bounded there
    // by '>', '<' or a quote, which are not word characters: a context value
    // found in a piece is found in the whole, so one search of the whole
    // value can clear every piece.
    const whole = value.includes('&') ? decodeEntities(value) : value;
    const noContextValue = !hasContextFinding(whole, this.#textEnv.context, this.env.text.excludeInfoTypes);
    const out = mapXhtmlText(
      value,
      (text) => {
        const r = this.#clean(text, this.env.text, noContextValue);
        return r.changed ? r.text : undefined;
      },
      (text) => {
        const r = this.#clean(text, this.env.structuredText, noContextValue);
        return r.changed ? r.text : undefined;
      },
    );
    // Markup that cannot be read cannot be cleaned: removed, not passed through.
    if (out === undefined) return this.count(key, 'removed', REMOVE);
    if (out === value) return value;
    this.label('REDACTED');
    return this.count(key, 'cleaned', out);
  }

  /**
   * base64 text/* attachment: decoded, cleaned, re-encoded. Returns the new
   * base64, or undefined when the value is not base64 whose every byte was
   * read: Node's decoder stops at the first padding and takes base64url
   * letters, so `base64(a)` + `base64(b)` would be checked as `a` alone and
   * passed on with `b`, which other decoders (`base64 -d`) read.
   */
  cleanBase64Text(data: string, key: string): string | undefined {
    const compact = /\s/.test(data) ? data.replace(/\s+/g, '') : data;
    if (!STRICT_BASE64.test(compact)) return undefined;
    const text = Buffer.from(compact, 'base64').toString('utf8');
    if (text.includes('\uFFFD')) return undefined;
    const { text: cleaned, changed } = this.#clean(text, this.env.text);
    if (!changed) return data;
    this.label('REDACTED');
    return this.count(key, 'cleaned', Buffer.from(cleaned, 'utf8').toString('base64'));
  }

  /**
   * v1 TRANSFORM: the whole value is replaced by the text config's default
   * transformation; where that cannot apply to the type, it is redacted.
   */
  transformWhole(value: unknown, type: string, key: string): LeafResult {
    const dflt = this.env.text.transformations.find((t) => t.infoTypes.length === 0)?.action ?? { kind: 'replaceWithInfoType' as const };
    if (typeof value !== 'string') return this.count(key, 'removed', REMOVE);
    const isDate = DATE_TYPES.has(type);
    // Inline data and narrative must stay base64 and xhtml: a replacement or
    // mask is neither (nor is a hash xhtml), so there the value is removed.
    if ((type === 'base64Binary' || type === 'xhtml') && (dflt.kind === 'replaceWithInfoType' || dflt.kind === 'characterMask' || (dflt.kind === 'cryptoHash' && type === 'xhtml'))) {
      return this.count(key, 'removed', REMOVE);
    }
    switch (dflt.kind) {
      case 'dateShift':
      case 'replaceWithInfoType':
        if (isDate) {
          const s = shiftFhirDate(value, this.shiftDays);
          return s === undefined ? this.count(key, 'removed', REMOVE) : this.count(key, 'date-shifted', s);
        }
        if (dflt.kind === 'dateShift') return this.count(key, 'removed', REMOVE);
        this.label('REDACTED');
        return this.count(key, 'replaced', `[${infoTypeOfPath(key)}]`);
      case 'cryptoHash':
        if (isDate) return this.count(key, 'removed', REMOVE);
        this.label('PSEUDED');
        return this.count(key, 'hashed', this.env.keyed.cryptoHash(value));
      case 'characterMask':
        if (isDate) return this.count(key, 'removed', REMOVE);
        this.label('MASKED');
        return this.count(key, 'masked', (dflt.maskingCharacter || '*').repeat([...value].length));
      case 'redact':
        return this.count(key, 'removed', REMOVE);
    }
  }

  /** meta.security codings for what was done to this record. */
  securityCodings(): { system: string; code: string; display: string }[] {
    const out: { system: string; code: string; display: string }[] = [];
    if (this.#labels === 0) return out;
    for (const code of LABELS) if (this.#labels & LABEL_BIT[code]) out.push({ system: SECURITY_SYSTEM, code, display: LABEL_DISPLAY[code] });
    return out;
  }
}

function infoTypeOfPath(key: string): string {
  if (/\.(name|given|family)\b/.test(key)) return 'PERSON_NAME';
  if (/\.telecom\b/.test(key)) return 'PHONE_NUMBER';
  if (/\.address\b/.test(key)) return 'STREET_ADDRESS';
  if (/\.identifier\b/.test(key)) return 'MEDICAL_RECORD_NUMBER';
  return 'REDACTED';
}

export function sha1Base64(b: Buffer): string {
  return createHash('sha1').update(b).digest('base64');
}

/** base64 (RFC 4648 §4, padded), padding only at the end: what cleanBase64Text reads whole. */
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
