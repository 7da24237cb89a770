/**
 * Date shifting that keeps the precision of the original value. A value we
 * cannot parse yields `undefined`: callers must remove it (fail closed).
 *
 * Partial dates (a year, a year and month) are shifted at the middle of the
 * period they name and truncated back to the same precision, so a ±100-day
 * shift moves a month but never systematically pushes years backwards.
 */
const DAY_MS = 86_400_000;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in month `m` (1-12) of year `y`; years 0-99 as Date.UTC reads them (1900-1999). */
function daysInMonth(y: number, m: number): number {
  if (m !== 2) return DAYS_IN_MONTH[m]!;
  const g = y >= 0 && y < 100 ? y + 1900 : y;
  return g % 4 === 0 && (g % 100 !== 0 || g % 400 === 0) ? 29 : 28;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function validYmd(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function shiftYmd(y: number, m: number, d: number, days: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  // Date.UTC maps years 0-99 to 1900+; correct for it.
  if (y < 100) t.setUTCFullYear(t.getUTCFullYear() - 1900);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

const FHIR_DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** FHIR date, dateTime or instant. The time of day and the zone are kept. */
export function shiftFhirDate(value: string, days: number): string | undefined {
  const m = FHIR_DATE_RE.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  if (m[2] === undefined) {
    const [ny] = shiftYmd(y, 7, 2, days);
    return pad(ny, 4);
  }
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  if (m[3] === undefined) {
    const [ny, nm] = shiftYmd(y, mo, 15, days);
    return `${pad(ny, 4)}-${pad(nm, 2)}`;
  }
  const d = Number(m[3]);
  if (!validYmd(y, mo, d)) return undefined;
  const [ny, nm, nd] = shiftYmd(y, mo, d, days);
  return `${pad(ny, 4)}-${pad(nm, 2)}-${pad(nd, 2)}${m[4] ?? ''}`;
}

export function isFhirDateLike(value: string): boolean {
  return FHIR_DATE_RE.test(value);
}

/** DICOM DA: YYYYMMDD (and the retired YYYY.MM.DD form, written back as YYYYMMDD). */
export function shiftDicomDA(value: string, days: number): string | undefined {
  const v = value.trim();
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(v);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!validYmd(y, mo, d)) return undefined;
  const [ny, nm, nd] = shiftYmd(y, mo, d, days);
  return `${pad(ny, 4)}${pad(nm, 2)}${pad(nd, 2)}`;
}

/** DICOM DT: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]; partial values stay partial. */
export function shiftDicomDT(value: string, days: number): string | undefined {
  const v = value.trim();
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$/.exec(v);
  if (!m) return undefined;
  const y = Number(m[1]);
  const zone = m[5] ?? '';
  if (m[2] === undefined) return pad(shiftYmd(y, 7, 2, days)[0], 4) + zone;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  if (m[3] === undefined) {
    const [ny, nm] = shiftYmd(y, mo, 15, days);
    return `${pad(ny, 4)}${pad(nm, 2)}${zone}`;
  }
  const d = Number(m[3]);
  if (!validYmd(y, mo, d)) return undefined;
  const [ny, nm, nd] = shiftYmd(y, mo, d, days);
  return `${pad(ny, 4)}${pad(nm, 2)}${pad(nd, 2)}${m[4] ?? ''}${zone}`;
}
