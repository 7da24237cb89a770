import type { TextDeidConfig } from './types.js';

/** BASIC: dates shifted, every other finding replaced by its infoType. */
export const DEFAULT_TEXT_CONFIG: TextDeidConfig = Object.freeze({
  profile: 'BASIC',
  transformations: [],
  excludeInfoTypes: [],
}) as TextDeidConfig;
