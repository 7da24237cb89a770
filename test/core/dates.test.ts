import t from 'tap';
import { shiftFhirDate, shiftDicomDA, shiftDicomDT } from '../../src/core/dates.js';

t.test('FHIR dates keep their precision', async (t) => {
  t.equal(shiftFhirDate('2020-02-28', 1), '2020-02-29', 'leap day');
  t.equal(shiftFhirDate('2021-02-28', 1), '2021-03-01');
  t.equal(shiftFhirDate('2020-12-31T23:59:59+05:00', 1), '2021-01-01T23:59:59+05:00', 'time and zone kept');
  t.equal(shiftFhirDate('2015-02-07T13:28:17.239+02:00', -10), '2015-01-28T13:28:17.239+02:00', 'instant');
  t.equal(shiftFhirDate('2019-03-05T10:00Z', 3), '2019-03-08T10:00Z');
  t.equal(shiftFhirDate('1999', -100), '1999', 'a year stays a year');
  t.equal(shiftFhirDate('1999', 100), '1999');
  t.equal(shiftFhirDate('2000-01', -20), '1999-12', 'a month moves from its middle');
  t.equal(shiftFhirDate('2000-01', 20), '2000-02');
  t.equal(shiftFhirDate('0050-01-01', -1), '0049-12-31', 'years below 100');
});

t.test('FHIR date shifting preserves intervals', async (t) => {
  const a = '2011-03-01';
  const b = '2013-07-19T08:00:00Z';
  for (const d of [-100, -37, 1, 99]) {
    const sa = Date.parse(shiftFhirDate(a, d)!);
    const sb = Date.parse(shiftFhirDate(b, d)!);
    t.equal(sb - sa, Date.parse(b) - Date.parse(a));
  }
});

t.test('values that are not dates are refused (callers remove them)', async (t) => {
  for (const v of ['2020-02-30', '2020-13', '2020-00-10', 'yesterday', '', '2020-1-1', '20200101', '2020-01-01T25']) {
    t.equal(shiftFhirDate(v, 5), undefined, JSON.stringify(v));
  }
});

t.test('DICOM DA and DT', async (t) => {
  t.equal(shiftDicomDA('20200228', 1), '20200229');
  t.equal(shiftDicomDA('1999.12.31', 1), '20000101', 'retired form normalised');
  t.equal(shiftDicomDA('20201301', 1), undefined);
  t.equal(shiftDicomDA('2020', 1), undefined);
  t.equal(shiftDicomDT('20201231235959.123456+0100', 1), '20210101235959.123456+0100');
  t.equal(shiftDicomDT('2020', 5), '2020', 'year only');
  t.equal(shiftDicomDT('202001', -20), '201912', 'year and month');
  t.equal(shiftDicomDT('20200101', -1), '20191231');
  t.equal(shiftDicomDT('2020010112', -1), '2019123112', 'hour kept');
  t.equal(shiftDicomDT('bad', 1), undefined);
});

t.test('month lengths agree with Date.UTC for every four-digit year (years 0-99 read as 1900-1999)', async (t) => {
  let mismatches = 0;
  for (let y = 0; y <= 9999; y++) {
    const yyyy = String(y).padStart(4, '0');
    for (const [m, d] of [[2, 29], [2, 28], [4, 31], [4, 30], [12, 31]] as const) {
      const valid = new Date(Date.UTC(y, m, 0)).getUTCDate() >= d;
      const shifted = shiftFhirDate(`${yyyy}-${String(m).padStart(2, '0')}-${d}`, -1);
      if ((shifted !== undefined) !== valid) mismatches++;
    }
  }
  t.equal(mismatches, 0);
});

/** Independent oracle: the same shift on Date objects (years 0-99 read as 1900-1999 by Date.UTC, moved back after). */
function oracleYmd(y: number, m: number, d: number, days: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d) + days * 86_400_000);
  if (y < 100) t.setUTCFullYear(t.getUTCFullYear() - 1900);
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}
const p = (n: number, w: number) => String(n).padStart(w, '0');

