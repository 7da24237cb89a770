import t from 'tap';
import { personNameDetector } from '../../src/detectors/person-name.js';
import { run, quotes } from './run-detector.js';

t.test('dictionary names, joined into full names with initials', async (t) => {
  t.same(quotes(personNameDetector, 'Seen with John Q. Smith and Philomena Marotta today.'), ['John Q. Smith', 'Philomena Marotta']);
});

t.test('a title makes even a clinical or common word a name', async (t) => {
  const f = run(personNameDetector, 'Dr. Wall aware. Mrs Grace here.');
  t.same(f.map((x) => [x.quote, x.likelihood]), [['Wall', 'VERY_LIKELY'], ['Grace', 'VERY_LIKELY']]);
});

t.test('clinical words that are also names stay: Mae, Wall, Pt, Foley', async (t) => {
  t.same(quotes(personNameDetector, 'Pt alert, MAE. Chest wall pain. Foley draining. Pt to see PT.'), []);
});

t.test('kin words raise common-word names; post-nominals mark staff', async (t) => {
  t.same(quotes(personNameDetector, 'wife Grace called. Lander RRT notified.'), ['Grace', 'Lander']);
});

t.test('all-capitals nursing notes: names still found, abbreviations not', async (t) => {
  t.same(quotes(personNameDetector, 'DAUGHTER SUZETTE IN TO VISIT. TOL WELL. HUSBAND THEODORE AWARE.'), ['SUZETTE', 'THEODORE']);
});

t.test('function words after a title are not names', async (t) => {
  t.same(quotes(personNameDetector, 'dr aware, dr to see in am'), []);
});

t.test('accented names are folded for lookup', async (t) => {
  t.same(quotes(personNameDetector, 'Contact José Ávalos today'), ['José Ávalos']);
});

t.test('names joined by "and", and lower-case surnames after "dr"', async (t) => {
  t.same(quotes(personNameDetector, 'Both Suzette and Hank are proxies. Pronounced by dr. dobroth.'), ['Suzette', 'Hank', 'dobroth']);
  t.same(quotes(personNameDetector, 'dr. aware and dr to see'), []);
});

t.test('alone in lower-case or all-capitals text, only a common first name is a name', async (t) => {
  t.same(quotes(personNameDetector, 'talked with helen from case management. cont mech vent, bowell sounds present.'), ['helen']);
  t.same(quotes(personNameDetector, 'LABS PENDING. SUSAN AWARE OF PLAN. NEURO PEARLA, GLUC 140.'), ['SUSAN']);
});

t.test('initials, surnames before "aware" or "family", first name + surname pairs', async (t) => {
  t.same(quotes(personNameDetector, 'PRONOUNCED BY DR. L. RUUSKA. MILRINONE OFF AS PER W. MAROTTA.'), ['L. RUUSKA', 'W. MAROTTA']);
  t.same(quotes(personNameDetector, 'KEEP ROMERO FAMILY UPDATED. DOUGLASS AWARE.'), ['ROMERO', 'DOUGLASS']);
  t.same(quotes(personNameDetector, 'will consult with patty hoeller re skin care'), ['patty hoeller']);
});

t.test('units, formulas and abbreviations glued to numbers or slashes are not names', async (t) => {
  t.same(quotes(personNameDetector, 'DOPAMINE AT 8 MIC. SWAN D/CED. inc PaCO2 noted. LABS K/MG/CAL.'), []);
});

t.test('a kin word then a common word is a name only when it is a first name', async (t) => {
  t.same(quotes(personNameDetector, 'son bill called. daughter yelling out for help. visit from son. Found out later.'), ['bill']);
});

t.test('after MS, MR or attending a common word must be a first name; "Mr." in mixed case is a title', async (t) => {
  t.same(quotes(personNameDetector, 'changes in MS. Aspiration precautions. 3-4+MR. Given 6u. attending come to see pt.'), []);
  t.same(quotes(personNameDetector, 'Mr. Manning is a 61 year old man.'), ['Manning']);
});

