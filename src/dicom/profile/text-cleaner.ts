import type { TextDeidConfig, TextEnv } from '../../text/types.js';
import type { DicomPlan } from './plan.js';
import { resolveAction } from './resolve-action.js';
import { profileMaskRows, profilePrivateRow, profileRows } from './table.js';

/** Runs the text detectors over one value (deidentifyText bound to a text config). */
export type TextCleaner = (value: string, env: Pick<TextEnv, 'cryptoHash' | 'dateShiftDays' | 'ageReferenceDate' | 'context'>) => string;

let detectors: Promise<typeof import('../../text/deidentify-text.js')> | undefined;
let defaultText: Promise<TextDeidConfig> | undefined;

/**
 * The text detectors, loaded on first use: their dictionaries cost more start-up
 * than the rest of `deid dicom`, and the default profile never cleans text.
 * Without a text config, the default one (which is what a config without a
 * `text` part gets).
 */
export async function loadTextCleaner(text: TextDeidConfig | undefined): Promise<TextCleaner> {
  detectors ??= import('../../text/deidentify-text.js');
  const config = text ?? (await (defaultText ??= import('../../config/default-config.js').then((m) => m.DEFAULT_CONFIG.text)));
  const { deidentifyText } = await detectors;
  return (value, env) => deidentifyText(value, config, env).text;
}

/**
 * Whether a plan can reach the Clean action on a value (PS3.15 C, Google's
 * cleanTextTag or DEIDENTIFY_TAG_CONTENTS): decided from the profile table
 * under the plan's options, so the detectors are loaded exactly when needed.
 * Private attributes are excluded: under Retain Safe Private their C keeps or
 * removes without reading text.
 */
export function planCleansText(plan: DicomPlan): boolean {
  let r = decided.get(plan);
  if (r === undefined) decided.set(plan, (r = cleansText(plan)));
  return r;
}

const decided = new WeakMap<DicomPlan, boolean>();

function cleansText(plan: DicomPlan): boolean {
  if (plan.base === 'TAG_CONTENTS') return true;
  if (plan.actions.some((a) => a.kind === 'cleanText')) return true;
  if (plan.base !== 'BASIC') return false;
  for (const row of [...profileRows().values(), ...profileMaskRows(), profilePrivateRow()]) {
    if (!row) continue;
    if (resolveAction(row, plan.options) === 'C') return true;
  }
  return false;
}
