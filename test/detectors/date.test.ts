import t from 'tap';
import { dateDetector, parseDateText } from '../../src/detectors/date.js';
import { run, quotes } from './run-detector.js';

t.test('common date formats', async (t) => {
  const text = 'Seen 2020-07-22, 7/22/2019, 07/22/19, 7/22, Jul 22, 2020, 22nd of July 2020, 5-Jan-2020, March 2019, and 3.4.2020.';
  t.same(quotes(dateDetector, text), ['2020-07-22', '7/22/2019', '07/22/19', '7/22', 'Jul 22, 2020', '22nd of July 2020', '5-Jan-2020', 'March 2019', '3.4.2020']);
});

t.test('PhysioNet shapes: m/yy for past history', async (t) => {
  t.same(quotes(dateDetector, 'S/P MI 7/81; CABG 5/97.'), ['7/81', '5/97']);
});

t.test('DOB context makes DATE_OF_BIRTH', async (t) => {
  const f = run(dateDetector, 'DOB: 03/04/1950, admitted 5/6/2020');
  t.same(f.map((x) => x.infoType), ['DATE_OF_BIRTH', 'DATE']);
});

t.test('not dates: vent settings, scores, fractions, times, invalid days', async (t) => {
  t.same(quotes(dateDetector, 'on PSV 10/5 with 40%, pain 5/10, crackles 1/3 up, for 1 1/2 hours, strength 5/5 bilaterally, BP 120/80'), []);
  t.same(quotes(dateDetector, 'at 1930 pt was turned; 2000 cc out'), []);
});

t.test('years alone only in year context; the verb "may" is no month', async (t) => {
  t.same(quotes(dateDetector, 'diagnosed in 1992, pt may 5 times'), ['1992']);
});

t.test('parseDateText gives the parts of a finding', async (t) => {
  t.match(parseDateText('Jul 22, 2020'), { year: 2020, month: 7, day: 22, monthName: true });
  t.match(parseDateText('22/7/2020'), { year: 2020, month: 7, day: 22 });
  t.match(parseDateText('7/81'), { year: 1981, month: 7, yearWidth: 2 });
  t.equal(parseDateText('christmas'), undefined, 'holidays are found but cannot be shifted');
  t.equal(parseDateText('hello'), undefined);
});

t.test('pain scores, ventilator settings and fractions are not dates; past-history years and decades are', async (t) => {
  t.same(quotes(dateDetector, 'c/o 3/10 back pain. Pt on CPAP .4%, 5/18. crackles up 1/2 from bases.'), []);
  t.same(quotes(dateDetector, 'Going to the OR 6/10 for a CABG. picc placed in R AC 11/17. seen on 1/2.'), ['6/10', '11/17', '1/2']);
  t.same(quotes(dateDetector, 'PMH: CVA 2004, MI IN 1980S. CVA in 94.'), ['2004', '1980S', '94']);
});

t.test('feet, degrees and counted ordinals are not dates', async (t) => {
  t.same(quotes(dateDetector, "HOB 30'. AMBULATED 30' WITH 2 ASSIST. bleed into the 4th ventricle. MI in 74'. seen on the 4th."), ['74', '4th']);
});

t.test('both ends of a range of dates; not ranges of numbers', async (t) => {
  t.same(quotes(dateDetector, 'abx 11/30-12/1, admitted 12/5/05-12/7/05. dose 5-10 mg, BP 120/80-130/90.'), ['11/30', '12/1', '12/5/05', '12/7/05']);
});

t.test('a weekday before a small month/day pair makes it a date, not a fraction', async (t) => {
  t.same(quotes(dateDetector, 'seen Tuesday 3/4 and Fri 1/2; took 3/4 tab; 1/2 NS'), ['3/4', '1/2']);
});

t.test('a dash-joined month and day after a word that introduces a date; not amounts', async (t) => {
  t.same(quotes(dateDetector, 'returned to OR on 7-8 for coiling; since 3-12 no BM; seen Tuesday 2-14.'), ['7-8', '3-12', '2-14']);
  t.same(quotes(dateDetector, 'on 2-3 L NC, on 4-6 l nasal cannula, on 5-10 mcg, on 1-2 pillows, on 40-50% fm, dose 5-10 mg, on 1-2 units, at 7-8 pm'), []);
  t.same(quotes(dateDetector, 'on PSV 5-10 overnight; 2/13-31'), []);
});

