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
      const shifted = shiftFhirDate(`${yyyy}-${String(m).padStart(2, '0')}-${d}`, 1);
      if ((shifted !== undefined) !== valid) mismatches++;
    }
  }
  t.equal(mismatches, 0);
});