t.test('kin words before a word in no list; first names before an anchored surname; O\'Brien', async (t) => {
  t.same(quotes(personNameDetector, 'communication with husband milovan. husband visisted. mother trached.'), ['milovan']);
  t.same(quotes(personNameDetector, 'USE AS CENTRAL LINE PER WARREN KAVALIUNAS NP'), ['WARREN KAVALIUNAS']);
  t.same(quotes(personNameDetector, 'nsg (d. renna and j. o\'brien) verified'), ['d. renna', "j. o'brien"]);
});

t.test('eponyms and doses are not people', async (t) => {
  t.same(quotes(personNameDetector, 'Riker scale 4. Quentin catheter placed. Med x1 w/ Ativan. Seen by Dr. Riker.'), ['Riker']);
  t.same(quotes(personNameDetector, 'placed on the Passey muir valve; Quentin dialysis catheter in place.'), []);
});

t.test('kin words joined to the name by a hyphen, and hyphenated kin words', async (t) => {
  t.same(quotes(personNameDetector, 'SOCIAL:DAUGHTER-KRISSY---301 944-5032. DAUGHTER-UPDATED.'), ['KRISSY']);
  t.same(quotes(personNameDetector, "pt's daughter-in-law Rita came. her ex-wife yelling. brother in law Tom called."), ['Rita', 'Tom']);
});

t.test('capitals inside a word mark an abbreviation, not a name', async (t) => {
  t.same(quotes(personNameDetector, 'noted improvement in COs. MAEs on bed. Seen by McNeil today.'), ['McNeil']);
});

t.test('a capitalised word in no list before an anchored name is its first name', async (t) => {
  t.same(quotes(personNameDetector, 'Patient is very HOH. Muriele William RN'), ['Muriele William']);
});

t.test('a name in parentheses after a kin word; common misspellings of kin words', async (t) => {
  t.same(quotes(personNameDetector, 'Son (Bob) called. grandaughter milovana visited. neice aware.'), ['Bob', 'milovana']);
});

t.test('two initials after a title; clergy titles', async (t) => {
  t.same(quotes(personNameDetector, 'Seen by Dr. J.P. Smith. Rabbi Cohen visited; Rabbi sees pt. 4fr single lumen picc.'), ['J.P. Smith', 'Cohen']);
});

t.test('Dr glued to the word before by a hyphen; other titles are not', async (t) => {
  t.same(quotes(personNameDetector, 'CONSENT SIGNED-DR. HARTLEY AT BEDSIDE. IV-MS CONTIN GIVEN.'), ['HARTLEY']);
});

t.test('a first name opening a sentence before a verb of contact', async (t) => {
  t.same(quotes(personNameDetector, 'Social: carol called twice. Pt resting. Frank visited this evening.'), ['carol', 'Frank']);
  t.same(quotes(personNameDetector, 'the bill called for review. Family called. Nurse visited. Pt called out.'), []);
});

t.test('a two-letter first name after a kin word, written as a name; not the ward "ED"', async (t) => {
  t.same(quotes(personNameDetector, 'Family: Son, Ed, was updated. husband Al here. wife Jo called.'), ['Ed', 'Al', 'Jo']);
  t.same(quotes(personNameDetector, 'Pt to ED with son. son ED visit. son in room, daughter at bedside.'), []);
});

t.test('a staff abbreviation before a name ("md smith", "HO JONES"); not before another abbreviation', async (t) => {
  t.same(quotes(personNameDetector, 'md smith aware of bp. NOTIFIED HO JONES. rrt Kowalski here.'), ['smith', 'JONES', 'Kowalski']);
  t.same(quotes(personNameDetector, 'husband MD (ENT), three children. md aware. HO paged.'), []);
});

t.test('a first name, a word that is also clinical, and a credential', async (t) => {
  t.same(quotes(personNameDetector, 'same settings.  Bernard Foley CRT. Report from Maria Foley RN.'), ['Bernard Foley', 'Maria Foley']);
  t.same(quotes(personNameDetector, 'Foley RN removed. Lasix Foley RN. foley care.'), []);
});

t.test('capitalised unlisted words right before a phone number are a contact name', async (t) => {
  t.same(quotes(personNameDetector, 'very devoted. Lopie Certusi cell# 410-322-1234. NOK: Ro Dlamini (h) 410-555-9999.'), ['Lopie Certusi', 'Ro Dlamini']);
  t.same(quotes(personNameDetector, 'Sister in California 415-999-8604. Call Lab 410-555-1234. Pharmacy: 410-555-1234. Social Work 410 555 1234'), []);
});

