import type { FieldAction } from '../config/model.js';
import { shiftFhirDate } from '../core/dates.js';
import { DATE_TYPES } from './r4-types.js';
import type { ResourceState } from './resource-state.js';

/** Result of transforming one primitive: the new value, or REMOVE. */
export const REMOVE: unique symbol = Symbol('remove');
export type LeafResult = unknown | typeof REMOVE;

/** Types whose value is free text or an opaque string a mask or hash can stand in for. */
const STRINGISH = new Set(['string', 'markdown', 'code', 'id', 'uri', 'url', 'canonical', 'oid', 'uuid', 'xhtml']);

/**
 * Applies an explicit field action (from a config rule) to a primitive. An
 * action that cannot apply to the value's type falls back to redaction, as
 * Google does (a crypto hash of a date, a date shift of a string).
 */
export function applyLeafAction(action: FieldAction, value: unknown, type: string, st: ResourceState, countKey: string): LeafResult {
  switch (action.kind) {
    case 'keep':
      return value;
    case 'remove':
      return st.count(countKey, 'removed', REMOVE);
    case 'characterMask':
      if (typeof value === 'string' && STRINGISH.has(type)) {
        st.label('MASKED');
        return st.count(countKey, 'masked', st.mask(value));
      }
      return st.count(countKey, 'removed', REMOVE);
    case 'cryptoHash':
      if (typeof value === 'string' && STRINGISH.has(type)) {
        st.label('PSEUDED');
        return st.count(countKey, 'hashed', st.env.keyed.cryptoHash(value));
      }
      return st.count(countKey, 'removed', REMOVE);
    case 'dateShift':
      if (typeof value === 'string' && DATE_TYPES.has(type)) return shiftOrRemove(value, st, countKey);
      return st.count(countKey, 'removed', REMOVE);
    case 'cleanText':
      if (typeof value === 'string' && DATE_TYPES.has(type)) return shiftOrRemove(value, st, countKey);
      if (typeof value === 'string' && type === 'xhtml') return st.cleanXhtml(value, countKey);
      // Google lists Code, Id, Oid, Uri, Uuid… as types clean text applies to: a uri may hold an email or a name
      if (typeof value === 'string' && STRINGISH.has(type)) return st.cleanText(value, countKey);
      // inline data (Attachment.data): cleaned when it is text, else it cannot be inspected and goes
      if (typeof value === 'string' && type === 'base64Binary') return st.cleanBase64Text(value, countKey) ?? st.count(countKey, 'removed', REMOVE);
      return value;
    case 'transform':
      return st.transformWhole(value, type, countKey);
  }
}

export function shiftOrRemove(value: string, st: ResourceState, countKey: string): LeafResult {
  const shifted = shiftFhirDate(value, st.shiftDays);
  if (shifted === undefined) return st.count(countKey, 'removed', REMOVE);
  return st.count(countKey, 'date-shifted', shifted);
}
