import { readFileSync } from 'node:fs';
import { dataFile } from '../core/data-file.js';

/**
 * HIPAA Safe Harbor generalisations, 45 CFR 164.514(b)(2)(i):
 * (B) the initial three digits of a ZIP code may stay when the area they form
 * has more than 20,000 people, otherwise they become 000;
 * (C) ages over 89 are aggregated into a single category of 90 or older.
 */
const restricted = new Set<string>(
  (JSON.parse(readFileSync(dataFile('fhir/restricted-zip3.json'), 'utf8')) as { zip3: string[] }).zip3,
);

/** US ZIP / ZIP+4 → its first three digits or 000; anything else → undefined (remove). */
export function generalizeZip(postalCode: string): string | undefined {
  const m = /^\s*(\d{3})\d{2}(?:-?\d{4})?\s*$/.exec(postalCode);
  if (!m) return undefined;
  return restricted.has(m[1]!) ? '000' : m[1]!;
}

const YEAR_UNITS = new Set(['a', 'yr', 'year', 'years', 'y']);

const TIME_UNITS = new Set([...YEAR_UNITS, 'mo', 'month', 'months', 'wk', 'week', 'weeks', 'd', 'day', 'days']);

/**
 * Whether a Quantity of any name is a length of time over 89 years, by an
 * explicit time unit (UCUM code or unit text): an Observation's
 * `valueQuantity` of 95 `a` (LOINC 30525-0, Age) says the person is over 89
 * as an Age element would, and no time a person has lived through is longer.
 */
export function isTimeOver89Years(q: Record<string, unknown>): boolean {
  if (typeof q.value !== 'number' || q.value <= 89) return false;
  const unit = q.code ?? q.unit;
  if (typeof unit !== 'string' || !TIME_UNITS.has(unit.toLowerCase())) return false;
  return yearsOf(q.value, unit.toLowerCase()) > 89;
}

const PER_YEAR = new Map([...['mo', 'month', 'months'].map((u) => [u, 12] as const), ...['wk', 'week', 'weeks'].map((u) => [u, 52.1775] as const), ...['d', 'day', 'days'].map((u) => [u, 365.25] as const)]);

/** A length of time in years, from a value and a (lower-case) unit; a unit that is none of these counts as years. */
function yearsOf(v: number, unit: string): number {
  const per = PER_YEAR.get(unit);
  return per === undefined ? v : v / per;
}

/** What an age over 89 written as text (`ageString`) becomes: the one category. */
export const AGE_TEXT_CATEGORY = '90 years or older';

/**
 * Whether an age written as text ("95 years", "in her 90s", "1100 months") is over 89: any
 * number in it that, read with the time unit after it (years when none), is 90 years or more.
 */
export function isAgeTextOver89(text: string): boolean {
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(?:'?s\b)?\s*([a-z]+)?/gi)) {
    const unit = m[2]?.toLowerCase();
    if (yearsOf(Number(m[1]), unit !== undefined && TIME_UNITS.has(unit) ? unit : 'a') > 89) return true;
  }
  return false;
}

/** An Age (or Quantity used as an age) in years above 89 becomes 90; returns true when it changed. */
export function generalizeAge(age: Record<string, unknown>): boolean {
  const v = age.value;
  if (typeof v !== 'number') return false;
  const unit = String(age.code ?? age.unit ?? 'a').toLowerCase();
  if (yearsOf(v, unit) <= 89) return false;
  age.value = 90;
  if (age.code !== undefined || age.system !== undefined) {
    age.code = 'a';
    age.system = 'http://unitsofmeasure.org';
  }
  age.unit = 'years';
  if (age.comparator === undefined) age.comparator = '>=';
  return true;
}