t.test('a full m/d/y glued to the word before it', async (t) => {
  t.same(quotes(dateDetector, 'am labs on10/14/82 showed; seen on10/14/1982.'), ['10/14/82', '10/14/1982']);
  t.same(quotes(dateDetector, 'BP120/80/60, PAP40/20/28, abg7.35/40/90'), []);
});

t.test('a leading zero makes a small pair a date; strength words must be words', async (t) => {
  t.same(quotes(dateDetector, '83 yo female admitted to GH 05/05 s/p fall. 4.9liters (+) for 01/2. strength 5/5, 1/2 NS'), ['05/05', '01/2']);
  t.same(quotes(dateDetector, '5/5 PSV/CPAP onto 40%; 10/5 IPS; 5/5 cpap'), []);
});

t.test('a year after "it is" or "the year is" (orientation); not a clock time', async (t) => {
  t.same(quotes(dateDetector, 'Orientation: knows it is 2020, states the year is 1998.'), ['2020', '1998']);
  t.same(quotes(dateDetector, 'at 2020 it is quiet; it is 2100 and pt resting'), []);
});

t.test('a ventilator setting glued to its rate is not a glued date', async (t) => {
  t.same(quotes(dateDetector, 'Vent settings 500x12/5/40%. on ac 550x12/5/50% during procedure. PSV12/5/40'), []);
});

t.test('a month/day pair with a day the month lacks is still written as a date', async (t) => {
  const f = run(dateDetector, 'd/c integrelin at 0630 2/31; started 4/31; 13/31 is not');
  t.same(f.map((x) => [x.quote, x.likelihood]), [['2/31', 'POSSIBLE'], ['4/31', 'POSSIBLE']]);
});

t.test('more holidays; a facility named Memorial is not one', async (t) => {
  t.same(quotes(dateDetector, 'over labor day weekend, on mothers day, Memorial Day, Veterans Day; Memorial Hospital'), ['labor day', 'mothers day', 'Memorial Day', 'Veterans Day']);
});

t.test('a range of dates whose end is a bare day: both ends are dates', async (t) => {
  t.same(quotes(dateDetector, 'blood cultures 11/3-5 negative; abx 3/4-3/6'), ['3/4', '3/6', '11/3', '5']);
  // doses, fractions, ventilator settings, ranges of amounts and haemodynamic ranges
  t.same(quotes(dateDetector, 'ativan 1/2-1 mg, I:E 1/2-3, PEEP 5/5-10, given 2/3-4 tabs, co/ci 4-6/2-4, on 3/4-6 L nc, pain 3/10-5'), []);
});

t.test('fraction-shaped pairs that are dates: a leading zero day, a date ending their range, a clock time before', async (t) => {
  t.same(quotes(dateDetector, "resection in 3/04. ceftaz rec'd 2/3 - 6/25. Arrived to CCU at 0330 2/3."), ['3/04', '2/3', '6/25', '2/3']);
  t.same(quotes(dateDetector, 'crackles at bases up 1/3-1/2, Rx 1/2 tab, 3/4 strength, 1/4 way up'), []);
});

t.test('a two-digit year after a month, a day and a comma is part of the date; a dose or a clock is not', async (t) => {
  t.same(quotes(dateDetector, 'seen Dec 30, 99 and Jan 2nd,50; Dec 30, 10 mg; Dec 30, 10 am; Dec 30, 10:30; Dec 30 99'), ['Dec 30, 99', 'Jan 2nd,50', 'Dec 30', 'Dec 30', 'Dec 30', 'Dec 30']);
});

