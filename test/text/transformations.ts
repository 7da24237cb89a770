import type { TextDeidConfig, TextAction } from '../../src/text/types.js';

export const env = { cryptoHash: (v: string) => `H(${v.length})`, dateShiftDays: 10 };

export function only(action: TextAction, infoTypes: string[] = []): TextDeidConfig {
  return { profile: 'EMPTY', transformations: [{ infoTypes, action }], excludeInfoTypes: [] };
}
