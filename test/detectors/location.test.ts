import t from 'tap';
import { locationDetector } from '../../src/detectors/location.js';
import { findPhi } from '../../src/text/find-phi.js';
import { run, quotes } from './run-detector.js';

t.test('cities, states and countries from the gazetteer', async (t) => {
  t.same(quotes(locationDetector, 'Moved from Baltimore to New Hampshire, then Uruguay.'), ['Baltimore', 'New Hampshire', 'Uruguay']);
});

t.test('facility names (after overlap resolution)', async (t) => {
  const text = 'TRANSFER FROM CALVERT HOSPITAL; rehab at Sacred Heart Medical Center; bed at St. Agnes';
  const found = findPhi(text, { infoTypes: ['LOCATION'] }).map((f) => text.slice(f.start, f.end));
  t.same(found, ['CALVERT HOSPITAL', 'Sacred Heart Medical Center', 'St. Agnes']);
});

t.test('generic facility phrases are not names', async (t) => {
  t.same(quotes(locationDetector, 'to the hospital, General Hospital policy, the Medical Center'), []);
});

t.test('places that are names need context; common words never alone', async (t) => {
  t.same(quotes(locationDetector, 'Warren called. Lives in Warren.'), ['Warren']);
  t.equal(run(locationDetector, 'Lives in Warren.')[0]!.start, 9);
  t.same(quotes(locationDetector, 'Reading the chart, Mobile unit'), []);
});

t.test('a capitalised name right after a move word is a place; wards and unit abbreviations are not', async (t) => {
  t.same(quotes(locationDetector, 'Pt transferred to Quartermain 2 today. Sent to GH for cath. Brought to EW, admitted to MICU, transfer to Q3.'), ['Quartermain', 'GH']);
});

t.test('facility names whose words are also common words', async (t) => {
  const text = 'went to Warren Grant Hosp. for rx. TAKEN TO LAUREL REGIONAL WHERE CKS DONE. General Hospital.';
  const found = findPhi(text, { infoTypes: ['LOCATION'] }).map((f) => text.slice(f.start, f.end));
  t.same(found, ['Warren Grant Hosp', 'LAUREL REGIONAL']);
});

t.test('ward names with a floor number after a move or place word', async (t) => {
  t.same(quotes(locationDetector, 'Plan: transfer to farnsworth 4, family aware. Bed ready on Pemberton 6 or Lindqvist 7.'), ['farnsworth', 'Pemberton', 'Lindqvist']);
  t.same(quotes(locationDetector, 'Belongings sent from gallardine 11. Report given per Ostrava 2/3 RN.'), ['gallardine', 'Ostrava']);
  // doses, rates, ranges, generic unit words, hyphenated and lower-case words without a move word
  t.same(quotes(locationDetector, 'On bi-pap 10/5, titrated per fingersticks 1-2u/hr, to recieve 1 bag, from ward 3, on CACL 8GM, to junctnl 60\'s'), []);
});

t.test('hospital initials after a place word', async (t) => {
  t.same(quotes(locationDetector, 'Medflight to KMH for cath; seen by PVMC nurse; sent to qh yesterday.'), ['KMH', 'PVMC', 'qh']);
  t.same(quotes(locationDetector, 'Decline due to ICH, progressed to SDH, switched to NPH, CO via FICH, seen by JH'), []);
});

t.test('ward number glued to the ward name; abbreviations with inner capitals are not wards', async (t) => {
  t.same(quotes(locationDetector, 'ADMITTED TO MARWICKLEY7 W/ CHF. plan: transfer to quenstrom2. RR 22 on PSVof 15, on CPAPx 5.'), ['MARWICKLEY', 'quenstrom']);
});

t.test('"Greater", "Square" and "Point" in facility names; "Med" after a place or before Center', async (t) => {
  const text = 'Flown from Greater Baltimore Med to us; arrived from dunmore square hosp; seen at Carroll County Med Center. INC MED FORMED BM. CONT PRESENT MED MANAGEMENT.';
  const found = findPhi(text, { infoTypes: ['LOCATION'] }).map((f) => text.slice(f.start, f.end));
  t.same(found, ['Greater Baltimore Med', 'dunmore square hosp', 'Carroll County Med Center']);
});

t.test('hyphenated facility names in lower case', async (t) => {
  t.same(quotes(locationDetector, 'sent to dunmore-baptist hospital; plan: sub-acute rehab or post-op rehab'), ['dunmore-baptist hospital']);
});

