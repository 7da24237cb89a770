import { DeidError } from '../core/errors.js';
import type { InfoTypeTransformation, TextAction, TextDeidConfig } from '../text/types.js';
import { TEXT_TRANSFORMATION_KEYS, type InfoTypeTransformationInput, type TextConfigInput } from './schema.js';

/**
 * Google TextConfig (already validated by ./schema.ts) → TextDeidConfig.
 *
 * - `transformations` (v1, deprecated) and `additionalTransformations` are
 *   concatenated in that order; a transformation without infoTypes is the
 *   default for every infoType no other transformation names.
 * - An infoType named by two transformations, or two default
 *   transformations, is an error: Google gives no precedence rule for it.
 * - `excludeInfoTypes` wins over any transformation.
 * - v1beta1 `profileType` EMPTY/BASIC; unspecified = BASIC.
 */
export const DEFAULT_TEXT_CONFIG: TextDeidConfig = Object.freeze({
  profile: 'BASIC',
  transformations: [],
  excludeInfoTypes: [],
}) as TextDeidConfig;

function actionOf(t: InfoTypeTransformationInput): TextAction {
  if (t.redactConfig) return { kind: 'redact' };
  if (t.replaceWithInfoTypeConfig) return { kind: 'replaceWithInfoType' };
  if (t.characterMaskConfig) {
    return { kind: 'characterMask', maskingCharacter: t.characterMaskConfig.maskingCharacter ?? '*' };
  }
  if (t.cryptoHashConfig) return { kind: 'cryptoHash' };
  if (t.dateShiftConfig) return { kind: 'dateShift' };
  // The schema requires exactly one of TEXT_TRANSFORMATION_KEYS.
  throw new DeidError('INTERNAL', `text transformation without one of ${TEXT_TRANSFORMATION_KEYS.join(', ')}`);
}

export function parseTextConfig(obj: TextConfigInput | undefined, where = 'text'): TextDeidConfig {
  if (obj === undefined) return { ...DEFAULT_TEXT_CONFIG, transformations: [], excludeInfoTypes: [] };
  const seen = new Map<string, string>();
  const transformations: InfoTypeTransformation[] = [];
  const lists: [string, InfoTypeTransformationInput[] | undefined][] = [
    ['transformations', obj.transformations],
    ['additionalTransformations', obj.additionalTransformations],
  ];
  for (const [key, list] of lists) {
    list?.forEach((t, i) => {
      const here = `${where}.${key}[${i}]`;
      const infoTypes = t.infoTypes ?? [];
      const names = infoTypes.length === 0 ? ['(default)'] : infoTypes;
      for (const n of names) {
        const before = seen.get(n);
        if (before !== undefined) {
          const what = n === '(default)' ? 'a second default transformation (no infoTypes)' : `infoType ${n} again`;
          throw new DeidError('CONFIG_INVALID', `${here}: names ${what}; first at ${before}`);
        }
        seen.set(n, here);
      }
      transformations.push({ infoTypes: [...infoTypes], action: actionOf(t) });
    });
  }
  return {
    profile: obj.profileType === 'EMPTY' ? 'EMPTY' : 'BASIC',
    transformations,
    excludeInfoTypes: [...new Set(obj.excludeInfoTypes ?? [])],
  };
}