t.test('a fraction-shaped pair ending a range whose first end is a date', async (t) => {
  t.same(quotes(dateDetector, 'seen 12/30-1/2 stable; on 1/30 thru 2/3 in rehab; the weekend of 2/3-2/4; admitted 1/2 - 1/4'), ['12/30', '1/2', '1/30', '2/3', '2/3', '2/4', '1/2', '1/4']);
  t.same(quotes(dateDetector, 'seen 12/30/03-1/3, off 3/30/2004 to 1/4'), ['12/30/03', '1/3', '3/30/2004', '1/4']);
  // the first end a fraction, a setting or a score: the second stays an amount
  t.same(quotes(dateDetector, 'HOB up 1/3-1/2, PEEP 10/5-1/2, H/H 10/30-1/3, pain 5/10-1/4'), []);
});

t.test('months alone after a time word, May and March only written as names; Xmas; a time after a pair', async (t) => {
  t.same(quotes(dateDetector, 'early March, in May, since Mar, over Xmas eve, seen 3/4@1400, abx 3/4 thru 3/9'), ['March', 'May', 'Mar', 'Xmas eve', '3/4', '3/4', '3/9']);
  t.same(quotes(dateDetector, 'in may be, IN MARCH, in mar, up 1/2 to 3/4, 1/4 to 1/2 tab'), []);
});

t.test('two-digit years listed after a past-history word', async (t) => {
  t.same(quotes(dateDetector, 'PMHX CVA in 94 and 00 affected; s/p CABG 92, 95 and 99.'), ['94', '00', '92', '95', '99']);
  t.same(quotes(dateDetector, 'CVA in 94 and 12 hrs later, MI 92, 10 mg given, MI 92 and 96 mg'), ['94', '92', '92']);
});

t.test('a fraction-shaped pair is a date when other dates of the text share its month', async (t) => {
  t.same(quotes(dateDetector, 'NPN 3/5 7p-7a. Events 3/4: pt extubated. up 1/3 of the way. Ate 3/4 of meal.'), ['3/5', '3/4']);
  t.same(quotes(dateDetector, 'Events 3/4: pt extubated. 1/2 NS at 100.'), []);
  t.same(quotes(dateDetector, 'seen 1/6. 1/2 NS at 100, 1/4 strength TF.'), ['1/6']);
});

t.test('years after a procedure word, and after a count of grafts', async (t) => {
  t.same(quotes(dateDetector, 'Last colonoscopy 2002 normal. s/p cholecystectomy 78. CABG x4 in 87. quit 1990.'), ['2002', '78', '87', '1990']);
  t.same(quotes(dateDetector, 'colonoscopy at 2000. appendectomy 20 yrs ago. lasix given 2000.'), []);
});

t.test('a month name, a day and the bare day ending its range or list', async (t) => {
  const found = run(dateDetector, 'abx Dec 3-5; March 10 - 12 in rehab; seen Oct 3 and 4; from Jan 3 to 5.').sort((a, b) => a.start - b.start);
  t.same(found.map((f) => f.quote), ['Dec 3', '5', 'March 10', '12', 'Oct 3', '4', 'Jan 3', '5']);
  // the verb may, and a count of days after a month and two numbers
  t.same(quotes(dateDetector, 'pt may 3-5 times, Dec 3-5 days ago'), []);
});

t.test('a month abbreviation glued to its day by the period', async (t) => {
  t.same(quotes(dateDetector, 'labs Nov.3, echo Sept.14th'), ['Nov.3', 'Sept.14th']);
});

t.test('a month/day glued to a date word; not to other words', async (t) => {
  t.same(quotes(dateDetector, 'labs on3/4 wnl, since12/1 afebrile'), ['3/4', '12/1']);
  t.same(quotes(dateDetector, 'on IPS16/5, D51/2 NS, dose12/5'), []);
});

t.test('scores on a fixed scale are not dates: GCS x/15, murmur grades x/6, pupil sizes', async (t) => {
  t.same(quotes(dateDetector, 'GCS 11/15, GCS of 7/15, +3/6 SEM, grade 2/6 murmur, 2/6 holosystolic, pupils 3/2 brisk, PERRLA 4/4'), []);
  t.same(quotes(dateDetector, 'GCS 15 on 3/15; echo 2/6 showed; seen 3/6'), ['3/15', '2/6', '3/6']);
});

