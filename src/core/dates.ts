/**
 * Date shifting that keeps the precision of the original value. A value we
 * cannot parse yields `undefined`: callers must remove it (fail closed).
 *
 * Partial dates (a year, a year and month) are shifted at the middle of the
 * period they name and truncated back to the same precision, so a ±100-day
 * shift moves a month but never systematically pushes years backwards.
 */
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Years 0-99 are computed as 1900-1999, as Date.UTC reads them (the rules
 * these functions had when they were built on Date; kept so that no value
 * ever shifted differently).
 */
function calendarYear(y: number): number {
  return y >= 0 && y < 100 ? y + 1900 : y;
}

/** Days in month `m` (1-12) of year `y`. */
function daysInMonth(y: number, m: number): number {
  if (m !== 2) return DAYS_IN_MONTH[m]!;
  return isLeap(calendarYear(y)) ? 29 : 28;
}

/** '00' to '99', for the month and day (String#padStart was a third of a shift's cost). */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function pad(n: number, w: number): string {
  if (w === 2 && n < 100) return TWO_DIGITS[n]!;
  if (w === 4 && n >= 1000 && n < 10000) return String(n);
  return String(n).padStart(w, '0');
}

function validYmd(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function monthDays(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m]!;
}

/**
 * The shifted date's year, month and day, written into `out`; false when the
 * year leaves 0-9999. Steps a year, then a month at a time: a Date object
 * per shift cost ~5x more.
 */
function shiftYmd(y: number, m: number, d: number, days: number, out: Int32Array): boolean {
  const g = calendarYear(y);
  let ny = g;
  let nm = m;
  let nd = d + days;
  // Whole years first (a configured range may reach 100 years): from month nm of one year to the next is 366 days when that span holds a 29 February.
  while (nd > 366) {
    nd -= isLeap(nm <= 2 ? ny : ny + 1) ? 366 : 365;
    ny++;
  }
  while (nd < -366) {
    ny--;
    nd += isLeap(nm <= 2 ? ny : ny + 1) ? 366 : 365;
  }
  for (let dim = monthDays(ny, nm); nd > dim; dim = monthDays(ny, nm)) {
    nd -= dim;
    if (++nm > 12) {
      nm = 1;
      ny++;
    }
  }
  while (nd < 1) {
    if (--nm < 1) {
      nm = 12;
      ny--;
    }
    nd += monthDays(ny, nm);
  }
  ny -= g - y;
  if (ny < 0 || ny > 9999) return false;
  // Back from 1900-1999 to 0-99, 29 February of a year that is not leap there (2000 to 100) is 1 March, as in Date.
  if (g !== y && nm === 2 && nd === 29 && !isLeap(ny)) return setYmd(out, ny, 3, 1);
  return setYmd(out, ny, nm, nd);
}

function setYmd(out: Int32Array, y: number, m: number, d: number): true {
  out[0] = y;
  out[1] = m;
  out[2] = d;
  return true;
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const ymd = new Int32Array(3);

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * What may follow a FHIR date (from offset 10): the time of day and its zone,
 * in FHIR's ranges (hours 00-23, a leap second 60, zones -14:00..+14:00):
 * `T24:00:00` or `+15:00` is no FHIR time and the date is removed.
 */
const FHIR_TIME = 'T(?:[01]\\d|2[0-3]):[0-5]\\d(?::(?:[0-5]\\d|60)(?:\\.\\d+)?)?(?:Z|[+-](?:(?:0\\d|1[0-3]):[0-5]\\d|14:00))?';
const FHIR_TIME_RE = new RegExp(`${FHIR_TIME}$`, 'y');

/**
 * FHIR date, dateTime or instant. The time of day and the zone are kept.
 * Parsed by hand: this runs for every date of every record, and a regular
 * expression with its match array cost more than the whole shift.
 */
export function shiftFhirDate(value: string, days: number): string | undefined {
  const len = value.length;
  if (len !== 4 && len !== 7 && len < 10) return undefined;
  const y = digits(value, 0, 4);
  if (y < 0) return undefined;
  if (len === 4) return shiftYmd(y, 7, 2, days, ymd) ? pad(ymd[0]!, 4) : undefined;
  if (value.charCodeAt(4) !== 45 /* - */) return undefined;
  const mo = digits(value, 5, 2);
  if (mo < 1 || mo > 12) return undefined;
  if (len === 7) return shiftYmd(y, mo, 15, days, ymd) ? `${pad(ymd[0]!, 4)}-${pad(ymd[1]!, 2)}` : undefined;
  if (value.charCodeAt(7) !== 45) return undefined;
  const d = digits(value, 8, 2);
  if (!validYmd(y, mo, d)) return undefined;
  if (len > 10) {
    FHIR_TIME_RE.lastIndex = 10;
    if (!FHIR_TIME_RE.test(value)) return undefined;
  }
  if (!shiftYmd(y, mo, d, days, ymd)) return undefined;
  const date = `${pad(ymd[0]!, 4)}-${pad(ymd[1]!, 2)}-${pad(ymd[2]!, 2)}`;
  return len > 10 ? date + value.slice(10) : date;
}

const FHIR_DATE_RE = new RegExp(`^(\\d{4})(?:-(\\d{2})(?:-(\\d{2})(${FHIR_TIME})?)?)?$`);

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
  if (!validYmd(y, mo, d) || !shiftYmd(y, mo, d, days, ymd)) return undefined;
  return `${pad(ymd[0]!, 4)}${pad(ymd[1]!, 2)}${pad(ymd[2]!, 2)}`;
}

/** DICOM DT: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]; partial values stay partial. */
export function shiftDicomDT(value: string, days: number): string | undefined {
  const v = value.trim();
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2}(?:\d{2}(?:\d{2}(?:\.\d{1,6})?)?)?)?([+-]\d{4})?$/.exec(v);
  if (!m) return undefined;
  const y = Number(m[1]);
  const zone = m[5] ?? '';
  if (m[2] === undefined) return shiftYmd(y, 7, 2, days, ymd) ? pad(ymd[0]!, 4) + zone : undefined;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return undefined;
  if (m[3] === undefined) return shiftYmd(y, mo, 15, days, ymd) ? `${pad(ymd[0]!, 4)}${pad(ymd[1]!, 2)}${zone}` : undefined;
  const d = Number(m[3]);
  if (!validYmd(y, mo, d) || !shiftYmd(y, mo, d, days, ymd)) return undefined;
  return `${pad(ymd[0]!, 4)}${pad(ymd[1]!, 2)}${pad(ymd[2]!, 2)}${m[4] ?? ''}${zone}`;
}
