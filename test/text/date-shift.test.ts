import t from 'tap';
import { deidentifyText } from '../../src/text/deidentify-text.js';
import { shiftDateText } from '../../src/text/shift-date-text.js';
import { env, only } from './transformations.js';

t.test('shifted dates keep their textual format', async (t) => {
  const cases: [string, number, string][] = [
    ['2020-07-22', 10, '2020-08-01'],
    ['7/22/2019', 10, '8/1/2019'],
    ['07/02/19', -3, '06/29/19'],
    ['7/22', 10, '8/1'],
    ['Jul 22, 2020', 10, 'Aug 1, 2020'],
    ['JULY 22ND, 2020', 10, 'AUGUST 1ST, 2020'],
    ['22nd of July 2020', 10, '1st of August 2020'],
    ['5-Jan-2020', -10, '26-Dec-2019'],
    ['March 2019', 30, 'April 2019'],
    ['7/81', 30, '8/81'],
    ['2020-07-22 07:04:41', 1, '2020-07-23 07:04:41'],
    ['2/29', 1, '3/1'],
    ['Dec 31, 1999', 1, 'Jan 1, 2000'],
    ['Dec 30, 99', 38, 'Feb 6, 00'],
    ['Jan 2nd, 50', -3, 'Dec 30th, 49'],
    ['13OCT19', -81, '24JUL19'],
    ['2JAN2020', -3, '30DEC2019'],
    ['Oct13', -81, 'Jul24'],
    ['SEPT1ST', 1, 'SEPT2ND'],
  ];
  for (const [input, days, want] of cases) t.equal(shiftDateText(input, days), want, `${input} ${days}`);
  t.equal(shiftDateText('2/30/2020', 1), undefined, 'impossible day');
  t.equal(shiftDateText('Christmas', 1), undefined, 'holiday');
});

t.test('dateShiftConfig in text; without a shift, or when unparseable, dates are redacted', async (t) => {
  t.equal(deidentifyText('Seen 7/22/2019.', only({ kind: 'dateShift' }), env).text, 'Seen 8/1/2019.');
  t.equal(deidentifyText('Seen 7/22/2019.', only({ kind: 'dateShift' }), { cryptoHash: env.cryptoHash }).text, 'Seen .');
  t.equal(deidentifyText('home for Christmas.', only({ kind: 'dateShift' }), env).text, 'home for .');
  t.equal(deidentifyText('Call 410-555-1234', only({ kind: 'dateShift' }), env).text, 'Call ', 'a non-date under dateShift is removed');
});

t.test('YYYYMMDD and "the Nth of Month" shift whole, in their own form', async (t) => {
  t.equal(shiftDateText('20200102', -81), '20191013');
  t.equal(shiftDateText('19501231', 1), '19510101');
  t.equal(shiftDateText('3rd of March', -81), '12th of December');
});
