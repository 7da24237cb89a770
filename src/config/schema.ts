import { z } from 'zod';
import { DETECTED_INFO_TYPES } from '../detectors/info-type-names.js';
import { OPTION_NAMES, parseOptionName } from '../dicom/profile/options.js';

/**
 * zod schemas of Google Cloud Healthcare API `DeidentifyConfig`, both
 * generations, as JSON (camelCase) — see docs/google-config.md for the
 * sources. Every object is strict: an unknown key is an error, so a typo or a
 * field from the other generation never silently does nothing.
 *
 * Google's "empty message" options (keepField: {}, contextualDeid: {}, …) are
 * objects whose presence is the setting; they are accepted as `{}` only.
 */

const empty = z.strictObject({});

/**
 * Google's `oneof` fields: exactly one (or, with `optional`, at most one) of
 * `keys` may be set. Issues name the object and the keys.
 */
function oneOf<T extends Record<string, unknown>>(keys: readonly string[], optional = false) {
  return (value: T, ctx: z.RefinementCtx): void => {
    const set = keys.filter((k) => value[k] !== undefined);
    if (set.length > 1) {
      ctx.addIssue({ code: 'custom', message: `sets ${set.join(' and ')}; only one of ${keys.join(', ')} may be set` });
    } else if (set.length === 0 && !optional) {
      ctx.addIssue({ code: 'custom', message: `needs one of ${keys.join(', ')}` });
    }
  };
}

/** DLP / Sensitive Data Protection infoType names are upper case: PERSON_NAME, US_SOCIAL_SECURITY_NUMBER. */
export const infoTypeName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an infoType name in upper case, like PERSON_NAME')
  .max(128);

/** What deid finds: its detectors' infoTypes and CTX, the record's own values (contextual de-identification). */
const DETECTED = new Set([...DETECTED_INFO_TYPES, 'CTX']);

/**
 * An infoType a transformation names must be one deid detects: any other
 * name would match no finding, and what the config means to transform would
 * pass through unchanged (`SSN` for US_SOCIAL_SECURITY_NUMBER, a Google
 * infoType deid has no detector for). excludeInfoTypes may name any.
 */
const transformedInfoType = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be an infoType name in upper case, like PERSON_NAME', abort: true })
  .refine((name) => DETECTED.has(name), `is no infoType deid detects; use one of ${[...DETECTED].join(', ')}`);

/** One character (one Unicode code point; half of a surrogate pair is none, UTF-8 cannot write it). */
const maskingCharacter = z
  .string()
  .refine((s) => [...s].length === 1 && !/\p{Cs}/u.test(s), 'must be exactly one character');

// deid never reads keys from the config: they come from --key-file / DEID_KEY,
// so one key links FHIR, DICOM and text runs. Key fields are rejected, not ignored.
const noKeys = {
  cryptoKey: z.never({ error: 'keys are not read from the config; give the key with --key-file or DEID_KEY' }).optional(),
  kmsWrapped: z
    .never({ error: 'KMS-wrapped keys are not supported; give the key with --key-file or DEID_KEY' })
    .optional(),
};

export const characterMaskConfig = z.strictObject({ maskingCharacter: maskingCharacter.optional() });
export const cryptoHashConfig = z.strictObject({ ...noKeys });
export const dateShiftConfig = z.strictObject({ ...noKeys });
export const redactConfig = empty;
export const replaceWithInfoTypeConfig = empty;

/** TextConfig.transformations[] / additionalTransformations[] (both generations). */
export const TEXT_TRANSFORMATION_KEYS = [
  'redactConfig',
  'characterMaskConfig',
  'cryptoHashConfig',
  'dateShiftConfig',
  'replaceWithInfoTypeConfig',
] as const;

export const infoTypeTransformation = z
  .strictObject({
    infoTypes: z.array(transformedInfoType).max(1000).optional(),
    redactConfig: redactConfig.optional(),
    characterMaskConfig: characterMaskConfig.optional(),
    cryptoHashConfig: cryptoHashConfig.optional(),
    dateShiftConfig: dateShiftConfig.optional(),
    replaceWithInfoTypeConfig: replaceWithInfoTypeConfig.optional(),
  })
  .superRefine(oneOf(TEXT_TRANSFORMATION_KEYS));

/** TextConfig: v1 (transformations, additionalTransformations, excludeInfoTypes) + v1beta1 profileType. */
export const textConfig = z.strictObject({
  transformations: z.array(infoTypeTransformation).max(1000).optional(),
  additionalTransformations: z.array(infoTypeTransformation).max(1000).optional(),
  excludeInfoTypes: z.array(infoTypeName).max(1000).optional(),
  profileType: z.enum(['PROFILE_TYPE_UNSPECIFIED', 'EMPTY', 'BASIC']).optional(),
});