t.test('every shift agrees with a Date-based oracle: all days of chosen years, every shift in ±100', async (t) => {
  let checked = 0;
  const bad: string[] = [];
  for (const y of [0, 1, 4, 96, 99, 100, 1582, 1899, 1900, 1999, 2000, 2023, 2024, 2100, 9998]) {
    for (let m = 1; m <= 12; m++) {
      const dim = new Date(Date.UTC(y < 100 ? y + 1900 : y, m, 0)).getUTCDate();
      for (let d = 1; d <= dim; d++) {
        for (let days = -100; days <= 100; days += 7) {
          const [oy, om, od] = oracleYmd(y, m, d, days);
          // out of the four-digit years the value is refused
          const want = oy >= 0 && oy <= 9999 ? `${p(oy, 4)}-${p(om, 2)}-${p(od, 2)}` : undefined;
          const got = shiftFhirDate(`${p(y, 4)}-${p(m, 2)}-${p(d, 2)}T10:20:30.5-05:00`, days);
          if (got !== (want && `${want}T10:20:30.5-05:00`)) bad.push(`${y}-${m}-${d} ${days}: ${got} != ${want}`);
          if (shiftDicomDA(`${p(y, 4)}${p(m, 2)}${p(d, 2)}`, days) !== want?.replace(/-/g, '')) bad.push(`DA ${y}-${m}-${d} ${days}`);
          checked++;
        }
      }
    }
  }
  t.ok(checked > 100_000, `${checked} shifts checked`);
  t.strictSame(bad.slice(0, 10), [], 'no disagreement');
});

t.test('a shift that leaves the four-digit years is refused (the value is removed, never written as 10000 or -001)', async (t) => {
  t.equal(shiftFhirDate('9999-12-31', 1), undefined);
  t.equal(shiftFhirDate('9999-12', 30), undefined);
  t.equal(shiftFhirDate('0000-01-01', -1), undefined, 'before year 0');
  t.equal(shiftDicomDA('99991231', 5), undefined);
  t.equal(shiftDicomDT('99991231', 5), undefined);
  t.equal(shiftFhirDate('9999-12-21', 10), '9999-12-31', 'the last day itself is fine');
});

t.test('malformed FHIR dates around the hand-written parser are refused', async (t) => {
  for (const v of ['2020-01-01T', '2020-01-01T10', '2020-01-01T10:00:', '2020-01-01T10:00+0100', '2020-01-01 10:00', '2020-01-01Z', '2020/01/01', '2020-01-0a', '202a', '2020-', '2020-01-', '-2020-01-01', '２０２０-01-01', '2020-01-01T10:00:00.+01:00']) {
    t.equal(shiftFhirDate(v, 5), undefined, JSON.stringify(v));
  }
  t.equal(shiftFhirDate('2020-01-01T10:00:00.123456789Z', 1), '2020-01-02T10:00:00.123456789Z', 'any number of fraction digits');
});

t.test('long shifts (a configured range reaches 36,500 days) agree with the Date-based oracle', async (t) => {
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const bad: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const y = 1 + rnd(9998);
    const m = 1 + rnd(12);
    const d = 1 + rnd(new Date(Date.UTC(y < 100 ? y + 1900 : y, m, 0)).getUTCDate());
    const days = rnd(73_001) - 36_500;
    const [oy, om, od] = oracleYmd(y, m, d, days);
    const want = oy >= 0 && oy <= 9999 ? `${p(oy, 4)}-${p(om, 2)}-${p(od, 2)}` : undefined;
    const got = shiftFhirDate(`${p(y, 4)}-${p(m, 2)}-${p(d, 2)}`, days);
    if (got !== want) bad.push(`${y}-${m}-${d} ${days}: ${got} != ${want}`);
  }
  t.strictSame(bad.slice(0, 10), []);
});