t.test('a proper name before a place noun, or after a place opener', async (t) => {
  t.same(quotes(locationDetector, 'on vacation on the Eastern Shore, radiation planning on North Campus, lives in Howard County area'), ['Eastern Shore', 'North Campus', 'Howard County']);
  t.same(quotes(locationDetector, 'Fort Detrick'), ['Fort Detrick']);
  t.same(quotes(locationDetector, 'High Falls Risk. FT. Post-extubation. The Lake was calm. Mount Ativan'), []);
  t.same(quotes(locationDetector, 'ON VACATION ON THE EASTERN SHORE'), [], 'all-capitals text: only listed places');
});

t.test('an unlisted capitalised name after where someone lives or stays; not states', async (t) => {
  t.same(quotes(locationDetector, 'lives in Smallville with wife; resides in Quillton; on vacation in Ocean Pines'), ['Smallville', 'Quillton', 'Ocean Pines']);
  const text = 'lives in California. lives in Stable condition. visiting at Bedside. admitted in Lasix';
  t.same(findPhi(text, { infoTypes: ['LOCATION'] }).map((f) => text.slice(f.start, f.end)), []);
});

t.test('a capitalised word outside the core vocabulary before a facility word, in mixed-case text', async (t) => {
  t.same(quotes(locationDetector, 'OSH: Northwest Hospital. Came from Suburban Hospital today.'), ['Northwest Hospital', 'Suburban Hospital']);
  t.same(quotes(locationDetector, 'from Outside Hospital; Local Hospital policy; General Hospital; the Hospital'), []);
});

t.test('a capitalised word in no list after in/from (of: after a name) is a place', async (t) => {
  t.same(quotes(locationDetector, 'he lives nearby in Loloretu and will visit. Sister called from Zatubic. Nephew Neil of Gefosa visited.'), ['Loloretu', 'Zatubic', 'Gefosa']);
  t.same(quotes(locationDetector, 'large doses of Prpafol; hold for ? of Permacath placement; as noted in CareVue; IN ZATUBIC'), []);
});

t.test('everyday verbs of movement: the place must be written as a name', async (t) => {
  t.same(quotes(locationDetector, 'Pt is prepared to go to Devono Megez tomorrow; presented to Bitadado Sigata w/ sob'), ['Devono Megez', 'Bitadado Sigata']);
  t.same(quotes(locationDetector, 'went to IR for a line; WENT INTO JUNCTIONAL; went into A-FIB; going to PAline'), []);
  t.same(quotes(locationDetector, 'pt taken to suvafe hosp. she sustained'), ['suvafe hosp'], 'an unlisted word before a lower-case hospital word');
  t.same(quotes(locationDetector, 'from prev rehab; supprotive medical care'), []);
});

/** Reported places after overlap resolution, at the default threshold (states and countries are below it). */
const places = (text: string) => findPhi(text, { infoTypes: ['LOCATION'] }).map((f) => text.slice(f.start, f.end));

t.test('a town in no list before its state or country', async (t) => {
  t.same(places("a brief overview of this towson maryland's facility; moved from Brakeville, Ohio"), ['towson', 'Brakeville']);
  // clinical and English words, states that are also first names
  t.same(places('Western Maryland, lasix Texas, dilantin Ohio, Kuzareb Georgia, pulm Maine'), []);
});

t.test('lives ... in an unlisted word, where capitals do not mark names', async (t) => {
  t.same(places('LIVES WITH SON AND FAMILY IN GUKEBAVIR. ALSO HAS 4 OTHER DAUGHTERS'), ['GUKEBAVIR']);
  t.same(places('he lives nearby in dimumini and will be in later'), ['dimumini']);
  // not after a sentence break, not far from the verb, not English or clinical words
  t.same(places('lives alone. in afib. lives with wife in apartment, lives with son in rehab, he lives with his wife and two sons and dog in brokopa'), []);
  t.same(places('LIVES WITH WIFE. IN MUPELO ON ARRIVAL'), []);
});

t.test('"U Maryland": a university named by its state', async (t) => {
  t.same(places('insulin per U Maryland scale; seen at Univ. of Maryland'), ['U Maryland', 'Univ. of Maryland']);
  t.same(places('gave 10 U Lantus, 4 U AT HS, 6 U. ALL DONE, U Max'), []);
});

