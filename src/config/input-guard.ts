import { DeidError } from '../core/errors.js';
import { formatConfigPath } from './config-path.js';

/** Real configs are a few levels deep and at most some 10⁵ values. */
export const MAX_CONFIG_DEPTH = 32;
export const MAX_CONFIG_NODES = 2_000_000;

/** Keys that could reach Object.prototype through a careless merge, at any depth. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Rejects hostile shapes before schema validation: nesting deeper than
 * MAX_CONFIG_DEPTH, more than MAX_CONFIG_NODES values, prototype-pollution
 * keys, and values JSON cannot carry (functions, symbols, bigint, non-finite
 * numbers, class instances). Iterative, so depth cannot overflow the stack.
 */
export function guardConfigInput(root: unknown, prefix = ''): void {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (++nodes > MAX_CONFIG_NODES) {
      throw new DeidError('CONFIG_INVALID', `config holds more than ${MAX_CONFIG_NODES} values`);
    }
    const where = (): string => formatConfigPath(path, prefix);
    // undefined members (from callers building configs in code) count as absent.
    if (value === undefined && path.length > 0) continue;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new DeidError('CONFIG_INVALID', `${where()}: number is not finite`);
      continue;
    }
    if (typeof value !== 'object') {
      throw new DeidError('CONFIG_INVALID', `${where()}: ${typeof value} is not a JSON value`);
    }
    if (path.length >= MAX_CONFIG_DEPTH) {
      throw new DeidError('CONFIG_INVALID', `${where()}: nesting is deeper than ${MAX_CONFIG_DEPTH} levels`);
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new DeidError('CONFIG_INVALID', `${where()}: not a plain JSON object`);
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (FORBIDDEN_KEYS.has(key)) {
        throw new DeidError('CONFIG_INVALID', `${formatConfigPath([...path, key], prefix)}: key is not allowed`);
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}