t.test('names in no list, found by their context', async (t) => {
  // Signed names: the words before a credential.
  t.same(quotes(personNameDetector, 'Patient is very HOH.    Kuzareb Renibif RN  \nVEDENO V. KOVOVOMAV, RRT\nall is well. q. meruga rrt'), [
    'Kuzareb Renibif',
    'VEDENO V. KOVOVOMAV',
    'q. meruga',
  ]);
  // A staff role or "Mr" before a word in no list.
  t.same(quotes(personNameDetector, 'BP LOW. NP GACITO MADE AWARE. mr beros had an uneventful night.'), ['GACITO', 'beros']);
  // A relation in brackets after the name; a list of names after a kin word; a surname joined to a first name.
  t.same(quotes(personNameDetector, 'ask for Roko Tisabaga (son) cell# 450-928-1234'), ['Roko Tisabaga']);
  t.same(quotes(personNameDetector, 'Sons Fipofo, Garire and Digik in to visit. md will call son dafo zozo re plan.'), ['Fipofo', 'Garire', 'Digik', 'dafo zozo']);
  // After a titled name and "and"; before "aware"; a preposition and an initial before it.
  t.same(quotes(personNameDetector, 'Drs Suloduf and Zafol in to see pt. DR NELILAZ AND DUPUFEMU AWARE. Reported to D. Vuze today; GIDI AWARE.'), [
    'Suloduf',
    'Zafol',
    'NELILAZ',
    'DUPUFEMU',
    'D. Vuze',
    'GIDI',
  ]);
  t.same(quotes(personNameDetector, 'social: tapi called once about 4am.'), ['tapi']);
});

t.test('context rules for unlisted words leave abbreviations, typos and sentence ends alone', async (t) => {
  t.same(quotes(personNameDetector, 'Swab CX done by HO. XRAYS done. monitor MS. OOB as tol. sxned sm to md amt thick. Peppler,MD madeno vent'), ['Peppler']);
  t.same(quotes(personNameDetector, 'Vitamin K. Chemistries sent. IV. Droperidol given. C. DIFF NEG. CT to 20cm CWS.'), []);
  t.same(quotes(personNameDetector, 'RRT notified. Lander RRT notified. radiology aware. dtr called.'), ['Lander']);
  t.same(quotes(personNameDetector, 'Dr. Smith and Nursing aware. Sister (son) 555.'), ['Smith']);
});

t.test('a kin word, a common word, then what relatives do', async (t) => {
  t.same(quotes(personNameDetector, "daughter Trammel called, updated. SON MUSKRAT HAS PHONED X2. pt's son, wickers, called this morning. DAUGHTER BEECH IN THIS EVENING."), [
    'Trammel',
    'MUSKRAT',
    'wickers',
    'BEECH',
  ]);
  t.same(quotes(personNameDetector, 'daughter beans called.'), [], 'a word of the core vocabulary needs more than that');
  t.same(quotes(personNameDetector, 'daughter Beans called.'), ['Beans'], 'unless written as a name in mixed-case text');
  t.same(quotes(personNameDetector, 'son also called. daughter just visited. son finally called. wife again here. son. Called back. daughter foley in to'), []);
});

t.test('a capitalised word in no list after a verb of talking, after "page", or opening a sentence before "reports"', async (t) => {
  t.same(quotes(personNameDetector, 'Spoke with Guloz today. Will consult with Demil re skin. SPOKE WITH GULOZ TODAY'), ['Guloz', 'Demil', 'GULOZ']);
  t.same(quotes(personNameDetector, 'Zibor reports that pt fell. Work# 888-130-8121, ask to page Tisilud.'), ['Zibor', 'Tisilud']);
  // misspellings in lower case, services, listed words
  t.same(quotes(personNameDetector, 'spoke with famly re plan. talked with nsg staff. consult with Nephro. Ortho reports fracture. Labs reported. spoke with Nurse'), []);
});

