import t from 'tap';
import { expectFound as found, expectLeftAlone as leftAlone } from './marked-phi.js';

/**
 * Where nursing notes name people, places and dates with words that are in no
 * list or read as plain words there. [[x]] must be found (a finding of one of
 * the kinds overlapping it); {{x}} must not be overlapped by any finding.
 * Made-up words (Kelvard, Tisabaga) stand for names no list holds.
 */
t.test('a person named where notes name who they dealt with, in any case', async (t) => {
  found(
    t,
    [
      'PER [[KOWALSKI]], WILL HOLD LASIX.',
      'PER [[OKAFOR]] PT TO GO TO CATH.',
      'per [[okafor]] pt to go to cath.',
      'per [[Kelvard]] pt to go to cath.',
      'SPOKE WITH [[DELGADO]] RE PLAN.',
      'discussed with [[kowalski]] from case mgmt.',
      'D/W [[OKAFOR]], OK TO EXTUBATE.',
      'handed off to [[Kelvard]].',
      'HANDED OFF TO [[KOWALSKI]].',
      'covering for [[tisabaga]] tonight.',
      'REPORT GIVEN TO [[OKAFOR]] RN.',
      'awaiting call back from [[kowalski]].',
      'pt known to [[Kelvard]] from prior admit.',
      'PT SEEN BY [[DELGADO]] FROM PT.',
    ],
    ['PERSON_NAME'],
  );
  leftAlone(t, [
    'per {{protocol}}.',
    'PER {{PROTOCOL}}, K REPLETED.',
    'per {{renal}} will hold.',
    'PER {{CSURG}}, KEEP SBP < 130.',
    'per {{carevue}} pt stable.',
    'spoke with {{famly}} at length.',
    'handed off to {{oncoming}} RN.',
    'covering for {{him}} tonight.',
    'call back from {{pharmacy}}.',
    'known to {{vasc}} service.',
  ]);
});

t.test('a person next to a clinician\'s role in brackets', async (t) => {
  found(
    t,
    ['[[Kelvard]] (HO) aware of K 3.2.', '[[OKAFOR]] (HO) AWARE.', 'ccu team ([[Tisabaga]]) aware.', 'CCU TEAM ([[KOWALSKI]]) AWARE.', 'PT ([[Kelvard]]) worked with pt.', 'pt ([[okafor]]) worked with pt.'],
    ['PERSON_NAME'],
  );
  leftAlone(t, ['{{Renal}} (fellow) aware.', 'team ({{renal}}) aware.', 'PT ({{AM}}) worked with pt.', 'BP {{stable}} (MD aware).', 'team ({{MICU}}) following.']);
});

t.test('a surname that is also an English word after a first name, where capitals mark no names', async (t) => {
  found(
    t,
    ['DAUGHTER JEN [[SMITH]] CALLED.', 'PT\'S WIFE MAUREEN [[BELL]] IS HCP.', 'husband dave [[banks]] called.', 'contact: maureen [[bell]]', 'NOK: JEN [[HALL]] (WIFE)'],
    ['PERSON_NAME'],
  );
  leftAlone(t, ['wife jen {{home}} today.', 'SON TOM {{ALSO}} CALLED.', 'daughter jen {{here}} and', 'DAUGHTER JEN {{VERY}} ANXIOUS.', 'son tom {{upset}}, called.']);
});

t.test('a fraction-shaped date in a note heading or before the shift it covers; a lower-case month with an ordinal day', async (t) => {
  found(t, ['Nursing note [[3/4]] 7p-7a', '[[3/4]] 1900-0700: pt stable.', 'NPN [[1/2]]: pt stable.', '[[3/4]] 7a->7p', 'NSG NOTE [[2/3]] 11P-7A', 'f/u [[march 10th]].', 'back on [[may 2nd]]'], ['DATE']);
  leftAlone(t, ['took {{1/2}} 7p dose.', 'ate {{3/4}} of tray.', '{{1/2}} NS at 100.', 'gave {{1/2}} 1-2 tabs.', 'pt {{may}} 3rd time', 'we {{may}} 5 times']);
});

t.test('a town where someone lives, grew up or comes from, where capitals mark no names', async (t) => {
  found(
    t,
    [
      'pt lives alone in [[salisbury]].',
      'GREW UP IN [[KELVARD]].',
      'WINTERS IN [[RIDGETON]].',
      'was visiting family in [[kelvard]].',
      'dtr flying in from [[kelvard]] tomorrow.',
      'FAMILY DROVE UP FROM [[RIDGETON]].',
      'originally from [[salisbury]].',
      'resident of [[kelvard]].',
      'RESIDENT OF [[RIDGETON]].',
      'd/c planning: rehab in [[kelvard]].',
      'LIVES IN [[OCEAN CITY]] WITH WIFE.',
      'FAMILY FROM [[OCEAN CITY]].',
    ],
    ['LOCATION'],
  );
  leftAlone(t, [
    'FAMILY WAS NOT IN {{ATTENDENCE}}.',
    'pt states bleeding is from {{hemrroids}}.',
    'family in {{agreement}} with plan.',
    'originally from {{home}}.',
    'resident of {{nursing}} home.',
    'lives in {{maryland}}.',
    'PT IN {{GOOD SPIRITS}}.',
    'IN {{OCEAN CITY}} ON THE BEACH.',
  ]);
});

