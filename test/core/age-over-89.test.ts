import t from 'tap';
import { birthDateOver89, bornOver89, todayUtc } from '../../src/core/age-over-89.js';

t.test('a birth date 90 or more years before the reference day becomes that day\u2019s year minus 90', async (t) => {
  t.equal(birthDateOver89('1936-12-07', '2026-12-07'), '1936', '90 on the day');
  t.equal(birthDateOver89('1936-12-08', '2026-12-07'), undefined, '89 until tomorrow');
  t.equal(birthDateOver89('1901-02-03', '2026-12-07'), '1936', 'every age over 89 gives the one category');
  t.equal(birthDateOver89('1980-01-01', '2026-12-07'), undefined);
  t.equal(birthDateOver89('1936-02-29T08:30:00+01:00'.replace('02-29', '02-28'), '2026-12-07'), '1936', 'a dateTime');
  t.equal(birthDateOver89('1936-12-07', '2027-01-01'), '1937', 'the category follows the reference year');
});

t.test('a partial birth date counts from its earliest day (fail closed)', async (t) => {
  t.equal(birthDateOver89('1936', '2026-12-07'), '1936', 'born in 1936: may be 90');
  t.equal(birthDateOver89('1937', '2026-12-07'), undefined, 'born in 1937: 89 at most');
  t.equal(birthDateOver89('1936-12', '2026-12-07'), '1936', 'born in December 1936: may be 90');
  t.equal(birthDateOver89('1937-01', '2026-12-07'), undefined);
});

t.test('a decedent\u2019s age is their age at death, a partial death date read at its latest day', async (t) => {
  t.equal(birthDateOver89('1930-05-01', '2026-12-07', '2000-01-01'), undefined, 'died at 69');
  t.equal(birthDateOver89('1900-05-01', '2026-12-07', '1995-01-01T10:00:00Z'), '1905', 'died at 94: category of the year of death');
  t.equal(birthDateOver89('1900-05-01', '2026-12-07', '1990'), '1900', 'died in 1990, at 90 by its last day');
  t.equal(birthDateOver89('1930-05-01', '2026-12-07', '2090-01-01'), '1936', 'a death after the reference day is not taken');
  t.equal(birthDateOver89('1930-05-01', '2026-12-07', 'not a date'), '1936', 'an unreadable death date leaves the reference day');
  t.equal(birthDateOver89('1930-05-01', '2026-12-07', true), '1936', 'deceasedBoolean: the reference day');
});

t.test('what is no date is no age', async (t) => {
  for (const v of ['', 'unknown', '19-01-01', '1930-13-01', '1930-02-30', '193']) t.equal(birthDateOver89(v, '2026-12-07'), undefined, JSON.stringify(v));
  t.equal(birthDateOver89('0001-01-01', '0050-01-01'), undefined);
  t.equal(birthDateOver89('0001-01-01', '0095-06-01'), '0005', 'four digits always');
  t.equal(birthDateOver89('2099-01-01', '2026-12-07'), undefined, 'a birth date after the reference day tells no age over 89');
  t.equal(birthDateOver89('1900-01-01', '0000-01-01'), undefined, 'a reference day before the birth');
  t.equal(birthDateOver89('1930-05-01'.repeat(1000), '2026-12-07'), '1936', 'a long value is read from its start only (the walker removes what is no date)');
});

t.test('todayUtc is the UTC calendar day', async (t) => {
  t.equal(todayUtc(new Date('2026-12-07T23:59:59-05:00')), '2026-12-08');
  t.match(todayUtc(), /^\d{4}-\d{2}-\d{2}$/);
});

t.test('bornOver89 reads a date of birth given by its parts from its earliest day', async (t) => {
  t.ok(bornOver89(1936, 12, 7, '2026-12-07'));
  t.notOk(bornOver89(1936, 12, 8, '2026-12-07'));
  t.ok(bornOver89(1936, undefined, undefined, '2026-12-07'), 'a year only: its first day');
  t.ok(bornOver89(1936, 12, undefined, '2026-12-07'));
  t.notOk(bornOver89(1937, undefined, undefined, '2026-12-07'));
  t.notOk(bornOver89(1900, 1, 1, 'not a date'), 'no reference day, no age');
});
