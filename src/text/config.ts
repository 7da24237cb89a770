import { z } from 'zod';
import { DeidError } from '../core/errors.js';
import type { InfoTypeTransformation, TextAction, TextDeidConfig } from './types.js';

/**
 * Google Cloud Healthcare API TextConfig, both generations:
 *  - v1: { transformations: InfoTypeTransformation[], additionalTransformations, excludeInfoTypes }
 *  - v1beta1: { profileType: BASIC | EMPTY | PROFILE_TYPE_UNSPECIFIED, additionalTransformations, excludeInfoTypes }
 * InfoTypeTransformation = { infoTypes: string[], one of redactConfig |
 * characterMaskConfig { maskingCharacter } | cryptoHashConfig { cryptoKey |
 * kmsWrapped } | dateShiftConfig { cryptoKey | kmsWrapped } |
 * replaceWithInfoTypeConfig } (Healthcare API reference, TextConfig and
 * InfoTypeTransformation). Keys live outside the config in this tool: a
 * cryptoKey/kmsWrapped in the config is accepted and ignored.
 */
const keySpec = z
  .object({ cryptoKey: z.string().optional(), kmsWrapped: z.object({}).passthrough().optional() })
  .passthrough();

const transformationSchema = z
  .object({
    infoTypes: z.array(z.string().min(1)).optional(),
    redactConfig: z.object({}).passthrough().optional(),
    characterMaskConfig: z
      .object({ maskingCharacter: z.string().max(1).optional(), charactersToIgnore: z.array(z.string()).optional() })
      .passthrough()
      .optional(),
    cryptoHashConfig: keySpec.optional(),
    dateShiftConfig: keySpec.optional(),
    replaceWithInfoTypeConfig: z.object({}).passthrough().optional(),
  })
  .strict();

export const textConfigSchema = z
  .object({
    profileType: z.enum(['BASIC', 'EMPTY', 'PROFILE_TYPE_UNSPECIFIED']).optional(),
    transformations: z.array(transformationSchema).optional(),
    additionalTransformations: z.array(transformationSchema).optional(),
    excludeInfoTypes: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type GoogleTextConfig = z.infer<typeof textConfigSchema>;

function actionOf(t: z.infer<typeof transformationSchema>, index: number): TextAction {
  const actions: TextAction[] = [];
  if (t.redactConfig) actions.push({ kind: 'redact' });
  if (t.characterMaskConfig) {
    const ignore = t.characterMaskConfig.charactersToIgnore;
    actions.push({
      kind: 'characterMask',
      maskingCharacter: t.characterMaskConfig.maskingCharacter || '*',
      ...(ignore ? { charactersToIgnore: ignore } : {}),
    });
  }
  if (t.cryptoHashConfig) actions.push({ kind: 'cryptoHash' });
  if (t.dateShiftConfig) actions.push({ kind: 'dateShift' });
  if (t.replaceWithInfoTypeConfig) actions.push({ kind: 'replaceWithInfoType' });
  if (actions.length !== 1) {
    throw new DeidError('CONFIG_INVALID', `text transformation ${index} must set exactly one of redactConfig, characterMaskConfig, cryptoHashConfig, dateShiftConfig, replaceWithInfoTypeConfig`);
  }
  return actions[0]!;
}

/**
 * Normalizes a Google TextConfig. Without a profileType, a config that gives
 * transformations is taken literally (EMPTY profile: only what they name is
 * transformed), and one that gives none is BASIC (Google's default).
 */
export function normalizeTextConfig(input: unknown): TextDeidConfig {
  const parsed = textConfigSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeidError('CONFIG_INVALID', `text: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.code}` : 'invalid'}`);
  }
  const c = parsed.data;
  const list = [...(c.additionalTransformations ?? []), ...(c.transformations ?? [])];
  const transformations: InfoTypeTransformation[] = list.map((t, i) => ({ infoTypes: t.infoTypes ?? [], action: actionOf(t, i) }));
  let profile: 'BASIC' | 'EMPTY';
  if (c.profileType === 'BASIC' || c.profileType === 'EMPTY') profile = c.profileType;
  else profile = transformations.length > 0 ? 'EMPTY' : 'BASIC';
  return { profile, transformations, excludeInfoTypes: c.excludeInfoTypes ?? [] };
}

export { DEFAULT_TEXT_CONFIG } from './default-config.js';