/** A FHIR field path (syntax is checked by compileFieldPath, which names the offending component). */
const fieldPath = z.string();
const fieldPaths = z.array(fieldPath).min(1, 'must list at least one path').max(10_000);

// ---- v1 `fhir` --------------------------------------------------------------

export const V1_FIELD_ACTIONS = ['TRANSFORM', 'INSPECT_AND_TRANSFORM', 'DO_NOT_TRANSFORM'] as const;

export const fieldMetadataV1 = z.strictObject({
  paths: fieldPaths,
  action: z.enum(V1_FIELD_ACTIONS, {
    error: `must be one of ${V1_FIELD_ACTIONS.join(', ')}`,
  }),
});

export const fhirConfigV1 = z.strictObject({
  fieldMetadataList: z.array(fieldMetadataV1).max(100_000).optional(),
  defaultKeepExtensions: z.boolean().optional(),
});

// ---- v1beta1 `fhirFieldConfig` ------------------------------------------------

export const V1BETA1_FIELD_ACTIONS = [
  'keepField',
  'removeField',
  'characterMaskField',
  'cryptoHashField',
  'dateShiftField',
  'cleanTextField',
] as const;

export const fieldMetadataV1beta1 = z
  .strictObject({
    paths: fieldPaths,
    keepField: empty.optional(),
    removeField: empty.optional(),
    characterMaskField: empty.optional(),
    cryptoHashField: empty.optional(),
    dateShiftField: empty.optional(),
    cleanTextField: empty.optional(),
  })
  .superRefine(oneOf(V1BETA1_FIELD_ACTIONS));

export const FHIR_PROFILE_TYPES = ['PROFILE_TYPE_UNSPECIFIED', 'KEEP_ALL', 'BASIC', 'CLEAN_ALL'] as const;

export const fhirFieldConfig = z.strictObject({
  profileType: z.enum(FHIR_PROFILE_TYPES, { error: `must be one of ${FHIR_PROFILE_TYPES.join(', ')}` }).optional(),
  options: z
    .strictObject({
      characterMaskConfig: characterMaskConfig.optional(),
      cryptoHashConfig: cryptoHashConfig.optional(),
      dateShiftConfig: dateShiftConfig.optional(),
      contextualDeid: empty.optional(),
      keepExtensions: empty.optional(),
    })
    .optional(),
  fieldMetadataList: z.array(fieldMetadataV1beta1).max(100_000).optional(),
});

// ---- DICOM ------------------------------------------------------------------------

/** A DICOM tag as 8 hex digits (`00100010`) or a keyword (`PatientName`). */
export const dicomTag = z
  .string()
  .regex(/^(?:[0-9A-Fa-f]{8}|[A-Za-z][A-Za-z0-9]*)$/, 'must be a tag as 8 hex digits (00100010) or a keyword (PatientName)')
  .max(64);

/** DicomTagConfig action query: tag ID, keyword or VR (two upper-case letters). */
export const dicomQuery = z
  .string()
  .regex(
    /^(?:[0-9A-Fa-f]{8}|[A-Za-z][A-Za-z0-9]*)$/,
    'must be a tag ID (00100010), a keyword (PatientName) or a VR (PN)',
  )
  .max(64);

const tagFilterList = z.strictObject({ tags: z.array(dicomTag).max(100_000) });

export const DICOM_FILTER_PROFILES = [
  'TAG_FILTER_PROFILE_UNSPECIFIED',
  'MINIMAL_KEEP_LIST_PROFILE',
  'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE',
  'KEEP_ALL_PROFILE',
  'DEIDENTIFY_TAG_CONTENTS',
] as const;

/** v1 `dicom` (DicomConfig). keepList, removeList and filterProfile are one union field. */
export const dicomConfigV1 = z
  .strictObject({
    keepList: tagFilterList.optional(),
    removeList: tagFilterList.optional(),
    filterProfile: z
      .enum(DICOM_FILTER_PROFILES, { error: `must be one of ${DICOM_FILTER_PROFILES.join(', ')}` })
      .optional(),
    skipIdRedaction: z.boolean().optional(),
  })
  .superRefine(oneOf(['keepList', 'removeList', 'filterProfile'], true));

export const imageConfig = z.strictObject({
  textRedactionMode: z
    .enum(['TEXT_REDACTION_MODE_UNSPECIFIED', 'REDACT_ALL_TEXT', 'REDACT_SENSITIVE_TEXT', 'REDACT_NO_TEXT'])
    .optional(),
  additionalInfoTypes: z.array(infoTypeName).max(1000).optional(),
  excludeInfoTypes: z.array(infoTypeName).max(1000).optional(),
});

export const DICOM_TAG_ACTIONS = [
  'keepTag',
  'removeTag',
  'deleteTag',
  'resetTag',
  'cleanTextTag',
  'cleanImageTag',
  'regenUidTag',
  'recurseTag',
] as const;

