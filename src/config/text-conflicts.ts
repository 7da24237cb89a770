import { DeidError } from '../core/errors.js';
import type { TextConfigInput } from './schema.js';

/**
 * Google gives no precedence between two transformations naming the same
 * infoType, or between two default transformations (no infoTypes), so such a
 * TextConfig is rejected, naming both places. With this rule the order of
 * `transformations` and `additionalTransformations` never matters.
 */
export function checkTextConflicts(text: TextConfigInput | undefined, where = 'text'): void {
  if (!text) return;
  const seen = new Map<string, string>();
  for (const key of ['transformations', 'additionalTransformations'] as const) {
    text[key]?.forEach((t, i) => {
      const here = `${where ? `${where}.` : ''}${key}[${i}]`;
      const infoTypes = t.infoTypes ?? [];
      for (const name of infoTypes.length === 0 ? [''] : infoTypes) {
        const before = seen.get(name);
        if (before !== undefined) {
          const what = name === '' ? 'a second default transformation (no infoTypes)' : `infoType ${name} again`;
          throw new DeidError('CONFIG_INVALID', `${here}: names ${what}; first at ${before}`);
        }
        seen.set(name, here);
      }
    });
  }
}