t.test('a name signing the note on its last line or after its last sentence', async (t) => {
  found(
    t,
    ['Pt resting comfortably.\n\n[[Tisabaga Okafor]]\n', 'PT IS ON 850U/HR HEPARIN NOT 1400U/HR. [[KELVARD]]', 'Will cont to monitor.\n[[J. Kelvard]]', 'Social: wife called. [[SUSAN]]'],
    ['PERSON_NAME'],
  );
  leftAlone(t, ['Pt stable overnight.\n{{MONITOR BS}}', 'See careview. {{Team in}}', 'will cont to monitor. {{Dispo}}', 'pt stable. Lasix held. {{Kardex}}', 'AM LABS {{PENDING}}.', 'Plan:\n{{Full code}}']);
});

t.test('two words opening a sentence before a verb of contact', async (t) => {
  found(t, ['Pt ok. [[Tisabaga Okafor]] called.', 'BP NOTED. [[KELVARD TISABAGA]] CALLED TO BEDSIDE.'], ['PERSON_NAME']);
  leftAlone(t, ['Pt stable. {{Blood cultures}} called to lab.', 'HR 80. {{Lab results}} called in.']);
});

t.test('ages over 89 written "y.o.", glued to the sex, or after "pt is"', async (t) => {
  found(t, ['pt is a [[92]] y.o. woman', '[[93]]yoF admitted from NH', '[[91]] yoM s/p fall', 'pt is [[96]] and frail', '[[92]] yr. old male'], ['AGE']);
  leftAlone(t, ['pt is {{96}}% on RA', 'pt is {{98.6}} orally', 'pt is {{95/60}} now', 'pt is {{92}} kg']);
});

t.test('two initials with full stops where a person is named', async (t) => {
  found(t, ['report to [[J.S.]] RN', 'per [[J.S.]], ok to give', 'd/w Dr. [[J.S.]] re plan', 'spoke with [[K.M.]] re dispo'], ['PERSON_NAME']);
  leftAlone(t, ['per {{R.T.}}, vent weaned', 'per {{M.D.}} order', 'per {{P.T.}} eval', 'pt {{A.O.}} x3', '{{U.S.}} citizen', 'meds {{P.O.}} today']);
});

t.test('a second local number after another, "hm"/"wk" labels, "(410)-" area codes', async (t) => {
  found(
    t,
    ['call dtr at 410 555-1212 or [[555-1213]]', 'wife [[555-1212]] (h), [[555-1213]] (w)', 'hm [[555-1212]] wk [[555-1213]]', 'son [[(410)-555-1212]]'],
    ['PHONE_NUMBER'],
  );
  leftAlone(t, ['IVF 500-1000 or {{200-1500}} cc', 'given {{500-1000}} cc', 'SVR {{954-1183}}']);
});

t.test('a bare day listed after a month/day, an ordinal day after "on", a month and a two-digit day or year', async (t) => {
  found(
    t,
    ['cx [[10/16]] & [[17]] neg', 'abx [[10/16]] thru [[18]]', 'HD [[10/16]] and [[17]]', 'on [[16th]] had HD', 'since [[3rd]], pt afebrile', 'CT [[Oct-16]] neg', 'last echo [[Dec-04]]'],
    ['DATE'],
  );
  leftAlone(t, ['{{1/2}} and {{3}} tabs', 'on {{1st}} step mattress', 'on {{2nd}} cpap trial', 'after {{2nd}} unit.', 'on {{2nd}} attempt', 'sats {{dec-2}} pts', 'on {{3rd}} floor']);
});

t.test('a town listed after another place', async (t) => {
  found(t, ['family in Kelvard and [[Ridgeton]].', 'FAMILY IN PIKESVILLE AND [[SALISBURY]].', 'from Bowie/[[Elkton]] area', 'lives in Tisabaga, [[Elkton]]'], ['LOCATION']);
  leftAlone(t, ['sent to GH and {{intubated}}.', 'sent to GH, {{CT}} neg.', 'TRANSFERRED TO GH AND {{STABLE}}.', 'sent to GH, {{then}} home.']);
});

