// Row + options → action, over every row of the published table.
import t from 'tap';
import { NO_OPTIONS, OPTION_COLUMN, OPTION_NAMES } from '../../../src/dicom/profile/options.js';
import { basicAction, resolveAction } from '../../../src/dicom/profile/resolve-action.js';
import { profileRow, profileRows } from '../../../src/dicom/profile/table.js';
import { basicProfileCsv } from './helpers.js';

const csv = basicProfileCsv();

t.test('src/ reads the same table as the published CSV, row for row', async (t) => {
  let n = 0;
  for (const [id, r] of csv) {
    if (!/^[0-9a-f]{8}$/.test(id)) continue;
    const row = profileRow(parseInt(id, 16));
    t.ok(row, `${r.keyword} has a row`);
    t.equal(row?.basic, r.basicProfile, `${r.keyword} basic code`);
    for (const name of OPTION_NAMES) t.equal(row?.options[OPTION_COLUMN[name]] ?? '', r[OPTION_COLUMN[name]], `${r.keyword} ${name}`);
    n++;
  }
  t.equal(profileRows().size, n);
});

t.test('wildcard and private rows', async (t) => {
  t.equal(profileRow(0x60023000)?.id, '60xx3000', 'overlay data in any repeating group');
  t.equal(profileRow(0x60004000)?.id, '60xx4000', 'overlay comments');
  t.equal(profileRow(0x50101234)?.id, '50xxxxxx', 'curve data');
  t.equal(profileRow(0x00091001)?.basic, 'X', 'private attributes are X');
  t.equal(profileRow(0x00091001)?.options.rtnSafePrivOpt, 'C');
  t.equal(profileRow(0x00280010), undefined, 'Rows is not in the table: kept');
});

t.test('combined codes: the most conservative choice valid for any attribute type', async (t) => {
  t.equal(basicAction('X/Z'), 'Z');
  t.equal(basicAction('X/D'), 'D');
  t.equal(basicAction('Z/D'), 'D');
  t.equal(basicAction('X/Z/D'), 'D');
  t.equal(basicAction('X/Z/U*'), 'RECURSE');
  t.equal(basicAction('??'), 'X', 'an unknown code fails closed');
  for (const r of csv.values()) t.not(basicAction(r.basicProfile!), undefined);
});

t.test('each option overrides exactly the rows its column names', async (t) => {
  for (const name of OPTION_NAMES) {
    const col = OPTION_COLUMN[name];
    const options = { ...NO_OPTIONS, [name]: true };
    let touched = 0;
    for (const [id, r] of csv) {
      if (!/^[0-9a-f]{8}$/.test(id)) continue;
      const row = profileRow(parseInt(id, 16))!;
      const got = resolveAction(row, options);
      const code = r[col];
      if (!code) {
        t.equal(got, basicAction(r.basicProfile!), `${name} leaves ${r.keyword} alone`);
        continue;
      }
      touched++;
      if (name === 'retainLongModifiedDates') t.equal(got, 'SHIFT', `${name}: ${r.keyword} shifted`);
      else t.equal(got, code, `${name}: ${r.keyword} → ${code}`);
    }
    // Retain Safe Private has a code on the private-attributes row only.
    if (name === 'retainSafePrivate') t.equal(touched, 0, 'safe private names no standard attribute');
    else t.ok(touched > 0, `${name} names some rows`);
  }
});

t.test('option conflicts: clean beats retain, full dates beat modified dates', async (t) => {
  const studyDate = profileRow(0x00080020)!;
  t.equal(resolveAction(studyDate, { ...NO_OPTIONS, retainLongModifiedDates: true, retainLongFullDates: true }), 'K');
  const both = [...profileRows().values()].find((r) => r.options.cleanDescOpt === 'C' && Object.values(r.options).includes('K'));
  if (both) {
    const all = Object.fromEntries(OPTION_NAMES.map((n) => [n, true])) as unknown as typeof NO_OPTIONS;
    t.equal(resolveAction(both, all), 'C', `${both.id}: clean wins`);
  } else t.pass('no row has both a clean and a retain code');
});
