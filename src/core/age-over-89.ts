/**
 * Safe Harbor (C), 45 CFR 164.514(b)(2)(i)(C): "all ages over 89 and all elements of dates
 * (including year) indicative of such age" are removed, "except that such ages and elements
 * may be aggregated into a single category of age 90 or older". A birth date is indicative of
 * such an age when the person is 90 or older on the reference day: the day of death when the
 * record gives one, else the run's reference date (`deid.ageReferenceDate`, default today).
 * Used for FHIR birth dates (src/fhir) and dates of birth in free text (src/text).
 */

/** Year, month and day of the earliest (`end` false) or latest (`end` true) day a FHIR date names; undefined if it is none. */
function dayOf(value: string, end: boolean): [number, number, number] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? (end ? 12 : 1) : Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const d = m[3] === undefined ? (end ? last : 1) : Number(m[3]);
  if (d < 1 || d > last) return undefined;
  return [y, mo, d];
}

function ordinal([y, m, d]: [number, number, number]): number {
  return y * 10_000 + m * 100 + d;
}

/** Whole years from `from` to `to` (both [y, m, d]). */
function yearsBetween(from: [number, number, number], to: [number, number, number]): number {
  const beforeBirthday = to[1] < from[1] || (to[1] === from[1] && to[2] < from[2]);
  return to[0] - from[0] - (beforeBirthday ? 1 : 0);
}

/**
 * The single "90 or older" category a birth date becomes: the year 90 years before the
 * reference day's year (a year-only FHIR date), or undefined when the person is under 90 then
 * or the birth date is none. A partial birth date counts from its earliest day (a year of
 * birth that may mean 90 does), and a death on a partial date from its latest day.
 */
export function birthDateOver89(birthDate: string, referenceDate: string, deceased?: unknown): string | undefined {
  const birth = dayOf(birthDate, false);
  let reference = dayOf(referenceDate, true);
  if (!birth || !reference) return undefined;
  const death = typeof deceased === 'string' ? dayOf(deceased, true) : undefined;
  // a death after the reference day is a date no record can know yet: the reference day stands
  if (death && ordinal(death) < ordinal(reference)) reference = death;
  if (yearsBetween(birth, reference) < 90) return undefined;
  return String(Math.max(0, reference[0] - 90)).padStart(4, '0');
}

/**
 * Whether a date of birth given by its parts (a month or day not given: its earliest) is 90 or
 * more years before the reference day (YYYY-MM-DD). For dates of birth found in free text.
 */
export function bornOver89(year: number, month: number | undefined, day: number | undefined, referenceDate: string): boolean {
  const reference = dayOf(referenceDate, true);
  return reference !== undefined && yearsBetween([year, month ?? 1, day ?? 1], reference) >= 90;
}

/** Today (UTC) as YYYY-MM-DD: the default reference date of a run. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