t.test('a surname that is also an English word, written as a name where notes name who they dealt with', async (t) => {
  found(t, ['Spoke with [[Bell]] re plan.', 'spoke with [[Bell]] about dispo.', 'Per [[Banks]], will hold lasix.', 'd/w [[Hall]], ok to extubate.', '[[Bell]] (HO) aware of K 3.2.'], ['PERSON_NAME']);
  leftAlone(t, ['Spoke with {{Case}} Management.', 'Per {{Chest}} xray, no change.', 'Team ({{Blue}}) aware.', 'Per {{Report}}, pt stable.', 'Spoke with {{Social}} Work.', 'spoke with {{bell}} re plan.']);
});

t.test('a name after a staff role in any case, or between commas after one', async (t) => {
  found(t, ['SW [[KOWALSKI]] FOLLOWING.', 'sw [[okafor]] following', 'resident, [[Kelvard]], notified.', 'RESIDENT, [[TISABAGA]], NOTIFIED.', 'attending [[delgado]] aware'], ['PERSON_NAME']);
  leftAlone(t, ['{{NP}}, pls call', 'md, {{resident}}, aware', 'seen by resident, {{ortho}}, and GI', 'PA {{catheter}} in place', 'np {{lasix}} given', 'rn {{skin}} care']);
});

t.test('the words before a credential closing the note sign it, English words too', async (t) => {
  found(t, ['QUIET NIGHT FOR PT.\n\n [[TUTOR]] B. [[CHARTER]], RRT', 'Pt stable.\n\n[[Rose]] [[Bell]], RN'], ['PERSON_NAME']);
  leftAlone(t, ['Cont to monitor. {{Notify}} MD', 'Cont to monitor. {{Call}} MD', 'Plan: {{Page}} MD', 'Plan:\n{{Hold}} {{lasix}} per MD', 'Plan:\n{{Follow}} {{up}} MD']);
});

t.test('one or two capitalised words after a kin word, then what relatives do or a closing comma', async (t) => {
  found(t, ['SOCIAL: Husband [[Cruise]] [[Sic]] in to visit.', 'talk with pt\'s daughter, [[Fare]] [[Vane]], to offer support', 'Son, [[Bob]], called'], ['PERSON_NAME']);
  leftAlone(t, ['daughter, {{Very}} {{Anxious}}, called', 'Daughter, {{Family}} {{Meeting}}, held', 'wife, {{Tylenol}}, given', 'Son {{Also}} called.', 'husband, {{Pt}}, and']);
});

t.test('a fraction-shaped date after an event notes date', async (t) => {
  found(t, ['admitted [[1/3]] with CP.', 'extubated [[2/3]].', 'LBM [[1/4]]', 'cultures [[3/4]] neg', 'HD [[1/3]] via R IJ'], ['DATE']);
  leftAlone(t, ['started {{1/2}} NS', 'cx {{2/4}} bottles positive', 'last {{1/2}} hour', 'removed {{1/2}} of dressing', 'BM {{1/4}} cup', 'CX {{1/3}} RT>LEFT', 'rales {{1/3}} up']);
});

t.test('a fraction-shaped date heading a line', async (t) => {
  found(t, ['Events:\n[[1/3]]: pt extubated.', '[[2/3]]: CXR clear.'], ['DATE']);
  leftAlone(t, ['meds:\n {{1/2}} NS at 100', 'pain {{1/3}}: ok', 'D5 {{1/2}}: 100cc/hr']);
});

t.test('a street address after a living word, where capitals mark no names', async (t) => {
  found(t, ['lives at [[45 kelvard road]] with wife', 'LIVES AT [[45 KELVARD AVE]].', 'address: [[12 elm st]].'], ['STREET_ADDRESS', 'PERSON_NAME', 'LOCATION']);
  leftAlone(t, ['pt lives at {{home}}, {{2}} sons', 'home at {{10}} pm', 'home on {{2}} L nc', 'living at {{2}} units']);
});

t.test('a person after a verb whose object is a person or a message left', async (t) => {
  found(t, ['Updated [[Bell]] re plan.', 'UPDATED [[KOWALSKI]] BY PHONE.', 'message left with [[okafor]].', 'Called [[Banks]] at home.'], ['PERSON_NAME']);
  leftAlone(t, ['notified {{resident}}.', 'Paged {{Covering}} MD.', 'updated {{carevue}}.', 'Called {{Lab}}.', 'paged {{Renal}} fellow', 'pt called {{out}} often']);
});

t.test('a lower-case facility named by a word in no list after to/at/from and "the"', async (t) => {
  found(t, ['went to the [[kelvard]] clinic', 'seen at the [[tisabaga]] hospital'], ['LOCATION']);
  leftAlone(t, ['at the {{famly}} clinic', 'seen at the {{geriatric}} clinic', 'to the {{inpatient}} rehab', 'to the {{ortho}} clinic']);
});