t.test('words in no list after more staff roles, contact verbs, "per", "seen by" and before "family"', async (t) => {
  t.same(quotes(personNameDetector, 'Met w/ caseworker Zuvemar today. Case manager Bodelik aware of plan.'), ['Zuvemar', 'Bodelik']);
  t.same(quotes(personNameDetector, 'talked with gulozet from case management. Contact was made with defuku.'), ['gulozet', 'defuku']);
  t.same(quotes(personNameDetector, 'Per Vokem, he has been eating. Seen by Rubizuseg for rehab screening. Accompanied by Momivet.'), ['Vokem', 'Rubizuseg', 'Momivet']);
  t.same(quotes(personNameDetector, 'PER OGEMASOZ WILL HOLD LASIX. KEEP VUKIVA FAMILY AWARE.'), ['OGEMASOZ', 'VUKIVA']);
  t.same(quotes(personNameDetector, 'ms. okafor from case mgmt in. care mgr ebele aware. hcp is nnekaze (daughter).'), ['okafor', 'ebele', 'nnekaze']);
});

t.test('words that read as misspelt or clinical words stay in those contexts', async (t) => {
  t.same(quotes(personNameDetector, 'spoke with famly. per carevue, vent settings. Followed by Xerofoam. No changes made overnoc.'), []);
  t.same(quotes(personNameDetector, 'care mgr famly aware. ms. intact. Per flowsheet, abg ok. updated housestaff.'), []);
});

t.test('a kin word, a capitalised common word, then what relatives do', async (t) => {
  t.same(quotes(personNameDetector, 'Daughter Brands called this am. son Tardove of Reisterstown visited. Son Little who is spokesperson.'), ['Brands', 'Tardove', 'Little']);
  t.same(quotes(personNameDetector, 'NP BELL MADE AWARE. MD ALSO AWARE. RN NOW AWARE.'), ['BELL']);
  t.same(quotes(personNameDetector, 'daughter also called. son much of the day.'), []);
});

t.test('a word in no list after "d/w" or a verb of talking and "w/"', async (t) => {
  t.same(quotes(personNameDetector, 'D/W Gulozet, will cont. d/w ketudor re plan. spoke w/ Zimubus today.'), ['Gulozet', 'ketudor', 'Zimubus']);
  t.same(quotes(personNameDetector, 'spoke w/ famly. d/w housestaff. tx w/ Combivent.'), []);
});

t.test('an initial and a word in no list before a clinician\'s role', async (t) => {
  t.same(quotes(personNameDetector, 'sats down to 87% -> E. Esuna PA into evaluate. pt on A. Line. S. Aureus PA line'), ['E. Esuna']);
});

t.test('a kin word joined to a heading by a hyphen, then a name', async (t) => {
  t.same(quotes(personNameDetector, 'CXR DONE. COPING-SISTER ,REFUG HAS PHONED TODAY. SOCIAL-WIFE JANE CALLED.'), ['REFUG', 'JANE']);
  t.same(quotes(personNameDetector, 'NON-SON. social-son in to visit'), []);
});

t.test('a sentence that ends in a number still ends before a name opening the next', async (t) => {
  t.same(quotes(personNameDetector, 'Her dtr died at the age of 22. Zibor reports that pt has pain.'), ['Zibor']);
  t.same(quotes(personNameDetector, 'BP 120 at 22 Zibor reports'), []);
});

t.test('a word in no list, then the part the person has in the care ("is HCP", "is family contact")', async (t) => {
  t.same(quotes(personNameDetector, 'Tamuvex is HCP. Plan: Bosnitz is the health care proxy. Kelvard is family contact.'), ['Tamuvex', 'Bosnitz', 'Kelvard']);
  t.same(quotes(personNameDetector, 'Lasix is contact. Fentanyl is the proxy. Famly is hcp.'), []);
});

t.test('an English word after mr/mrs before what people do is a name; mitral regurgitation is not', async (t) => {
  t.same(quotes(personNameDetector, 'plan is for mr. vowels to be dialysed. Mr. Mix is unchanged. mrs bell was seen.'), ['vowels', 'Mix', 'bell']);
  t.same(quotes(personNameDetector, 'MR. MIX WAS RESTLESS.'), ['MIX']);
  for (const s of ['mild mr jet was noted', '4+ MR. PT HAS MRSA', 'SEVERE MR JET IS SEEN', 'Echo: MR flow was mild']) t.same(quotes(personNameDetector, s), [], s);
});