t.test('homes and houses named by a word in no list; "St." and "Saint" before one', async (t) => {
  t.same(places('89 y.o. woman, Mivaba House NH resident'), ['Mivaba House']);
  t.same(places('ADMITTED TO THE ED FROM THE UPUNID HOUSE AFTER A FALL'), ['UPUNID HOUSE']);
  t.same(places("Was accepted by St. Nesab but; transfer to St. Difu's tomorrow; at Saint Ravok"), ['St. Nesab', "St. Difu's", 'Saint Ravok']);
  // English words before House, ST segments
  t.same(places('Open House, Halfway House; ST Depressions, ST elevation, St Tachy'), []);
});

t.test('place names in all capitals after a preposition; "Ctr" ends a facility name', async (t) => {
  t.same(places('ARRIVED AT 2 AM FROM THE EASTERN SHORE. EASTERN SHORE ACCENT. HOWARD COUNTY POLICE'), ['EASTERN SHORE']);
  t.same(places('MedFlight from Greater Godurizud Med Ctr; from oladuv ew for eval'), ['Greater Godurizud Med Ctr', 'oladuv ew']);
  t.same(places('CXR: CTR 0.5, Heart CTR, to the ew, from rehab ew'), []);
});

t.test('a word in no list before a lower-case facility word; nursing homes and VNAs', async (t) => {
  t.same(places('plan d/c to Kelvard rehab tomorrow; dc to kelvard rehab; transferred via ambulance to piserem-arigukufu rehab facility'), ['Kelvard rehab', 'kelvard rehab', 'piserem-arigukufu rehab facility']);
  t.same(places('resident of Pinegrove nursing home; Kelvard VNA to follow'), ['Pinegrove nursing home', 'Kelvard VNA']);
  // kinds of care, English words, no place after the verb
  t.same(places('d/c to geriatric rehab, to subacute rehab, to inpatient rehab, from cardiac rehab, to ortho rehab, to pulm rehab, to sub-acute rehab'), []);
  t.same(places('Transfer to Nursing Home, lives in a nursing home, VNA to follow'), []);
});

t.test('a place named in brackets after a facility word', async (t) => {
  t.same(places('OSH (Kelvard General) sent records; outside hospital (Kelvard).'), ['Kelvard General', 'Kelvard']);
  t.same(places('OSH (ICU) and hospital (See note) and rehab (Acute Care), CXR (Kelvard)'), []);
});

t.test('a ward in no list among intensive care units joined by slashes; services are not wards', async (t) => {
  t.same(places('PMH/AND HPI FROM F-MICU/QUARTERMAIN/CCU TEAMS; to Quartermain/MICU'), ['QUARTERMAIN', 'Quartermain']);
  t.same(places('MICU/Neurosurg team, CCU/Cardiology, MICU/Nsurg, CCU/Ortho, MICU/Hemeonc, SICU/Transplant, ICU/Tele'), []);
});

t.test('a place in no list after "at", or after "from (the)" in all-capitals text', async (t) => {
  t.same(quotes(locationDetector, 'Had a heart transplant at Kivolaz Nanabor. Pt being d/c\'d to Abesed Dilelo at 4pm. Pt transferred from Mercy to ICU.'), ['Kivolaz Nanabor', 'Abesed Dilelo', 'Mercy']);
  t.same(quotes(locationDetector, 'PT SENT TO ED AT KIVOLAZ. FAMILY ARRIVED AT 2 AM FROM THE ADUSANA LEFUFO.'), ['KIVOLAZ', 'ADUSANA LEFUFO']);
  // times, measures, misspelt and clinical words, a line taken out
  t.same(quotes(locationDetector, 'Dose given at midnoc. Expired at approx. 0320. Taken at Bedtime. bleeding from hemrroids.'), []);
  t.same(quotes(locationDetector, 'ETT 19CM AT LIPLINE. SWAN D/CED IN EP LAB. CHANGED FROM LASIX TO DIAMOX.'), []);
});

t.test('a hyphenated facility name whose parts are towns', async (t) => {
  t.same(quotes(locationDetector, 'transferred via ambulance to Beverly-Wausau rehab facility at 1pm'), ['Beverly-Wausau rehab facility']);
});

t.test('"St." before a town\'s name', async (t) => {
  t.same(quotes(locationDetector, "?transfer to St. Vicksburg's tomorrow."), ["St. Vicksburg's"]);
});

t.test('in all-capitals text, a word in no list after an everyday move verb when it reads as no word', async (t) => {
  t.same(quotes(locationDetector, 'DAUGHTER WILL RETURN TO PAPUSEMOD TOMORROW. PT WENT INTO AFIB. WILL GO TO BASELINE. RETURN TO FLOWSHEET.'), ['PAPUSEMOD']);
});