t.test('a dash-joined pair with a leading zero is a date; two dates joined by a slash', async (t) => {
  t.same(quotes(dateDetector, 'CXR 02-09: infiltrate; treatments 10/03/10/04 and'), ['02-09', '10/03', '10/04']);
  t.same(quotes(dateDetector, 'sats 91-04%, vent 12/5/10/5 on PSV, 10/04/10/03 reversed'), []);
});

t.test('two measures named together, then their values, are not a date; nor "2/2" for secondary to; nor shifts', async (t) => {
  t.same(quotes(dateDetector, 'H/H 10/30, hct/hgb 30/10, PT/PTT 12/30, CO/CI 5/3, CVP/PAD 12/20, K/Mg 4/2, IPAP/EPAP 10/5'), []);
  t.same(quotes(dateDetector, 'SOB 2/2 CHF, hypotension 2/2 sepsis, worked 7/3 shift, on 11-7 shift'), []);
  const found = run(dateDetector, 'h/o 3/04 MI; s/p 3/4 cath; f/u 12/30; admitted 2/2 with CP; on 2/2 CHF worse').sort((a, b) => a.start - b.start);
  t.same(found.map((f) => f.quote), ['3/04', '3/4', '12/30', '2/2', '2/2']);
});

t.test('a count out of a few is not a date; a date before cultures is', async (t) => {
  t.same(quotes(dateDetector, '2/2 bottles positive, 4/4 extremities, 1/2 blood cultures pos, 3/3 sets'), []);
  t.same(quotes(dateDetector, 'no growth from 8/29 cultures, cdiff 8/12 neg'), ['8/29', '8/12']);
});

t.test('YYYYMMDD dates, as DICOM and HL7 v2 write them; "the 3rd of March" whole', async (t) => {
  t.same(quotes(dateDetector, 'StudyDate 20200102, DOB 19501231; not 20201340, 202001021, x20200102 or 12345678.'), ['20200102', '19501231']);
  t.same(parseDateText('20200102'), { year: 2020, yearWidth: 4, yearPart: { start: 0, end: 4 }, month: 1, monthPart: { start: 4, end: 6 }, day: 2, dayPart: { start: 6, end: 8 }, dayOrdinal: false });
  t.same(quotes(dateDetector, 'seen on the 3rd of March and the 22nd May; the 4th ventricle'), ['3rd of March', '22nd May']);
});

t.test('a dotted month and day after a date word, at the end of its phrase; amounts after "on" are not dates', async (t) => {
  t.same(quotes(dateDetector, 'Seen on 10.13 for follow up. Since 12.1, fever. Back on 3.4.'), ['10.13', '12.1', '3.4']);
  t.same(quotes(dateDetector, 'now on 1.5 L NC, weaned on 2.5 and on 1.25, levo on 0.5, pH on 7.35, on 3.4 mg, PSV on 5.10, on 2.3 0.5'), []);
});

t.test('holidays are dates, not names ("Over Christmas", "Easter" opening a sentence); a title still makes a name', async (t) => {
  t.same(quotes(dateDetector, 'Over Christmas she was home. Easter Sunday visit; Passover week; Good Friday.'), ['Christmas', 'Easter Sunday', 'Passover', 'Good Friday']);
});

t.test('dates glued together or with the day in words: 13OCT19, Oct13, Oct. thirteenth, the first of May', async (t) => {
  // (a month after "of" is also found alone, by the main pattern)
  t.same(quotes(dateDetector, 'admitted 13OCT19 from OSH; CT 2JAN2020; seen Oct13 and SEPT1ST; Oct. thirteenth; the first of May; twenty-first of June').filter((q) => !/^(?:May|June)$/.test(q)), [
    '13OCT19', '2JAN2020', 'Oct13', 'SEPT1ST', 'Oct. thirteenth', 'first of May', 'twenty-first of June',
  ]);
  t.same(quotes(dateDetector, 'UO DEC10 CC/HR, dec10, 5may, 31FEB20, the first of may be, may first of all, the second of the month, Oct35'), []);
});