t.test('a role, an English word, then what a clinician does', async (t) => {
  t.same(quotes(personNameDetector, "NP DOLES ORDERED LINES D/C'D. HO Bell saw pt."), ['DOLES', 'Bell']);
  for (const s of ['PA line placed by team', 'MD NOW ORDERED LASIX', 'RN ALSO WANTS TO']) t.same(quotes(personNameDetector, s), [], s);
});

t.test('a verb asking for a clinician by role is no name before a credential', async (t) => {
  t.same(quotes(personNameDetector, 'pls call RN at 4-1234. Please page MD with questions.'), []);
});

t.test('a word in no list before "updated", after a message left or "PCP is", before "\'s team"', async (t) => {
  for (const [s, name] of [
    ['msg left for Kelvard.', 'Kelvard'],
    ['left message with Tamuvex today', 'Tamuvex'],
    ['Bosnitz updated on pt condition.', 'Bosnitz'],
    ['PCP is Vurek.', 'Vurek'],
    ["on Zadol's service.", "Zadol's"],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const s of ['Kardex updated.', 'Careplan updated.', 'msg left for family.', 'PCP is aware.', "Pt's team", "Lasix's effect"]) t.same(quotes(personNameDetector, s), [], s);
});

t.test('in mixed-case text an English word written as a name before a relation, or after a role before what the clinician does', async (t) => {
  for (const [s, name] of [
    ['Rose (daughter) called.', 'Rose'],
    ["spoke with Hope, pt's daughter.", 'Hope'],
    ['SW Bell following.', 'Bell'],
    ['NP Rose in to see pt.', 'Rose'],
    ['Attending Frost at bedside.', 'Frost'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const s of ['Family (wife) at bedside.', 'Visitors (son and wife).', 'SW Consult following', 'MD Team at bedside', 'SW SERVICES FOLLOWING']) t.same(quotes(personNameDetector, s), [], s);
});

t.test('where capitals mark no names, a word that reads as no word after "name is", "pcp is", a message left or HCP', async (t) => {
  for (const [s, name] of [
    ["PT'S NAME IS KELVARD.", 'KELVARD'],
    ["pt's name is kelvard.", 'kelvard'],
    ['pcp is tamuvex.', 'tamuvex'],
    ['msg left for bosnitz.', 'bosnitz'],
    ['HCP: KELVARD RIDGETON.', 'KELVARD RIDGETON'],
    ['health care proxy: zadol.', 'zadol'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const s of ["pt's name is famly", 'hcp: aware', 'HCP: SON', 'pcp is aware']) t.same(quotes(personNameDetector, s), [], s);
});

t.test('words in no list after the authorship lines of reports and orders', async (t) => {
  t.same(quotes(personNameDetector, 'Order by Zelphina Quarterfield. Dictated by: Ovemu Taziret. Cosigned by Rubizuseg.'), ['Zelphina Quarterfield', 'Ovemu Taziret', 'Rubizuseg']);
  t.same(quotes(personNameDetector, 'Ordered by Cardiology. Reviewed by Pharmacy today. Seen by: Neuro. Performed by: ICU team.'), []);
});

t.test('a name opening a note or sentence before what a note says of its patient: arrived, presented, admitted, is a 65 yo', async (t) => {
  for (const [s, name] of [
    ['npn 11p-7a:      Gifez Urubi arrived in micu at 2300.', 'Gifez Urubi'],
    ['NPN 7P-7A: KELVARD TIZABOD ARRIVED FROM OSH AT 2200.', 'KELVARD TIZABOD'],
    ['Admission note. Tamuvex Hovak is a 65 yo man with CAD.', 'Tamuvex Hovak'],
    ['Kelvard is a 72 y/o woman s/p fall.', 'Kelvard'],
    ['Events: Zupob Rasev was admitted from the ED.', 'Zupob Rasev'],
    ['Tizabod presented to OSH with chest pain.', 'Tizabod'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const s of [
    'Pt arrived in micu at 2300.',
    'Patient is a 65 yo man.',
    'Lasix Drip arrived from pharmacy.',
    'Ambulance arrived at 1400.',
    'Heparin was admitted to the order set.',
    'Medflight arrived. Cardiology presented the case.',
    'Famly arrived at 2 pm.',
    'ICU Team arrived.',
    'MRI arrived late.',
  ]) t.same(quotes(personNameDetector, s), [], s);
});

t.test('in lower case, a word that reads as no word before a name in no list is its first part', async (t) => {
  for (const [s, name] of [
    ['BP DROPPED TO 75/40. HOUSE STAFF izek tizabod AWARE. U/O DROP OFF.', 'izek tizabod'],
    ['bp soft, ho kelvard tizabod aware.', 'kelvard tizabod'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const [s, name] of [
    ['pt resting, famly tizabod aware.', 'tizabod'],
    ['cont flowsheet tizabod aware', 'tizabod'],
    ['will give lasix. kelvard aware.', 'kelvard'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
});

t.test('names listed with "and" before the part they have in the patient\'s care ("are his appointed HCPs")', async (t) => {
  for (const [s, names] of [
    ['Both Fudamok and Vofu are his appointed HCPs.', ['Fudamok', 'Vofu']],
    ['Kelvard and Tizabod are the health care proxies.', ['Kelvard', 'Tizabod']],
    ['Izek and Vofu are family contacts.', ['Izek', 'Vofu']],
  ] as const) t.same(quotes(personNameDetector, s), names, s);
  for (const s of ['Lasix and Famly are here.', 'Sons and daughters are his proxies.', 'ICU and Vofu are aware.', 'Both parents are his HCPs.']) t.same(quotes(personNameDetector, s), [], s);
});

t.test('people who call and visit as relatives do; the clinician care is handed over to', async (t) => {
  for (const [s, name] of [
    ["Pt's roommate Tizabod called.", 'Tizabod'],
    ['NEIGHBOUR KELVARD IN TO VISIT.', 'KELVARD'],
    ['Signed out to Tizabod at 1900.', 'Tizabod'],
    ['pt endorsed to tizabod.', 'tizabod'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const s of ['Roommate in bed 2 called out.', 'Pt went out to Radiology.', 'Signed out to night team.', 'endorsed to famly.', 'Turned over to left side.', 'Changed over to zestril 10mg.', 'Caregiver aware.']) t.same(quotes(personNameDetector, s), [], s);
});

t.test('a role written as a label before a name; a name opening a sentence before where the person is and why', async (t) => {
  for (const [s, name] of [
    ['Attending: Tizabod', 'Tizabod'],
    ['Primary nurse: Kelvard', 'Kelvard'],
    ['Resident on call: Vofu, pager 4-1234.', 'Vofu'],
    ['Tizabod here to see pt.', 'Tizabod'],
    ['BP 90/50. Tizabod at bedside for line placement.', 'Tizabod'],
    ['Kelvard Vofu in to visit this am.', 'Kelvard Vofu'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const s of ['Attending: Aware of plan.', 'Nurse: Famly updated.', 'MD: Kardex updated.', 'RN: Neuro intact.', 'Team here to see pt.', 'Famly at bedside.', 'Ortho here to see pt.', 'MD: CCU']) t.same(quotes(personNameDetector, s), [], s);
});

t.test('a role where notes name the person they dealt with, then a name that is also an English word', async (t) => {
  for (const [s, name] of [
    ['PER NP BELL WILL HOLD LASIX.', 'BELL'],
    ['BP <110 (AS DISCUSSED WITH NP ROSE).', 'ROSE'],
    ['per NP Rose CXR improved.', 'Rose'],
  ]) t.same(quotes(personNameDetector, s!), [name], s);
  for (const s of ['per MD order.', 'per NP protocol', 'spoke with RN caring for pt.', 'per MD team', 'PER RN REPORT, PT SLEPT.', 'D/W MD RE: LASIX.', 'spoke with MD about plan', 'PER MD WANTS K>4.', 'per NP Lasix 20 iv given']) t.same(quotes(personNameDetector, s), [], s);
});