export const dicomTagAction = z
  .strictObject({
    queries: z.array(dicomQuery).min(1, 'must list at least one query').max(100_000),
    keepTag: empty.optional(),
    removeTag: empty.optional(),
    deleteTag: empty.optional(),
    resetTag: empty.optional(),
    cleanTextTag: empty.optional(),
    cleanImageTag: imageConfig.optional(),
    regenUidTag: empty.optional(),
    recurseTag: empty.optional(),
  })
  .superRefine(oneOf(DICOM_TAG_ACTIONS));

export const DICOM_TAG_PROFILE_TYPES = [
  'PROFILE_TYPE_UNSPECIFIED',
  'MINIMAL_KEEP_LIST_PROFILE',
  'ATTRIBUTE_CONFIDENTIALITY_BASIC_PROFILE',
  'KEEP_ALL_PROFILE',
  'DEIDENTIFY_TAG_CONTENTS',
] as const;

/** v1beta1 `dicomTagConfig`. */
export const dicomTagConfig = z.strictObject({
  profileType: z
    .enum(DICOM_TAG_PROFILE_TYPES, { error: `must be one of ${DICOM_TAG_PROFILE_TYPES.join(', ')}` })
    .optional(),
  options: z
    .strictObject({
      primaryIds: z.enum(['PRIMARY_IDS_OPTION_UNSPECIFIED', 'KEEP', 'REGEN']).optional(),
      cleanDescriptors: empty.optional(),
      cleanImage: imageConfig.optional(),
    })
    .optional(),
  actions: z.array(dicomTagAction).max(100_000).optional(),
});

// ---- deid's own extension -----------------------------------------------------------

function isCalendarDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}

const dicomOptionName = z
  .string()
  .max(64)
  .refine((s) => parseOptionName(s) !== undefined, { message: `must be one of ${OPTION_NAMES.join(', ')}` });

/** `deid.dicom`: the PS3.15 options and the burned-in switch of `deid dicom` / `deid dataset`. */
export const dicomExtensionSchema = z.strictObject({
  options: z.union([z.array(dicomOptionName).max(20), z.record(dicomOptionName, z.boolean())]).optional(),
  allowBurnedIn: z.boolean().optional(),
});

/**
 * Top-level `deid` key: settings Google's config has no place for. One file
 * serves every command, so each part is validated here even where the
 * command ignores it (`deid fhir` ignores `dicom`).
 */
export const deidExtension = z.strictObject({
  dicom: dicomExtensionSchema.optional(),
  /** Keep resource ids, references and identifiers instead of pseudonymising them. */
  keepIds: z.boolean().optional(),
  /** ± days of the date shift (Google: 100). */
  dateShiftRangeDays: z.int().min(1).max(36_500).optional(),
  /** The day on which a birth date is read as an age over 89 (Safe Harbor); default: the run's day (UTC). */
  ageReferenceDate: z
    .string()
    .max(10)
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD', abort: true })
    .refine(isCalendarDay, 'is no day of the calendar')
    .optional(),
});

// ---- DeidentifyConfig ---------------------------------------------------------------

export const deidentifyConfig = z
  .strictObject({
    fhir: fhirConfigV1.optional(),
    fhirFieldConfig: fhirFieldConfig.optional(),
    dicom: dicomConfigV1.optional(),
    dicomTagConfig: dicomTagConfig.optional(),
    text: textConfig.optional(),
    image: imageConfig.optional(),
    /** Google: keep in-flight data in its region. Local processing always does; accepted, no effect. */
    useRegionalDataProcessing: z.boolean().optional(),
    /** v1beta1: where to store findings. deid writes no annotation store; accepted, no effect. */
    annotation: z
      .strictObject({ annotationStoreName: z.string().max(1024).optional(), storeQuote: z.boolean().optional() })
      .optional(),
    operationMetadata: z
      .never({ error: 'operationMetadata is output-only in Google\u2019s API and cannot be configured' })
      .optional(),
    deid: deidExtension.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.fhir !== undefined && c.fhirFieldConfig !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'sets both fhir (v1) and fhirFieldConfig (v1beta1); use one' });
    }
    if (c.dicom !== undefined && c.dicomTagConfig !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'sets both dicom (v1) and dicomTagConfig (v1beta1); use one' });
    }
  });

export type DeidentifyConfigInput = z.infer<typeof deidentifyConfig>;
export type FieldMetadataV1 = z.infer<typeof fieldMetadataV1>;
export type FieldMetadataV1beta1 = z.infer<typeof fieldMetadataV1beta1>;
export type TextConfigInput = z.infer<typeof textConfig>;
export type InfoTypeTransformationInput = z.infer<typeof infoTypeTransformation>;
