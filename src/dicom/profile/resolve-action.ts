import { OPTION_COLUMN, OPTION_NAMES, type ProfileOptions } from './options.js';
import type { ProfileRow } from './table.js';

/**
 * What the profile does to one attribute:
 * - X remove, Z zero length, D dummy, K keep, U replace UID, C clean (text
 *   detectors over the value; a sequence is kept and cleaned inside);
 * - SHIFT: Retain Longitudinal Temporal Information with Modified Dates
 *   (DA/DT shifted by the patient's offset, TM kept);
 * - RECURSE: keep a sequence and apply the profile to its items (X/Z/U*).
 */
export type ProfileAction = 'X' | 'Z' | 'D' | 'K' | 'U' | 'C' | 'SHIFT' | 'RECURSE';

/**
 * The basic profile code of a row reduced to one action. PS3.15 E.1.1 lets a
 * combined code pick per IOD (X unless the attribute is Type 2 → Z, Type 1 → D).
 * Not knowing the IOD of every instance, deid takes the most conservative
 * choice that is valid whatever the attribute's type:
 *   X/Z → Z (an empty value is valid for Type 2 and 3),
 *   X/D, Z/D, X/Z/D → D (a dummy is valid for Type 1 too),
 *   X/Z/U* → RECURSE (keep the sequence; its UIDs are replaced and the rest of
 *   its content is de-identified like any other attribute).
 * A single code is itself.
 */
export function basicAction(code: string): ProfileAction {
  switch (code) {
    case 'X': case 'Z': case 'D': case 'K': case 'U': case 'C':
      return code;
    case 'X/Z':
      return 'Z';
    case 'X/D': case 'Z/D': case 'X/Z/D':
      return 'D';
    case 'X/Z/U*': case 'X/Z/U':
      return 'RECURSE';
    default:
      // Unknown code: fail closed.
      return 'X';
  }
}

/**
 * The action for a row under a set of options. An enabled option whose column
 * has a code for the row overrides the basic profile (PS3.15 E.3):
 * - any enabled Clean option (C) wins: it is the most conservative of the
 *   overriding codes;
 * - Retain Longitudinal Full Dates (K) beats Modified Dates (C = shift);
 * - Modified Dates shifts;
 * - otherwise a Retain option keeps (K).
 */
export function resolveAction(row: ProfileRow, options: ProfileOptions): ProfileAction {
  let memo = resolved.get(options);
  if (!memo) resolved.set(options, (memo = new Map()));
  let a = memo.get(row);
  if (a === undefined) memo.set(row, (a = resolve(row, options)));
  return a;
}

/**
 * resolveAction's answers per options object (a run's plan keeps one) and
 * row: every element of every instance asks, and the answer only depends on
 * the two.
 */
const resolved = new WeakMap<ProfileOptions, Map<ProfileRow, ProfileAction>>();

function resolve(row: ProfileRow, options: ProfileOptions): ProfileAction {
  let clean = false;
  let keep = false;
  let shift = false;
  let fullDates = false;
  for (const name of OPTION_NAMES) {
    if (!options[name]) continue;
    const code = row.options[OPTION_COLUMN[name]];
    if (!code) continue;
    if (name === 'retainLongModifiedDates') shift = true;
    else if (name === 'retainLongFullDates') fullDates = code === 'K';
    else if (code === 'C') clean = true;
    else if (code === 'K') keep = true;
  }
  if (clean) return 'C';
  if (fullDates) return 'K';
  if (shift) return 'SHIFT';
  if (keep) return 'K';
  return basicAction(row.basic);
}
