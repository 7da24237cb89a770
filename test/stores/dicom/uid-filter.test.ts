import t from 'tap';
import { DicomStoreError } from '../../../src/stores/dicom/codes.js';
import { filterMatcher, parseDicomFilter } from '../../../src/stores/dicom/filter.js';
import { checkUid, isValidUid } from '../../../src/stores/dicom/uid.js';

t.test('UIDs: digits and dots, at most 64 characters, never a path step', async (t) => {
  for (const ok of ['1', '1.2.840.10008.1.2.1', '2.25.' + '9'.repeat(59), '1.2.840.1136190195280574824680000700.3.0.1.19970424140438']) {
    t.ok(isValidUid(ok), `valid: ${ok.length} chars`);
  }
  const hostile = ['', '.', '..', '../..', '1..2', '.1', '1.', '1.2/3', '1.2\\3', '1.2.3 ', ' 1.2', '1.2\0', 'a.b',
    '2.25.' + '9'.repeat(60), '1.2.3/../../etc', '%2e%2e', '１.２', '1.2\n3'];
  for (const bad of hostile) t.notOk(isValidUid(bad), `refused: ${JSON.stringify(bad)}`);
  const e = t.throws(() => checkUid('../../etc/passwd', 'study')) as DicomStoreError;
  t.equal(e.code, 'STORE_UID_INVALID');
  t.notMatch(e.message, /etc|passwd|\.\./, 'the value is not in the message');
});

t.test('filter lines parse to study, series and instance entries', async (t) => {
  const f = parseDicomFilter([
    '/studies/1.2.3',
    '  /studies/4.5/series/6.7  ',
    '',
    '/studies/8/series/9/instances/10',
  ]);
  t.same(f, [
    { study: '1.2.3' },
    { study: '4.5', series: '6.7' },
    { study: '8', series: '9', instance: '10' },
  ]);
});

t.test('covered and repeated lines are dropped, so nothing is listed twice', async (t) => {
  const f = parseDicomFilter([
    '/studies/1/series/2/instances/3',
    '/studies/1',
    '/studies/4/series/5/instances/6',
    '/studies/4/series/5',
    '/studies/4/series/5',
    '/studies/7/series/8/instances/9',
    '/studies/7/series/8/instances/9',
  ]);
  t.same(f, [{ study: '1' }, { study: '4', series: '5' }, { study: '7', series: '8', instance: '9' }]);
});

t.test('a bad line is refused by number, never quoted', async (t) => {
  const bad = [
    '/studies/../../etc',
    '/studies/1.2/series/',
    '/studies/1/series/2/instances/3/frames/1',
    'studies/1.2',
    '/studies/1.2?x=1',
    '/studies/1.2/instances/3',
    '/studies/JOHN^DOE',
    '/studies/' + '1'.repeat(65),
  ];
  for (const line of bad) {
    const e = t.throws(() => parseDicomFilter(['/studies/1', line])) as DicomStoreError;
    t.equal(e.code, 'STORE_FILTER_INVALID', JSON.stringify(line).slice(0, 40));
    t.match(e.message, /line 2$/);
    t.notMatch(e.message, /JOHN|etc|\?x/);
  }
});

t.test('the matcher names the line an instance falls under', async (t) => {
  const m = filterMatcher(parseDicomFilter(['/studies/1', '/studies/2/series/3', '/studies/4/series/5/instances/6']));
  const ref = (study: string, series: string, instance: string) => ({ study, series, instance, location: 'x' });
  t.equal(m(ref('1', '9', '9')), '/studies/1');
  t.equal(m(ref('2', '3', '9')), '/studies/2/series/3');
  t.equal(m(ref('2', '4', '9')), undefined, 'other series of a series-filtered study');
  t.equal(m(ref('4', '5', '6')), '/studies/4/series/5/instances/6');
  t.equal(m(ref('4', '5', '7')), undefined);
  t.equal(m(ref('3', '2', '1')), undefined, 'UIDs do not match across levels');
});