t.test('words of a facility\'s kind between its own name and its head; SNF, LTAC and ER after a name', async (t) => {
  t.same(quotes(locationDetector, 'to Kelvard Care Center, Kelvard Nursing and Rehab Center, Tamuvex Kidney Center, Bosnitz Assisted Living.'), [
    'Kelvard Care Center',
    'Kelvard Nursing and Rehab Center',
    'Tamuvex Kidney Center',
    'Bosnitz Assisted Living',
  ]);
  t.same(quotes(locationDetector, 'd/c to KELVARD SNF or Tamuvex LTAC'), ['KELVARD SNF', 'Tamuvex LTAC']);
  t.same(quotes(locationDetector, 'Kelvard ER sent pt'), ['Kelvard']);
  // the kind alone names no place
  for (const s of ['Urgent Care Center today', 'Nursing and Rehab Center today', 'Assisted Living', 'seen in the ER', 'to SNF', 'SENT TO ER']) t.same(quotes(locationDetector, s), [], s);
});

t.test('a word that is not English before the head of a town\'s or street\'s name', async (t) => {
  for (const s of ['Kelvard Falls', 'Tamuvex Lake', 'Bosnitz Street']) t.same(quotes(locationDetector, `Pt's home is ${s}.`), [s]);
  for (const s of ['Pt is High Risk Falls.', 'Pt lives on Main Street.', 'LIVES ON KELVARD STREET.', 'Dr Smith on Oak Road.']) t.same(quotes(locationDetector, s), [], s);
});

t.test('where capitals mark no names, a word in no list after "in" and a home, a job or a relative', async (t) => {
  t.same(quotes(locationDetector, 'HOME IN KELVARD. DAUGHTER IN TAMUVEX WILL COME. WORKS IN BOSNITZ.'), ['KELVARD', 'TAMUVEX', 'BOSNITZ']);
  t.same(quotes(locationDetector, 'son in law here. DAUGHTER IN ROOM. HOME IN AM.'), []);
});

t.test('in mixed-case text, a word in no list after "of" and whose town it is: resident, native, town, outside', async (t) => {
  for (const [s, place] of [
    ['Pt is a resident of Tizabod.', 'Tizabod'],
    ['Pt is a native of Kelvard, moved here 10 yrs ago.', 'Kelvard'],
    ['Lives in the town of Bosnitz with wife.', 'Bosnitz'],
    ['Daughter lives just outside of Tamuvex Vofu.', 'Tamuvex Vofu'],
  ]) t.same(quotes(locationDetector, s!), [place], s);
  for (const s of ['Pt is a resident of Famly.', 'Resident of Medicine aware.', 'pt out of Bed to chair.', 'Town of residence unknown.', 'Area of Erythema noted.', 'area of Tegaderm intact.']) t.same(quotes(locationDetector, s), [], s);
});

t.test('travel before its place: a trip, a cruise or a flight to a place written as a name', async (t) => {
  for (const [s, place] of [
    ['Pt recently returned from a trip to Tizabod.', 'Tizabod'],
    ['Pt was on a cruise to Kelvard Vofu when sx began.', 'Kelvard Vofu'],
    ['Wife flew to Bosnitz yesterday.', 'Bosnitz'],
    ['PT ON TRIP TO TAMUVEX LAST WEEK.', 'TAMUVEX'],
  ]) t.same(quotes(locationDetector, s!), [place], s);
  for (const s of ['Pt ambulated, trip to bathroom x2.', 'Trip to CT uneventful.', 'TRIP TO BATHROOM WITH ASSIST.', 'Flight to MRI delayed.', 'travel to Radiology with RN.', 'TRIP TO CT SCAN.']) t.same(quotes(locationDetector, s), [], s);
});

t.test('a word that is not English before the name of a mall, an inn or a hotel', async (t) => {
  for (const [s, place] of [
    ['Pt fell at the Tizabod Mall.', 'Tizabod Mall'],
    ['Wife staying at the Kelvard Inn tonight.', 'Kelvard Inn'],
    ['Family at the Bosnitz Hotel across the street.', 'Bosnitz Hotel'],
  ]) t.same(quotes(locationDetector, s!), [place], s);
  for (const s of ['Family staying at a hotel nearby.', 'Pt fell at the Shopping Mall.', 'Family at the Hospital Hotel.']) t.same(quotes(locationDetector, s), [], s);
});
