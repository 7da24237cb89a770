import type { z } from 'zod';
import { DeidError } from '../core/errors.js';
import { formatConfigPath } from './config-path.js';

/** At most this many problems are listed in one error. */
const MAX_LISTED = 20;

function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function describe(issue: z.core.$ZodIssue, prefix: string): string[] {
  const at = (extra: PropertyKey[] = []): string => formatConfigPath([...issue.path, ...extra], prefix);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && 'input' in issue && issue.input === undefined) {
    return [`${at()}: is required`];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const camel = snakeToCamel(k);
        const hint = camel !== k ? ` (JSON field names are camelCase: ${camel})` : '';
        return `${at([k])}: unknown key${hint}`;
      });
    case 'invalid_type': {
      if (!issue.message.startsWith('Invalid input')) return [`${at()}: ${issue.message}`];
      const got = /received (\w+)/.exec(issue.message)?.[1];
      const what = got === 'undefined' ? 'is required' : `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}${got ? `, got ${got}` : ''}`;
      return [`${at()}: ${what}`];
    }
    case 'invalid_value':
      return [`${at()}: ${issue.message.startsWith('Invalid') ? `must be one of ${issue.values.map(String).join(', ')}` : issue.message}`];
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
    case 'custom':
    default:
      return [`${at()}: ${lowerFirst(issue.message)}`];
  }
}

function lowerFirst(s: string): string {
  return s.length > 0 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/**
 * One CONFIG_INVALID error (parse with `reportInput: true` so missing values
 * read "is required"; input values are never printed) listing every problem as `path: what is wrong`,
 * paths prefixed with `prefix` (`config` for a wrapped request body).
 */
export function issuesToError(issues: readonly z.core.$ZodIssue[], source: string, prefix: string): DeidError {
  const lines = issues.flatMap((i) => describe(i, prefix));
  const shown = lines.slice(0, MAX_LISTED);
  if (lines.length > MAX_LISTED) shown.push(`… and ${lines.length - MAX_LISTED} more`);
  const head = lines.length === 1 ? '' : `${lines.length} problems: `;
  return new DeidError('CONFIG_INVALID', `${source}: ${head}${shown.join('; ')}`);
}
