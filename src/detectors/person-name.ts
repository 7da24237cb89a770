import type { Finding, Likelihood } from '../text/types.js';
import { CREDENTIALS, KIN_WORDS, TITLES } from './name-words.js';
import { CLINICAL_WORDS, lexFlags, LEX_CLINICAL, LEX_COMMON, LEX_CORE, LEX_FIRST, LEX_NAME, LEX_PLACE, LEX_RARE, LEX_STOP, commonWords, nameSet, regionNames } from './dictionaries.js';
import { isDigit } from './context.js';
import { CAP, UPPER, gapAfter, tokensOf, type Tokens } from './tokens.js';
import { likelihoodRank, type Detector, type ScanInput } from './types.js';
import { wordLike } from './word-shape.js';

/** Kin and role words: a name-list word right after one is a name even when it is also a common word ("wife Grace"). */
const RELATIONS = new Set([
  ...KIN_WORDS, 'name', 'hcp', 'proxy', 'nok', 'visitor', 'grandaughter', 'neice', 'stepson', 'stepdaughter', 'godson', 'goddaughter',
  'companion', 'fellow', 'intern', 'surgeon', 'resident', 'pcp', 'np', 'rn', 'law', 'md', 'ho', 'rrt', 'lpn',
]);
/** Staff who are not clinicians by title ("caseworker Zupor", "case manager Bavik", "social worker Nedo"). */
const WORKER_ROLES = ['caseworker', 'manager', 'worker', 'sw', 'chaplain', 'coordinator', 'coord', 'therapist', 'pharmacist', 'dietitian', 'dietician', 'nutritionist', 'liaison', 'physician', 'docter', 'doc', 'practitioner', 'mgr', 'pa'];
/** Roles written before a staff member's name. */
const WORKER_SET = new Set(WORKER_ROLES);
const STAFF_ROLES = new Set(['np', 'md', 'ho', 'rn', 'pcp', 'resident', 'intern', 'fellow', 'attending', 'surgeon', 'rrt', ...WORKER_ROLES]);
/** A relation in brackets or after a dash, right after a name. */
const RELATION_AFTER = new RegExp(`^ ?(?:\\(|- )(?:pt'?s )?(?:${KIN_WORDS.join('|')}|hcp|proxy|health care proxy)\\b`, 'i');
const STAFF_ABBREVIATIONS = new Set(['md', 'ho', 'rrt', 'lpn', 'rn', 'np', 'pcp', 'hcp']);
/** Relations proper (not roles), after which a word in no list is a name. */
const KIN = new Set(
  [...RELATIONS].filter((w) => !['named', 'name', 'fellow', 'intern', 'surgeon', 'resident', 'pcp', 'np', 'rn', 'md', 'ho', 'rrt', 'lpn', 'visitor', 'hcp', 'proxy'].includes(w)),
);
/** Letters only, 3+, not shaped like a verb form or a credential: a word in no list that may be a name. */
const UNLISTED_WORD = /^[a-z]{3,}$(?<!ed|ing)(?<!^(?:rrt|crt|lpn|cnm|dds|crnp|fnp|lcsw|licsw|msw|facs|cns))/;
/** Words before an initial and a surname ("reported to D. Vuze", "per W. Donomif"). */
const BEFORE_INITIAL = new Set(['per', 'to', 'by', 'with', 'meet', 'called', 'paged', 'notified', 'and', 'from', 'w']);
/** Plain letters, 4+, not shaped like a verb form ("visisted", "trached"). */
const UNKNOWN_NAME = /^[a-z]{4,}$(?<!ed|ing)/;
/** "dtr." and "sis." end in a full stop that does not end the phrase. */
/**
 * Words naming the part a person plays, written before the name like a title ("Patient John Kelvard seen",
 * "Resident Ann Hovak"): they stay outside the name, as "Dr." does.
 */
const ROLE_BEFORE_NAME = new Set(['patient', 'pt', 'client', 'resident', 'intern', 'fellow', 'attending', 'nurse', 'physician', 'surgeon', 'chaplain', 'therapist', 'pharmacist', 'coordinator', 'manager', 'caseworker', 'worker', 'doctor', 'dr']);
const ABBREVIATED_RELATIONS = new Set(['dtr', 'sis', 'bro', 'hcp']);
const STRONG_TITLES = new Set(['dr', 'doctor', 'drs', "dr's", 'mrs', 'prof', 'professor']);
/** Titles that are also clinical abbreviations or plain nouns ("MS" mental status, "MR" mitral regurgitation). */
const WEAK_TITLES = new Set(['ms', 'mr', 'miss', 'attending', 'nurse', 'dear', 'rabbi', 'pastor', 'fr']);
/** "daughter-in-law", "ex-wife", "step-son" are relations too. */
export function isRelation(key: string): boolean {
  if (RELATIONS.has(key)) return true;
  if (key.length < 6 || !key.includes('-')) return false;
  const parts = key.split('-');
  return RELATIONS.has(parts[0]!) || RELATIONS.has(parts[parts.length - 1]!);
}

/** "DAUGHTER-KRISSY": a kin word and a name written as one hyphenated word. */
function relationJoined(t: Tokens, i: number, out: Finding[]): void {
  const k = t.key[i]!;
  const dash = k.indexOf('-');
  const kin = k.slice(0, dash);
  const rest = k.slice(dash + 1);
  if (!KIN.has(kin) || rest.length < 3 || rest.includes('-') || /^inlaws?$/.test(rest)) return;
  const lx = lexFlags(rest);
  if (lx & (LEX_CLINICAL | LEX_STOP) || (lx & LEX_COMMON && !(lx & LEX_FIRST)) || !(lx & LEX_NAME || (lx === 0 && UNKNOWN_NAME.test(rest)))) return;
  out.push({ start: t.start[i]! + dash + 1, end: t.end[i]!, infoType: 'PERSON_NAME', likelihood: 'LIKELY' });
}

/** Nouns an eponym or a product name comes before. */
const EPONYM_HEADS = new Set([
  'scale', 'score', 'catheter', 'cath', 'valve', 'tear', 'tears', 'syndrome', 'disease', 'sign', 'signs', 'diet', 'tube', 'stockings',
  'boots', 'bag', 'oint', 'ointment', 'cream', 'solution', 'drops', 'procedure', 'maneuver', 'criteria', 'classification', 'grade',
  'test', 'repair', 'fracture', 'reflex', 'position', 'mattress', 'bed', 'sandwich', 'juice', 'shake', 'brand',
]);
/** Words that follow a person's name in notes ("Marotta aware", "the Romero family"). */
const AFTER_NAME = new Set(['aware', 'notified', 'paged', 'family']);
const POST_NOMINAL = new RegExp(`^,? ?(?:${CREDENTIALS})(?![\\w])`, 'i');
const ADJACENT = /^\.? ?$|^ {1,2}$|^ ?, ?$|^: ?$|^'s ?$|^ ?-{1,3} ?$|^ ?\($/;
const TITLE_GAP = /^\.? ?$|^ {1,2}$/;
/** What a relative named just before does: "called", "in to visit", "has phoned", "was updated". */
const KIN_ACTION_AFTER = /^,? (?:called|calls|visited|visits|visiting|phoned|came|updated|spoke|(?:has|had) (?:phoned|called|visited|been)|(?:was|were) (?:updated|called|visiting|here|in)|in (?:to|this|today|tonight|earlier|for)\b|here\b|who (?:is|was|lives|will|has|called|visited)\b|(?:is|was) (?:the |pt'?s )?(?:spokesperson|hcp|proxy|health care proxy|contact|guardian)\b|of (?!(?:the|a|an|his|her|their|my|this|that|all|them|him|it|pt)\b)[a-z])/i;
/** A phone number, maybe after a label ("cell#", "(home)", "h:"), right after a word. */
const CONTACT_AFTER = /^ {1,2}(?:\(?(?:cell|home|work|mobile|hm|wk|h|c|w)\)?\.?#? ?:? ?|# ?|: ?|- ?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?!\d)/i;
const CONTACT_VERBS = new Set(['called', 'visited', 'phoned', 'telephoned', 'visiting']);
/** Where a clinician or visitor is and why, after their name opening a sentence ("Kelvard here to see pt", "Kelvard at bedside"). */
const AT_BEDSIDE_AFTER = /^ (?:(?:is |was )?(?:here|in) to (?:see|visit|evaluate|eval)|(?:is |was )?at (?:the )?bedside|came (?:in )?to see|saw pt|examined pt)\b/i;
/**
 * What a note says of the patient it names in its opening words: "Kelvard Hovak arrived in MICU", "... presented to
 * OSH", "... was admitted", "... is a 65 yo man". Only after words that read as no English word (or first names).
 */
const PATIENT_EVENT_AFTER = /^ (?:arrived|arrives|presented|presents|(?:was )?(?:admitted|transferred)|(?:is|was) an? \d{1,3}(?: ?(?:y\/?o|yr|year|y\.o\.)|-year)|\(?\d{1,3} ?(?:y\/?o|yo|yr)\b)/i;
/** Verbs of talking to someone, before "with" or "to": the word after is a person ("spoke with Guloz"). */
const TALK_VERBS = new Set(['made', 'spoke', 'spoken', 'speak', 'speaking', 'talked', 'talk', 'talking', 'met', 'meet', 'meeting', 'consult', 'consulted', 'discussed', 'conferred', 'work', 'working', 'worked']);
/** Told of something, after a name: "made aware", "notified", "was paged". */
const TOLD_AFTER = /^ (?:(?:made|was|is|has been|were|been) )?(?:aware|notified|paged|informed|updated)\b/i;
/** Words between a role and "aware" that are no name. */
const NOT_A_NAME_BEFORE_AWARE = new Set(['also', 'now', 'still', 'made', 'already', 'again', 'team', 'service', 'covering', 'call', 'today', 'tonight', 'here', 'fully', 'well', 'all', 'both', 'was', 'been', 'just', 'previously', 'house', 'staff', 'on', 'off', 'resident', 'fellow', 'intern', 'attending']);
/** A clinician's role right after a name ("E. Esuna PA", "K. Fezeg, NP"). */
const ROLE_AFTER = /^,? (?:pa|np|rn|md|ho|rrt)\b/i;
/** Verbs whose object is a person: "contacted Zuper", "updated ketudor". */
const CONTACT_OBJECT_VERBS = new Set(['contacted', 'contacts', 'notified', 'informed', 'updated', 'called', 'phoned', 'texted', 'emailed', 'paged']);
/**
 * Verbs before "by" and who did them: "seen by", "evaluated by", and the
 * authorship lines of reports and orders ("signed by", "dictated by:", "order by").
 */
const SEEN_VERBS = new Set([
  'seen', 'accompanied', 'evaluated', 'examined', 'assessed', 'visited', 'consulted', 'cleared', 'evaled', 'eval',
  'signed', 'cosigned', 'countersigned', 'dictated', 'transcribed', 'authored', 'written', 'ordered', 'order', 'prescribed',
  'verified', 'attested', 'interpreted', 'performed', 'reviewed', 'approved', 'entered', 'documented', 'referred', 'requested',
]);
/** What follows the name of a person whose word is reported after "per": a verb, or a comma and a pronoun. */
const SAYS_AFTER = /^(?:,? (?:will|would|wants?|states?|stated|says|said|reports?|recommends?|ok|okay|aware|has|had|is|was|feels|plans?|agrees?|to)\b|, (?:he|she|they|pt|patient)\b)/i;
/** The part a person has in a patient's care, after "is" ("is family contact", "is the HCP", "is pt's health care proxy"). */
const CARE_PART_AFTER = /^ (?:is|are) (?:the |his |her |pt'?s |patient'?s )?(?:appointed |designated )?(?:(?:primary |main |family )?contacts?|hcps?|prox(?:y|ies)|health ?care prox(?:y|ies)|spokes(?:person|people)|(?:legal )?guardians?|poa|nok|next of kin)\b/i;
/** Verbs that ask for a clinician by role ("pls call RN", "notify MD"): the surnames Call and Page are not meant there. */
const CALL_VERBS = new Set(['call', 'page', 'notify', 'ask', 'tell', 'inform', 'see', 'called', 'paged', 'notified', 'asked', 'told', 'informed', 'contact', 'contacted']);
/** ", pt's daughter", ", his wife": whose relative the word before is. */
const KIN_OF_PT_AFTER = new RegExp(`^, (?:pt'?s|patient'?s|his|her) (?:${KIN_WORDS.join('|')})\\b`, 'i');
/** Words about visits and contacts that a relation in brackets may follow ("Visitors (son and wife)"). */
const VISIT_WORDS = new Set(['family', 'visitor', 'visitors', 'visit', 'visited', 'social', 'contact', 'contacts', 'spokesperson', 'called', 'caller', 'phone', 'home', 'here', 'present', 'bedside']);
/** Where a clinician is and what they do with the patient or family, after a role and a name written as one ("SW Bell following"). */
const AT_WORK_AFTER = /^ (?:following|met|meets|in to see|at (?:the )?bedside|to see|saw|visited|spoke|called|will (?:see|follow|call|meet))\b/i;
/** What follows a role and is no person ("SW consult following", "MD team at bedside"). */
const NOT_A_NAME_AT_WORK = new Set(['consult', 'consults', 'service', 'services', 'team', 'staff', 'dept', 'department', 'eval', 'evaluation', 'referral', 'note', 'notes', 'office', 'unit', 'group', 'input', 'plan', 'recs', 'order', 'orders', 'continues', 'continue', 'student', 'students', 'on', 'and']);
/** What follows a full name: a comma, a bracket, the end of a line or sentence, a credential or what people do ("JEN HALL CALLED"). */
const AFTER_FULL_NAME = new Set(['called', 'calls', 'visited', 'phoned', 'came', 'is', 'was', 'aware', 'notified', 'updated', 'paged', 'rn', 'md', 'np', 'pa', 'rrt', 'will', 'who', 'has', 'had', 'and', 'in', 'at']);
function nameEndsAfter(text: string, t: Tokens, j: number): boolean {
  const e = t.end[j]!;
  if (e >= text.length) return true;
  const c = text.charCodeAt(e);
  // , ( . ; \n \r
  if (c === 44 || c === 40 || c === 46 || c === 59 || c === 10 || c === 13) return true;
  if (c !== 32) return false;
  if (text.charCodeAt(e + 1) === 40) return true;
  return j + 1 < t.count && t.start[j + 1] === e + 1 && AFTER_FULL_NAME.has(t.key[j + 1]!);
}
/** Credentials that close a signed note ("..., RRT"). */
const SIGNING_CREDENTIALS = new Set(['rn', 'rrt', 'crt', 'lpn', 'np', 'md', 'pa', 'bsn', 'msw', 'lcsw', 'licsw']);
/**
 * A note signed with a name alone on its last line ("...anxiety.\n  Veze Avaderu", "HEPARIN NOT 1400U/HR. URUPU"):
 * one to three words, each a name-list word that is no English word, a first name, an initial or a word in no
 * list that reads as no word. Marks them at `mark` in `level`.
 */
function signature(text: string, t: Tokens, facts: Uint8Array, level: Int8Array, mark: number): void {
  const n = t.count;
  if (n < 4) return;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) <= 32) end--;
  let lineStart = text.lastIndexOf('\n', end - 1) + 1;
  // Or after the last sentence of the last line ("HEPARIN NOT 1400U/HR. SUSAN").
  const stop = Math.max(text.lastIndexOf('. ', end - 1), text.lastIndexOf('! ', end - 1), text.lastIndexOf('? ', end - 1));
  if (stop >= lineStart && stop > 0 && !isInitialAt(text, stop)) lineStart = stop + 2;
  if (lineStart === 0 || t.end[n - 1]! !== end) return;
  let s = n - 1;
  while (s > 0 && t.start[s - 1]! >= lineStart) s--;
  if (t.start[s]! < lineStart) return;
  // "TUTOR B. CHARTER, RRT": before a credential closing the note, any words but clinical and function words sign it.
  if (n - s >= 2 && n - s <= 4 && SIGNING_CREDENTIALS.has(t.key[n - 1]!) && /^,? {1,2}$/.test(gapAfter(text, t, n - 2))) {
    for (let k = s; k < n - 1; k++) {
      if (k > s && !/^\.? {1,2}$/.test(gapAfter(text, t, k - 1))) return;
      const key = t.key[k]!;
      if (isInitial(t, text, k)) continue;
      if (!/^[a-z][a-z'-]+$/.test(key) || !(t.flags[k]! & CAP) || facts[k]! & (CLIN | STOP) || CALL_VERBS.has(key) || SERVICES.has(key) || RECORDS.has(key)) return;
    }
    for (let k = s; k < n - 1; k++) if (level[k]! < mark) level[k] = mark;
    return;
  }
  if (n - s > 3) return;
  let word = false;
  for (let k = s; k < n; k++) {
    if (k > s && !/^\.? {1,2}$/.test(gapAfter(text, t, k - 1))) return;
    if (isInitial(t, text, k)) continue;
    const key = t.key[k]!;
    const lx = t.lex[k]!;
    if (!/^[a-z][a-z'-]+$/.test(key) || facts[k]! & (CLIN | STOP) || SERVICES.has(key) || RECORDS.has(key)) return;
    if (!((facts[k]! & NAME && !(facts[k]! & COMMON)) || lx & LEX_FIRST || (lx === 0 && key.length >= 3 && !wordLike(key)))) return;
    word = true;
  }
  if (!word) return;
  for (let k = s; k < n; k++) if (level[k]! < mark) level[k] = mark;
}
/** Roles, services and abbreviations written with full stops ("per M.D.", "per R.T.", "P.O."), not initials. */
const DOTTED_ABBREVIATIONS = new Set(['md', 'rn', 'rt', 'pt', 'ot', 'np', 'pa', 'ho', 'sw', 'cm', 'do', 'gi', 'er', 'or', 'ed', 'iv', 'po', 'pr', 'ng', 'og', 'am', 'pm', 'dc', 'ns', 'us', 'ct', 'ok', 'ab', 'id', 'tv', 'bs', 'bp', 'hr', 'rr', 'sq', 'sc', 'im', 'ac', 'hs', 'qd', 'uk', 'dr', 'ms', 'mr', 'aa', 'nh', 'va', 'la', 'ma', 'ny', 'oz', 'nv', 'ao', 'nc', 'hx', 'dx', 'rx', 'sx', 'tx', 'fx', 'cx']);
/** A clinician's role in brackets right after a word: "Kelvard (HO) aware", "OKAFOR (ATTENDING)". */
const ROLE_IN_BRACKETS_AFTER = /^ ?\((?:ho|md|np|rn|pa|rrt|attending|resident|fellow|intern|sw|social worker|case manager|pcp|cardiologist|surgeon)\)/i;
/** Roles and teams before a name in brackets: "team (Kelvard)", "PT (Okafor) worked with pt". */
const ROLE_BEFORE_BRACKETS = new Set([...STAFF_ROLES, 'team', 'pt', 'ot', 'attending', 'cm', 'physician', 'nurse', 'nursing']);
/** Records and systems that get updated ("Kardex updated"), not people. */
const RECORDS = new Set(['kardex', 'careplan', 'flowsheet', 'carevue', 'webomr', 'omr', 'pyxis', 'chart', 'mar']);
/** "msg left for", "left a message with", "vm left for". */
const MESSAGE_BEFORE = /\b(?:(?:message|msg|vm|voicemail|voice mail)s? (?:left )?|left (?:a )?(?:message|msg|vm|voicemail|voice mail) )(?:for|with) $/i;
/** Clinicians' roles written as abbreviations, which "per", "d/w" or "spoke with" may put before a name. */
const ROLE_IN_SLOT = new Set(['np', 'md', 'rn', 'ho', 'rrt', 'sw', 'cm', 'pa', 'resident', 'fellow', 'intern', 'attending']);
/** What a role has or gives, after it where a person might be named ("per MD order", "per NP protocol"). */
const ROLE_HAS = new Set(['order', 'orders', 'ordered', 'request', 'requests', 'protocol', 'report', 'instructions', 'instruction', 'recommendation', 'recommendations', 'rec', 'recs', 'note', 'notes', 'assessment', 'exam', 'discretion', 'approval', 'call', 'today', 'tonight', 'this', 're', 'regarding', 'about', 'for', 'who', 'that', 'and', 'will', 'to', 'at', 'in', 'on', 'with', 'pt', 'patient', 'family', 'covering', 'caring', 'taking', 'here', 'last', 'night', 'day', 'evening', 'morning', 'am', 'pm', 'earlier', 'later', 'prior', 'after', 'before', 'again', 'by', 'phone', 'telephone',
  // What the role then says or does ("per MD wants", "d/w NP concerning").
  'would', 'wants', 'want', 'wanted', 'states', 'stated', 'says', 'said', 'reports', 'reported', 'feels', 'felt', 'agrees', 'agreed', 'ok', 'okay', 'concerning', 'following', 'knows', 'notified', 'paged', 'updated', 'informed', 'made', 'also', 'now', 'still']);
/** Roles written as a label before a name ("Attending: X", "Primary nurse: X", "Resident on call: X"). */
const LABEL_ROLES = new Set([...STAFF_ROLES, 'attending', 'nurse', 'call', 'covering', 'cardiologist', 'oncologist', 'surgeon', 'physician', 'doctor', 'provider', 'cm', 'ot', 'slp']);
/** Clinicians named by their speciality ("cardiologist is Kelvard"). */
const DOCTOR_KINDS = new Set(['pcp', 'cardiologist', 'oncologist', 'nephrologist', 'neurologist', 'pulmonologist', 'surgeon', 'doctor', 'physician', 'attending', 'psychiatrist', 'gi', 'nurse']);
/** What a clinician has, after their name's possessive ("Kelvard's team", "on Kelvard's service"). */
const TEAM_WORDS = new Set(['team', 'service', 'office', 'group', 'practice', 'patient', 'pt', 'np', 'pa', 'resident', 'fellow', 'clinic']);
/** What a clinician does, after a role and their name ("NP DOLES ORDERED LINES D/C'D"; not after "PA": "PA line placed"). */
const ORDERED_AFTER = /^ (?:ordered|wants|wanted|recommends|recommended|requested|examined|evaluated|wrote|saw)\b/i;
/** What people do, after a titled name ("mr see had", "mr. Mix is", "Mrs Bell was"). */
const PERSON_VERB_AFTER = /^ (?:had|has|was|is|will|did|does|remains|remained|states|stated|says|said|to be|appears|appeared|denies|denied|c\/o|complains|complained|tolerated|slept|rested|ate)\b/i;
/** "mild MR", "3+ mr", "trace MR": mitral regurgitation, not a title. */
const SEVERITY_BEFORE = /(?:\b(?:mild|moderate|mod|severe|sev|trace|trivial|minimal|min|significant|sig)|\d\+?|\+)[\s-]*$/i;

/**
 * Word i, any word but a clinical or function word, after "mr", "mrs" or "miss" and before
 * what people do: "mr see had an uneventful night", "MRS. MIX WAS". "MR" written in capitals in mixed-case
 * text, "MR" without its full stop in all-capitals text and a title after a severity ("mild mr jet is") are
 * mitral regurgitation.
 */
function personVerbAfterTitle(text: string, t: Tokens, titleAt: number, i: number, f: number, weak: boolean, shouting: boolean): boolean {
  const title = t.key[titleAt]!;
  if (!(title === 'mrs' || (weak && (title === 'mr' || title === 'miss'))) || titleAt !== i - 1 || f & (CLIN | STOP) || t.key[i]!.length < 3) return false;
  if (title === 'mr' && (shouting ? gapAfter(text, t, titleAt)[0] !== '.' : (t.flags[titleAt]! & UPPER) !== 0)) return false;
  if (SEVERITY_BEFORE.test(text.slice(Math.max(0, t.start[titleAt]! - 12), t.start[titleAt]!))) return false;
  return PERSON_VERB_AFTER.test(text.slice(t.end[i]!, t.end[i]! + 16));
}

/** What a person says, after their name opening a sentence ("Zibor reports that"). */
const REPORT_VERBS = new Set(['reports', 'reported', 'states', 'stated', 'says', 'said']);
/** Hospital services written as words in no list: they call, report and are talked with too. */
const SERVICES = new Set(['ortho', 'nephro', 'onc', 'derm', 'uro', 'gyn', 'pulm', 'cards', 'neurosurg', 'nsurg', 'vasc', 'heme', 'endo', 'rehab', 'nsg', 'nursing', 'csurg', 'ctsurg', 'nsurg', 'resp', 'nutr', 'lab', 'pharm', 'rad', 'ccu', 'micu', 'sicu', 'csru', 'team', 'admitting', 'radiology', 'pharmacy']);
/** Between sentences or after a heading ("Social: bob visited", "... today. Bill called"). */
/** The end of a sentence, also one that ends in a number ("at the age of 22. Zibor reports"). */
const SENTENCE_GAP = /^(?: \d+(?:[.,/]\d+)*)?[.:;!?]\s*$|\n\s*$/;
const JOIN_GAP = /^ {1,2}$|^\. ?$|^-$/;
const BACK_GAP = /^ {1,2}$|^\. ?$/;

const LEVELS: readonly Likelihood[] = ['VERY_UNLIKELY', 'UNLIKELY', 'POSSIBLE', 'LIKELY', 'VERY_LIKELY'];

/** Reused per-word arrays (detection is synchronous; see tokens.ts). */
let scratchFacts = new Uint8Array(4096);
let scratchLevel = new Int8Array(4096);

// Per-word facts, bit flags.
const NAME = 1;
const COMMON = 2;
const CLIN = 4;
const STOP = 8;


/** Not a clinical, function or title word, and longer than an initial. */
function plain(t: Tokens, facts: Uint8Array, j: number): boolean {
  return !(facts[j]! & (CLIN | STOP)) && t.key[j]!.length > 1;
}

/** Whether word j may extend the name before it. */
function canJoin(t: Tokens, facts: Uint8Array, j: number, shouting: boolean): boolean {
  if (!plain(t, facts, j)) return false;
  const f = facts[j]!;
  if (f & NAME && !(f & COMMON)) return true;
  const fl = t.flags[j]!;
  // An unknown word after a name in all-capitals text ("KAREN ANN YANULIS").
  if (shouting) return !(f & COMMON) && t.key[j]!.length >= 3 && (facts[j - 1]! & NAME) !== 0;
  if (!(fl & CAP)) return false;
  return ((f & NAME) !== 0 || !(f & COMMON)) && !((fl & UPPER) !== 0 && t.key[j]!.length <= 4);
}

/** The two-letter codes of the US states and DC ("Springfield, MA"). */
const STATE_CODES = new Set('al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy'.split(' '));

/** A state or country that is no first name ("Ohio", not "Georgia"). */
function regionWord(t: Tokens, k: number): boolean {
  return (t.flags[k]! & CAP) !== 0 && !(t.lex[k]! & LEX_FIRST) && regionNames().has(t.key[k]!);
}

/**
 * Word i, alone, is a town or its state, not a person: a state after "Town, " ("Kelvard, Ohio"), or a
 * gazetteer or unlisted word before ", Ohio" (a gazetteer word also before ", MA"). The location detector
 * finds the town. Mixed-case text only: in capitals ("FROM KELVARD, MD") the town may be found as a name only.
 */
function placeByRegion(text: string, t: Tokens, i: number): boolean {
  if (regionWord(t, i) && i > 0 && gapAfter(text, t, i - 1) === ', ' && t.flags[i - 1]! & CAP) return true;
  const j = i + 1;
  if (j >= t.count || gapAfter(text, t, i) !== ', ') return false;
  if (regionWord(t, j)) return (t.lex[i]! & LEX_PLACE) !== 0 || t.lex[i] === 0;
  return (t.lex[i]! & LEX_PLACE) !== 0 && t.key[j]!.length === 2 && (t.flags[j]! & UPPER) !== 0 && STATE_CODES.has(t.key[j]!) && !/^\w/.test(text.slice(t.end[j]!, t.end[j]! + 1));
}

/**
 * A word glued to a number or a slash ("10MIC", "PaCO2", "d/ced", "K/MG/CAL")
 * is a unit, a formula or an abbreviation, not a name on its own.
 */
function glued(text: string, t: Tokens, i: number): boolean {
  const before = text.charCodeAt(t.start[i]! - 1);
  const after = text.charCodeAt(t.end[i]!);
  if (isDigit(after) || isDigit(before) || before === 47) return true;
  // "Med x1", "Tyl x 2": a count after it makes it a dose.
  const x = after === 32 ? text.charCodeAt(t.end[i]! + 1) : after;
  if ((x === 120 || x === 88) && /^ ?[xX] ?\d/.test(text.slice(t.end[i]!, t.end[i]! + 4))) return true;
  // "10 MIC": a word right after a number is its unit.
  return before === 32 && isDigit(text.charCodeAt(t.start[i]! - 2));
}

/** "COs", "MAEs", "LL's": capitals inside a word that is not all capitals mark an abbreviation, not a name ("McNeil" is one). */
function innerCapital(text: string, t: Tokens, i: number): boolean {
  if (t.flags[i]! & UPPER) return false;
  const c = text.charCodeAt(t.start[i]! + 1);
  if (!(c >= 65 && c <= 90)) return false;
  return !/^(?:mc|mac|o'|d')/.test(t.key[i]!);
}

/** The full stop at `dot` closes a one-letter initial ("J. Kelvard"). */
function isInitialAt(text: string, dot: number): boolean {
  const c = text.charCodeAt(dot - 2);
  return dot >= 1 && /[a-z]/i.test(text[dot - 1]!) && (dot < 2 || !((c >= 65 && c <= 90) || (c >= 97 && c <= 122)));
}

function isInitial(t: Tokens, text: string, j: number): boolean {
  return t.key[j]!.length === 1 && text.charCodeAt(t.end[j]!) === 46;
}

/** Cheap guard for POST_NOMINAL: after an optional comma and space, a letter a credential starts with. */
function credentialMayFollow(text: string, e: number): boolean {
  let c = text.charCodeAt(e);
  if (c === 44) c = text.charCodeAt(++e);
  if (c === 32) c = text.charCodeAt(++e);
  c |= 32;
  // c d f l m n p r: the first letters of CREDENTIALS.
  return c === 99 || c === 100 || c === 102 || c === 108 || c === 109 || c === 110 || c === 112 || c === 114;
}

/** Cheap guard for RELATION_AFTER: "(" or " (" or " -" right after the word. */
function bracketOrDashAfter(text: string, e: number): boolean {
  const c = text.charCodeAt(e);
  if (c === 40) return true;
  const d = text.charCodeAt(e + 1);
  return c === 32 && (d === 40 || d === 45);
}

/** Cheap guard for CONTACT_AFTER: a digit within the next 16 characters. */
function digitSoon(text: string, e: number): boolean {
  const end = Math.min(text.length, e + 16);
  for (let k = e; k < end; k++) if (isDigit(text.charCodeAt(k))) return true;
  return false;
}

/** Word i follows "d/w" (discussed with) or a verb of talking and "w/" ("spoke w/ Guloz"). */
function discussedWith(text: string, t: Tokens, i: number): boolean {
  if (i < 2) return false;
  const gap = gapAfter(text, t, i - 1);
  if (t.key[i - 2] === 'd' && gapAfter(text, t, i - 2) === '/' && gap === ' ') return true;
  return gap === '/ ' && TALK_VERBS.has(t.key[i - 2]!) && gapAfter(text, t, i - 2) === ' ';
}

/**
 * Words after which a person is named, whose own word is the one before:
 * "handed off to", "report given to", "known to", "covering for", "call back from".
 */
const HANDOVER_BEFORE = new Map<string, ReadonlySet<string>>([
  // "signed out to", "endorsed to": the clinician who takes over ("changed over to zestril" is no hand-over).
  ['to', new Set(['off', 'given', 'report', 'known', 'introduced', 'endorsed', 'out'])],
  ['for', new Set(['covering', 'covered', 'cover'])],
  ['from', new Set(['back', 'message', 'msg', 'call'])],
]);

/**
 * Word i is where notes name the person they dealt with: after "per", a verb whose object is a person ("updated",
 * "paged"), a message left with/for, a verb of talking and with/to/w/, "d/w", "seen by", or a hand-over ("handed off
 * to", "covering for", "call back from"); all words one space apart.
 */
function personSlot(text: string, t: Tokens, i: number): boolean {
  if (i === 0) return false;
  const p = t.key[i - 1]!;
  const gap = gapAfter(text, t, i - 1);
  if (p === 'w') return discussedWith(text, t, i);
  if (gap !== ' ') return false;
  if (p === 'per' || CONTACT_OBJECT_VERBS.has(p)) return true;
  if ((p === 'with' || p === 'for') && MESSAGE_BEFORE.test(text.slice(Math.max(0, t.start[i]! - 30), t.start[i]!))) return true;
  if (i < 2 || gapAfter(text, t, i - 2) !== ' ') return false;
  const v = t.key[i - 2]!;
  if (p === 'with' || p === 'to') {
    if (TALK_VERBS.has(v)) return true;
  }
  if (p === 'by' && SEEN_VERBS.has(v)) return true;
  if (v === 'out') return i > 2 && /^sign/.test(t.key[i - 3]!) && gapAfter(text, t, i - 3) === ' ';
  return HANDOVER_BEFORE.get(p)?.has(v) === true;
}

/**
 * Word i follows a staff role ("NP Gacito") or "Mr" one or two spaces away;
 * not a credential closing the name before it ("Peppler,MD madeno").
 */
function staffRoleBefore(text: string, t: Tokens, i: number, shouting: boolean): boolean {
  if (i === 0) return false;
  const r = t.key[i - 1]!;
  const gap = gapAfter(text, t, i - 1);
  // "MS." in mixed-case text is mental status.
  if (r === 'mr' || r === 'ms') return /^\.? {1,2}$/.test(gap) && (shouting || !(t.flags[i - 1]! & UPPER));
  return STAFF_ROLES.has(r) && / {1,2}$/.test(gap) && gap.trim() === '' && text.charCodeAt(t.start[i - 1]! - 1) !== 44;
}

/**
 * PERSON_NAME from dictionaries and context. A word is a name when
 *  - a title precedes it ("Dr. Wall", "Mrs Grace") — VERY_LIKELY, or
 *  - a post-nominal follows it ("Smith MD", "Lander RRT") — LIKELY, or
 *  - a kin/role word precedes it ("wife Grace", "dtr Suzette") — LIKELY, or
 *  - it is in the name list and not a common English word — LIKELY when
 *    capitalised (3+ letters; not a short all-capitals abbreviation in
 *    mixed-case text), POSSIBLE in lower case (4+ letters, and not even a
 *    rarer English word: misspellings and jargon are lower case too);
 * and never when it is a clinical word (CLINICAL_WORDS) or a function word
 * without a title. Accepted words spread to neighbouring name-like words and
 * initials ("John Q. Smith"); each run becomes one finding.
 */
export const personNameDetector: Detector = {
  name: 'person-name',
  // FIRST_NAME and LAST_NAME are cut out of its findings on request (name-parts.ts).
  infoTypes: ['PERSON_NAME', 'FIRST_NAME', 'LAST_NAME'],
  needsDigits: false,
  detect(input: ScanInput, out: Finding[]): void {
    const t = tokensOf(input);
    const n = t.count;
    if (n === 0) return;
    const names = nameSet();
    const common = commonWords();
    const text = input.text;
    const shouting = input.shouting;
    if (scratchFacts.length < n) {
      scratchFacts = new Uint8Array(n * 2);
      scratchLevel = new Int8Array(n * 2);
    }
    const facts = scratchFacts;
    for (let i = 0; i < n; i++) {
      const lx = t.lex[i]!;
      let f = 0;
      if (lx & LEX_NAME) f |= NAME;
      else if (t.key[i]!.charCodeAt(1) === 39 && /^[od]'[a-z]{3}/.test(t.key[i]!)) {
        // "O'Brien", "D'Angelo": the lists spell them without the apostrophe.
        if (lexFlags(t.key[i]!.replace("'", '')) & LEX_NAME) f |= NAME;
      } else if (t.key[i]!.includes('-')) {
        const parts = t.key[i]!.split('-');
        if (parts.every((p) => p.length >= 3 && names.has(p) && !common.has(p) && !CLINICAL_WORDS.has(p))) f |= NAME;
      }
      if (lx & LEX_COMMON) f |= COMMON;
      if (lx & LEX_CLINICAL) f |= CLIN;
      if (lx & LEX_STOP) f |= STOP;
      facts[i] = f;
    }
    const level = scratchLevel;
    level.fill(-1, 0, n);
    const LIKELY = likelihoodRank('LIKELY');
    const POSSIBLE = likelihoodRank('POSSIBLE');
    const VERY = likelihoodRank('VERY_LIKELY');
    const LOWER_CASE = POSSIBLE;
    for (let i = 0; i < n; i++) {
      const k = t.key[i]!;
      if (k.length < 2) continue;
      const f = facts[i]!;
      const fl = t.flags[i]!;
      const lx = t.lex[i]!;
      const first = (lx & LEX_FIRST) !== 0;
      const prevKey = i > 0 ? t.key[i - 1]! : '';
      if (k.length > 4 && k.includes('-')) relationJoined(t, i, out);
      let titleAt = i - 1;
      // "Dr. L. Ruuska", "Dr. J.P. Smith": a title, one or two initials, then the name.
      if (i > 1 && isInitial(t, text, i - 1)) {
        const b = i > 2 && isInitial(t, text, i - 2) ? i - 3 : i - 2;
        if (b >= 0 && TITLES.has(t.key[b]!) && TITLE_GAP.test(gapAfter(text, t, b))) titleAt = b;
      }
      let titleKey = titleAt >= 0 ? t.key[titleAt]! : '';
      // "PREOP-DR. WILLIAMS": "Dr" joined to the word before by a hyphen ("IV-MS" is morphine).
      if (titleKey.length > 3 && titleKey.endsWith('-dr')) titleKey = 'dr';
      if (titleAt >= 0 && TITLES.has(titleKey) && !(f & STOP) && !(f & CLIN && !(fl & CAP))) {
        // Title + name; an unlisted word must look like a name (capitalised in
        // mixed-case text, listed in all-capitals text), since "ms" is also
        // "mental status" and notes are full of misspellings. After a title
        // that is also a clinical abbreviation or a noun ("MS", "MR",
        // "attending"), a common English word must be a first name ("Mrs. Grace").
        const strong = STRONG_TITLES.has(titleKey);
        // "Mr." written as a title is one; "MR" and "3+MR." are mitral regurgitation.
        const weak =
          WEAK_TITLES.has(titleKey) &&
          ((titleKey !== 'mr' && titleKey !== 'ms') || shouting || (t.flags[titleAt]! & UPPER) !== 0 || !(t.flags[titleAt]! & CAP));
        const nameish =
          personVerbAfterTitle(text, t, titleAt, i, f, weak, shouting) ||
          (f & NAME && !(weak && f & COMMON && !first)) ||
          (fl & CAP && !shouting && !(fl & UPPER && k.length <= 3) && !(weak && f & COMMON)) ||
          (!(f & COMMON) && titleKey !== 'ms' && (fl & CAP || strong) && k.length >= 3);
        // "ms. okafor": in lower case only after "ms." with its full stop and a word that reads as no English word ("ms. intact" is mental status).
        const lowerMs = titleKey === 'ms' && !(fl & CAP) && titleAt === i - 1 && gapAfter(text, t, i - 1) === '. ' && k.length >= 4 && ((f & NAME && !(f & COMMON)) || (lx === 0 && !wordLike(k)));
        if ((nameish || lowerMs) && (titleKey !== 'ms' || fl & CAP || lowerMs) && TITLE_GAP.test(gapAfter(text, t, i - 1))) {
          level[i] = VERY;
          continue;
        }
      }
      // "Patient Kelvard Smith seen": after a role word, in mixed-case text, a capitalised word in no list or a
      // name-list word, then a surname (a name-list word that is no English word), the name ending there.
      // (A surname that is also an English word, "Smith", after a first name or a word in no list.)
      if (!shouting && i > 1 && (fl & (CAP | UPPER)) === CAP && f & NAME && !(f & (CLIN | STOP)) && k.length >= 3 && ROLE_BEFORE_NAME.has(t.key[i - 2]!)) {
        const h = i - 1;
        const fh = facts[h]!;
        const unlisted = t.lex[h] === 0 && UNKNOWN_NAME.test(t.key[h]!);
        const firstOk =
          (t.flags[h]! & (CAP | UPPER)) === CAP &&
          (unlisted || (fh & NAME && !(fh & (CLIN | STOP)) && !(fh & COMMON && !(t.lex[h]! & LEX_FIRST)))) &&
          (!(f & COMMON) || unlisted || (t.lex[h]! & LEX_FIRST) !== 0) &&
          gapAfter(text, t, h) === ' ' &&
          gapAfter(text, t, i - 2) === ' ';
        const ends = i + 1 >= n || gapAfter(text, t, i) !== ' ' || !(t.flags[i + 1]! & CAP);
        if (firstOk && ends) {
          level[h] = LIKELY;
          level[i] = LIKELY;
          continue;
        }
      }
      // "Resident Elsewhere Hovak called": after a role word, in mixed-case text, a first name that is an English
      // word, then a surname in no list that reads as no word ("Patient Controlled Analgesia" has none).
      if (!shouting && i > 1 && (fl & (CAP | UPPER)) === CAP && lx === 0 && UNKNOWN_NAME.test(k) && !wordLike(k) && ROLE_BEFORE_NAME.has(t.key[i - 2]!)) {
        const h = i - 1;
        const ends = i + 1 >= n || gapAfter(text, t, i) !== ' ' || !(t.flags[i + 1]! & CAP);
        if (ends && (t.flags[h]! & (CAP | UPPER)) === CAP && /^[a-z]{3,}$/.test(t.key[h]!) && !(t.lex[h]! & (LEX_CLINICAL | LEX_STOP)) && gapAfter(text, t, h) === ' ' && gapAfter(text, t, i - 2) === ' ') {
          level[h] = LIKELY;
          level[i] = LIKELY;
          continue;
        }
      }
      if (!shouting && fl & CAP && !(fl & UPPER) && !(f & STOP) && i > 0) {
        // "Son, Ed", "husband Al": a two-letter first name after a kin word, written as a name ("ED" is a ward).
        if (k.length === 2 && first && KIN.has(prevKey) && ADJACENT.test(gapAfter(text, t, i - 1))) {
          level[i] = LIKELY;
          continue;
        }
        // "Bernard Foley CRT": a first name, a word that is also a clinical word, a credential.
        if (f & CLIN && k.length >= 3 && t.lex[i - 1]! & LEX_FIRST && t.flags[i - 1]! & CAP && gapAfter(text, t, i - 1) === ' ' && POST_NOMINAL.test(text.slice(t.end[i]!, t.end[i]! + 8))) {
          level[i - 1] = LIKELY;
          level[i] = LIKELY;
          continue;
        }
      }
      if (f & (CLIN | STOP)) continue;
      const e = t.end[i]!;
      // "Attending: Tizabod", "Primary nurse: Kelvard", "Resident on call: Vofu": a role written as a label, then a
      // capitalised word in no list that reads as no word, or a name-list word that is no English word.
      if (
        i > 0 &&
        LABEL_ROLES.has(prevKey) &&
        fl & CAP &&
        !(fl & UPPER && !shouting && k.length <= 4) &&
        k.length >= 3 &&
        ((f & NAME && !(f & COMMON)) || (lx === 0 && UNKNOWN_NAME.test(k))) &&
        !SERVICES.has(k) &&
        !RECORDS.has(k) &&
        /^: {1,2}$/.test(gapAfter(text, t, i - 1)) &&
        ((f & NAME && first) || !wordLike(k))
      ) {
        level[i] = LIKELY;
        continue;
      }
      const nameLike = (f & NAME && !(f & COMMON)) || (fl & CAP && !shouting && (f & NAME || !(f & COMMON))) || (shouting && !(f & COMMON) && k.length >= 3);
      const post = credentialMayFollow(text, e) ? POST_NOMINAL.exec(text.slice(e, e + 8)) : null;
      // "2L NP" is nasal prongs: NP marks a name only after a name-list word that is not a common word;
      // in all-capitals notes "LOW MD AWARE" is a sentence, so a common word needs a first name there.
      const lowerSigned = post !== null && lx === 0 && UNKNOWN_NAME.test(k) && /^,? ?(?:r\.?n|rrt|crt|lpn)/i.test(post[0]);
      if (post && !glued(text, t, i) && !CALL_VERBS.has(k) && (nameLike || lowerSigned || (f & NAME && !/np/i.test(post[0]) && (!shouting || first || !/^,? ?(?:md|rn)/i.test(post[0]))))) {
        level[i] = LIKELY;
        // "Kuzareb Renibif RN", "VEDENO V. KOVOVOMAV, RRT": the words of a signed name before it.
        for (let h = i - 1, k2 = 0; h >= 0 && k2 < 2 && BACK_GAP.test(gapAfter(text, t, h)); h--, k2++) {
          if (!(isInitial(t, text, h) || (t.key[h]!.length >= 3 && !(facts[h]! & (COMMON | CLIN | STOP)) && (t.flags[h]! & CAP || (lowerSigned && t.lex[h] === 0))))) break;
          if (RELATIONS.has(t.key[h]!)) break;
          level[h] = LIKELY;
        }
        continue;
      }
      // "NP GACITO MADE AWARE", "mr beros had": a word in no list at all after a staff role or a title that is also an abbreviation.
      if (lx === 0 && (STAFF_ROLES.has(prevKey) || prevKey === 'mr' || prevKey === 'ms') && /^[a-z]+$/.test(k) && !/(?:ed|ing)$/.test(k) && k.length >= (fl & CAP ? 3 : 4) && !(fl & UPPER && !shouting && k.length <= 4) && staffRoleBefore(text, t, i, shouting) && !(WORKER_SET.has(prevKey) && wordLike(k))) {
        level[i] = LIKELY;
        continue;
      }
      // "SW KOWALSKI FOLLOWING", "resident, Okafor, notified": a name-list word that is no English word after a staff role
      // (where capitals mark no names too), or a word in no list that reads as no word between commas after one.
      if (k.length >= 4 && !(fl & UPPER && !shouting) && !SERVICES.has(k) && i > 0 && STAFF_ROLES.has(prevKey)) {
        const g = gapAfter(text, t, i - 1);
        const listed = f & NAME && !(f & COMMON) && staffRoleBefore(text, t, i, shouting) && (first || !wordLike(k));
        const apposed = g === ', ' && text.charCodeAt(e) === 44 && ((f & NAME && !(f & COMMON)) || (lx === 0 && UNKNOWN_NAME.test(k) && !RECORDS.has(k))) && (first || !wordLike(k));
        if (listed || apposed) {
          level[i] = fl & CAP ? LIKELY : LOWER_CASE;
          continue;
        }
      }
      // "NP BELL MADE AWARE", "md Rose notified": a role, then a word that is also an English word, then what is said of
      // people told; not a word saying when or how ("MD ALSO AWARE", "RN NOW AWARE").
      if (
        k.length >= 3 &&
        f & COMMON &&
        !(lx & LEX_STOP) &&
        STAFF_ROLES.has(prevKey) &&
        (shouting || (fl & CAP && !(fl & UPPER))) &&
        !/ly$/.test(k) &&
        !NOT_A_NAME_BEFORE_AWARE.has(k) &&
        (TOLD_AFTER.test(text.slice(e, e + 24)) ||
          (prevKey !== 'pa' && ORDERED_AFTER.test(text.slice(e, e + 16))) ||
          // In mixed-case text also where the clinician is and what they do with the family ("SW Bell following", "NP Rose in to see pt").
          (!shouting && prevKey !== 'pa' && !NOT_A_NAME_AT_WORK.has(k) && AT_WORK_AFTER.test(text.slice(e, e + 16)))) &&
        staffRoleBefore(text, t, i, shouting)
      ) {
        level[i] = LIKELY;
        continue;
      }
      // "PER NP BELL", "discussed with NP Rose", "d/w md hall": a role where notes name the person they dealt with, then
      // any word but a clinical or function word or what a role has ("per MD order", "per NP note").
      if (
        k.length >= 3 &&
        i > 1 &&
        ROLE_IN_SLOT.has(prevKey) &&
        !(f & (CLIN | STOP)) &&
        !NOT_A_NAME_AT_WORK.has(k) &&
        !ROLE_HAS.has(k) &&
        !NOT_A_NAME_BEFORE_AWARE.has(k) &&
        !/ly$/.test(k) &&
        !isRelation(k) &&
        !SERVICES.has(k) &&
        !RECORDS.has(k) &&
        (shouting || fl & CAP || !(f & COMMON)) &&
        !(fl & UPPER && !shouting) &&
        gapAfter(text, t, i - 1) === ' ' &&
        !glued(text, t, i) &&
        personSlot(text, t, i - 1)
      ) {
        level[i] = fl & CAP ? LIKELY : LOWER_CASE;
        continue;
      }
      // "Rose (daughter) called", "Hope, pt's daughter": in mixed-case text a capitalised English word, then the relation in
      // brackets or after "pt's"/"his"/"her" (not a relation or a word about visits: "Family (wife)", "Visitors (son)").
      if (f & COMMON && !shouting && (fl & (CAP | UPPER)) === CAP && k.length >= 3 && (bracketOrDashAfter(text, e) ? RELATION_AFTER.test(text.slice(e, e + 24)) : text.charCodeAt(e) === 44 && KIN_OF_PT_AFTER.test(text.slice(e, e + 28))) && !isRelation(k) && !VISIT_WORDS.has(k) && !/ly$/.test(k)) {
        level[i] = LIKELY;
        continue;
      }
      // "Roko Tisabaga (son)", "Mary - wife": a name, then the relation in brackets or after a dash.
      if ((fl & CAP || lx === 0 || f & NAME) && !(f & COMMON) && k.length >= 3 && (f & NAME || lx === 0) && bracketOrDashAfter(text, e) && RELATION_AFTER.test(text.slice(e, e + 24))) {
        level[i] = LIKELY;
        continue;
      }
      // A kin or role word then a name; a common English word must be a first
      // name ("son bill", not "daughter yelling"); a full stop ends the phrase
      // unless it closes an abbreviation ("dtr. Suzette", not "son. Found").
      // A word in no list at all after a kin word is a name in any case ("husband milovan").
      // After a role written as an abbreviation ("md Smith", "HO Jones"), not another one ("husband MD (ENT)").
      const prevRelation = RELATIONS.has(prevKey);
      // "COPING-SISTER ,REFUG", "SOCIAL-WIFE JANE": a kin word joined to a heading by a hyphen.
      const prevKin = KIN.has(prevKey) || (prevKey.length > 5 && prevKey.includes('-') && KIN.has(prevKey.slice(prevKey.lastIndexOf('-') + 1)));
      if (k.length >= 3 && (prevRelation || (prevKey.length > 5 && isRelation(prevKey))) && !(fl & UPPER && !shouting && k.length <= 4 && STAFF_ABBREVIATIONS.has(prevKey)) && !RECORDS.has(k)) {
        const relOk =
          f & NAME
            ? !(f & COMMON) || (first && (!(lx & LEX_CORE) || (fl & CAP) !== 0 || !shouting))
            : !(f & COMMON) &&
              ((fl & CAP && !shouting) ||
                (lx === 0 && prevKin && UNKNOWN_NAME.test(k)) ||
                // "HCP: KELVARD RIDGETON", "health care proxy: kelvard": a word in no list that reads as no word.
                (lx === 0 && (prevKey === 'hcp' || prevKey === 'proxy') && UNKNOWN_NAME.test(k) && !wordLike(k)));
        const gap = relOk ? gapAfter(text, t, i - 1) : '\u0000';
        if (ADJACENT.test(gap) && (gap.charCodeAt(0) !== 46 || ABBREVIATED_RELATIONS.has(prevKey))) {
          // "son bill", "husband milovan", "DAUGHTER-KRISSY".
          level[i] = LIKELY;
          continue;
        }
      }
      // "daughter Beans called", "SON PLATE HAS PHONED": a kin word, a word, then what relatives do; a very frequent
      // word must be a first name ("son also called", "son just visited").
      if (
        k.length >= 3 &&
        prevKin &&
        !(f & CLIN) &&
        !/ly$/.test(k) &&
        // A very frequent word written as a name in mixed-case text counts too ("Daughter Brands called").
        (!(lx & LEX_CORE) || first || (fl & CAP && !(fl & UPPER) && !shouting && !(f & STOP))) &&
        ADJACENT.test(gapAfter(text, t, i - 1)) &&
        gapAfter(text, t, i - 1).charCodeAt(0) !== 46 &&
        KIN_ACTION_AFTER.test(text.slice(e, e + 24))
      ) {
        level[i] = LIKELY;
        continue;
      }
      // "Husband Cruise Sic in to visit", "pt's daughter, Fare Vane, to offer": in mixed-case text one or two capitalised
      // words after a kin word, then what relatives do or a closing comma.
      if (!shouting && prevKin && k.length >= 2 && (fl & (CAP | UPPER)) === CAP && !(f & (CLIN | STOP)) && !isRelation(k) && !VISIT_WORDS.has(k)) {
        const g = gapAfter(text, t, i - 1);
        let j = i;
        if (i + 1 < n && gapAfter(text, t, i) === ' ' && (t.flags[i + 1]! & (CAP | UPPER)) === CAP && !(facts[i + 1]! & (CLIN | STOP)) && !isRelation(t.key[i + 1]!)) j = i + 1;
        const end = t.end[j]!;
        const closed = (g === ', ' || g === ' ,') && text.charCodeAt(end) === 44;
        if ((g === ' ' || g === ', ') && (closed || (j > i && KIN_ACTION_AFTER.test(text.slice(end, end + 24))))) {
          level[i] = LIKELY;
          if (j > i) level[j] = LIKELY;
          continue;
        }
      }
      // "my name is Siiri", "I am Rubija": an unlisted capitalised word after a self-introduction.
      if (i > 1 && fl & CAP && !shouting && !(f & COMMON) && k.length >= 3 && ((prevKey === 'is' && t.key[i - 2] === 'name') || (prevKey === 'am' && t.key[i - 2] === 'i'))) {
        level[i] = LIKELY;
        continue;
      }
      // "PT'S NAME IS KELVARD", "pt's name is kelvard": where capitals mark no names, a word in no list that reads as no word.
      if (i > 1 && lx === 0 && prevKey === 'is' && t.key[i - 2] === 'name' && UNKNOWN_NAME.test(k) && (shouting || !(fl & CAP)) && !wordLike(k)) {
        level[i] = fl & CAP ? LIKELY : LOWER_CASE;
        continue;
      }
      // "Lopie Certusi cell# 410-322-1234": a capitalised word in no common-word list right before a phone number.
      if (fl & CAP && !shouting && !(f & COMMON) && k.length >= 3 && (f & NAME || (lx === 0 && UNKNOWN_NAME.test(k))) && input.hasDigits && digitSoon(text, e) && CONTACT_AFTER.test(text.slice(e, e + 32))) {
        level[i] = LIKELY;
        const h = i - 1;
        if (h >= 0 && t.flags[h]! & CAP && !(facts[h]! & (COMMON | CLIN | STOP)) && t.key[h]!.length >= 3 && gapAfter(text, t, h) === ' ') level[h] = LIKELY;
        continue;
      }
      const nextKey = i + 1 < n ? t.key[i + 1]! : '';
      // "Social: bill called", "Bob visited": a first name opening a sentence, then a verb of contact.
      if ((first || lx === 0) && k.length >= 3 && CONTACT_VERBS.has(nextKey) && (first || (/^[a-z]+$/.test(k) && !isRelation(k))) && gapAfter(text, t, i) === ' ' && (i === 0 || SENTENCE_GAP.test(gapAfter(text, t, i - 1)))) {
        level[i] = fl & CAP ? LIKELY : LOWER_CASE;
        continue;
      }
      // "Kelvard arrived in MICU", "Kelvard is a 65 yo man": a capitalised word that reads as no word (or a first name)
      // opening a sentence, then what a note says of the patient it names.
      if (fl & CAP && !(fl & UPPER && !shouting) && k.length >= 3 && (first || (lx === 0 && UNKNOWN_NAME.test(k))) && !isRelation(k) && !SERVICES.has(k) && gapAfter(text, t, i) === ' ' && (i === 0 || SENTENCE_GAP.test(gapAfter(text, t, i - 1))) && (PATIENT_EVENT_AFTER.test(text.slice(e, e + 24)) || AT_BEDSIDE_AFTER.test(text.slice(e, e + 24))) && (first || !wordLike(k))) {
        level[i] = LIKELY;
        continue;
      }
      // "NOTED. MEDIFAL AGOMUSIFEK CALLED TO BEDSIDE", "npn: Gifez Urubi arrived in micu": two words, each a first name or
      // in no list and reading as no word, opening a sentence before a verb of contact or what a note says of its patient.
      if (
        i + 2 < n &&
        k.length >= 3 &&
        (first || lx === 0) &&
        (CONTACT_VERBS.has(t.key[i + 2]!) || PATIENT_EVENT_AFTER.test(text.slice(t.end[i + 1]!, t.end[i + 1]! + 24)) || AT_BEDSIDE_AFTER.test(text.slice(t.end[i + 1]!, t.end[i + 1]! + 24))) &&
        /^[a-z]+$/.test(k) &&
        /^[a-z]{3,}$/.test(nextKey) &&
        (t.lex[i + 1]! & LEX_FIRST || t.lex[i + 1] === 0) &&
        gapAfter(text, t, i) === ' ' &&
        gapAfter(text, t, i + 1) === ' ' &&
        (i === 0 || SENTENCE_GAP.test(gapAfter(text, t, i - 1))) &&
        (first || !wordLike(k)) &&
        (t.lex[i + 1]! & LEX_FIRST || !wordLike(nextKey))
      ) {
        level[i] = fl & CAP ? LIKELY : LOWER_CASE;
        level[i + 1] = level[i]!;
        continue;
      }
      // "Kelvard (HO) aware", "ccu team (Okafor) aware": a word and a clinician's role, one of them in brackets.
      if (
        k.length >= 3 &&
        ((f & NAME && !(f & COMMON)) || (lx === 0 && UNKNOWN_NAME.test(k)) || (fl & CAP && !shouting && !(f & COMMON))) &&
        !SERVICES.has(k) &&
        !(fl & UPPER && !shouting && k.length <= 4) &&
        (bracketOrDashAfter(text, e)
          ? ROLE_IN_BRACKETS_AFTER.test(text.slice(e, e + 20))
          : i > 0 && text.charCodeAt(t.start[i]! - 1) === 40 && text.charCodeAt(e) === 41 && gapAfter(text, t, i - 1) === ' (' && ROLE_BEFORE_BRACKETS.has(prevKey)) &&
        ((f & NAME && first) || !wordLike(k))
      ) {
        level[i] = fl & CAP ? LIKELY : LOWER_CASE;
        continue;
      }
      // "spoke with Bell", "per Banks, will hold", "Hall (HO) aware": in mixed-case text a surname that is also an
      // English word, written as a name where notes name the person they dealt with.
      if (
        !shouting &&
        k.length >= 3 &&
        (fl & (CAP | UPPER)) === CAP &&
        f & NAME &&
        f & COMMON &&
        !(lx & LEX_STOP) &&
        !SERVICES.has(k) &&
        !RECORDS.has(k) &&
        !VISIT_WORDS.has(k) &&
        !isRelation(k) &&
        (personSlot(text, t, i) || (bracketOrDashAfter(text, e) && ROLE_IN_BRACKETS_AFTER.test(text.slice(e, e + 20)))) &&
        // Not the first word of a department or a thing ("Case Management", "Chest xray"): a function word or punctuation follows.
        !(i + 1 < n && gapAfter(text, t, i) === ' ' && !(t.lex[i + 1]! & LEX_STOP) && t.key[i + 1] !== 're') &&
        !glued(text, t, i)
      ) {
        level[i] = LIKELY;
        continue;
      }
      // "PER KOWALSKI, WILL HOLD", "handed off to okafor", "covering for Kelvard": where notes name the person they dealt
      // with, a name-list word that is no English word (also where capitals mark no names), or a word in no list that
      // reads as no word.
      if (
        k.length >= 4 &&
        ((f & NAME && !(f & COMMON)) || (lx === 0 && UNKNOWN_NAME.test(k) && !RECORDS.has(k))) &&
        !SERVICES.has(k) &&
        !(fl & UPPER && !shouting) &&
        personSlot(text, t, i) &&
        !glued(text, t, i) &&
        ((f & NAME && first) || !wordLike(k))
      ) {
        level[i] = fl & CAP ? LIKELY : LOWER_CASE;
        continue;
      }
      // "spoke with Guloz", "talked with ketudor from case management", "ask to page Tisilud": a word in no list after a verb of talking.
      if (
        lx === 0 &&
        i > 0 &&
        UNKNOWN_NAME.test(k) &&
        !SERVICES.has(k) &&
        !glued(text, t, i) &&
        (gapAfter(text, t, i - 1) === ' ' || (prevKey === 'w' && gapAfter(text, t, i - 1) === '/ ') || (prevKey === 'by' && gapAfter(text, t, i - 1) === ': '))
      ) {
        // Written as a name: in lower case a word in no list is as often a misspelling ("spoke with famly").
        const talk = (i > 1 && (prevKey === 'with' || prevKey === 'to') && TALK_VERBS.has(t.key[i - 2]!) && gapAfter(text, t, i - 2) === ' ') || (prevKey === 'w' && discussedWith(text, t, i));
        if ((talk || prevKey === 'page' || prevKey === 'paged') && fl & CAP) {
          level[i] = LIKELY;
          continue;
        }
        // In lower case only a word that does not read as a misspelt or clinical word ("talked with guloz", "updated ketudor").
        if ((talk || CONTACT_OBJECT_VERBS.has(prevKey)) && !wordLike(k)) {
          level[i] = fl & CAP ? LIKELY : LOWER_CASE;
          continue;
        }
        // "PER OGEMASOZ WILL HOLD", "Per Vokem, he has": a person's word reported after "per".
        if (prevKey === 'per' && fl & CAP && !(fl & UPPER && !shouting) && SAYS_AFTER.test(text.slice(t.end[i]!, t.end[i]! + 12)) && !wordLike(k)) {
          level[i] = LIKELY;
          continue;
        }
        // "seen by Rubizuseg", "evaluated by VAKO", "Dictated by: Zelphina": a capitalised word in no list after who did the seeing.
        if (prevKey === 'by' && i > 1 && SEEN_VERBS.has(t.key[i - 2]!) && fl & CAP && !(fl & UPPER && !shouting && k.length <= 4) && gapAfter(text, t, i - 2) === ' ' && !wordLike(k)) {
          level[i] = LIKELY;
          continue;
        }
      }
      // "Zibor reports that": a capitalised word in no list opening a sentence, then what people say.
      if (lx === 0 && fl & CAP && !(fl & UPPER) && !shouting && UNKNOWN_NAME.test(k) && !SERVICES.has(k) && REPORT_VERBS.has(nextKey) && gapAfter(text, t, i) === ' ' && (i === 0 || SENTENCE_GAP.test(gapAfter(text, t, i - 1)))) {
        level[i] = LIKELY;
        continue;
      }
      // "Pavu is family contact", "Tamuvex is HCP": a capitalised word in no list, then the part the person has in the patient's care.
      if (lx === 0 && fl & CAP && !(fl & UPPER && !shouting) && UNKNOWN_NAME.test(k) && !SERVICES.has(k) && (nextKey === 'is' || nextKey === 'are') && gapAfter(text, t, i) === ' ' && CARE_PART_AFTER.test(text.slice(e, e + 40)) && !wordLike(k)) {
        level[i] = LIKELY;
        continue;
      }
      // "reported to D. Vuze", "per W. DONOMIF": a preposition, an initial, a word in no list;
      // "E. Esuna PA into evaluate": an initial, a word in no list, then a clinician's role ("PA" alone is also an artery).
      if (
        lx === 0 &&
        fl & CAP &&
        i > 1 &&
        t.key[i - 1]!.length === 1 &&
        isInitial(t, text, i - 1) &&
        UNLISTED_WORD.test(k) &&
        t.flags[i - 1]! & CAP &&
        TITLE_GAP.test(gapAfter(text, t, i - 1)) &&
        ((BEFORE_INITIAL.has(t.key[i - 2]!) && / $/.test(gapAfter(text, t, i - 2))) || ROLE_AFTER.test(text.slice(t.end[i]!, t.end[i]! + 6)))
      ) {
        level[i] = LIKELY;
        continue;
      }
      // A capitalised word in no list at all before "aware" ("GIDI AWARE", "Datobav aware").
      // In lower case only a word that does not read as a misspelt or clinical word ("mgr ebele aware", not "famly aware").
      if (lx === 0 && (nextKey === 'aware' || nextKey === 'notified' || nextKey === 'paged') && (fl & CAP || (k.length >= 4 && !SERVICES.has(k))) && UNLISTED_WORD.test(k) && gapAfter(text, t, i) === ' ' && !glued(text, t, i) && (fl & CAP || !wordLike(k))) {
        level[i] = LIKELY;
        continue;
      }
      // "Kelvard updated on pt condition": a word in no list that reads as no word before "updated"/"informed" (not a record: "Kardex updated").
      if (lx === 0 && (nextKey === 'updated' || nextKey === 'informed') && UNLISTED_WORD.test(k) && k.length >= 4 && !RECORDS.has(k) && !SERVICES.has(k) && gapAfter(text, t, i) === ' ' && !glued(text, t, i) && !wordLike(k)) {
        level[i] = fl & CAP ? LIKELY : LOWER_CASE;
        continue;
      }
      // "msg left for Kelvard", "PCP is Kelvard": a word in no list that reads as no word after a message left or a clinician's role and "is".
      if (lx === 0 && i > 1 && (prevKey === 'for' || prevKey === 'with' || prevKey === 'is') && UNKNOWN_NAME.test(k) && !SERVICES.has(k) && !RECORDS.has(k) && / $/.test(gapAfter(text, t, i - 1)) && !glued(text, t, i) && !(fl & UPPER && !shouting)) {
        const left = (prevKey === 'for' || prevKey === 'with') && MESSAGE_BEFORE.test(text.slice(Math.max(0, t.start[i]! - 30), t.start[i]!));
        const roleIs = prevKey === 'is' && (STAFF_ROLES.has(t.key[i - 2]!) || DOCTOR_KINDS.has(t.key[i - 2]!)) && gapAfter(text, t, i - 2) === ' ';
        if ((left || roleIs) && !wordLike(k)) {
          level[i] = fl & CAP ? LIKELY : LOWER_CASE;
          continue;
        }
      }
      // "on Kelvard's service", "Kelvard's team": a possessive of a word in no list before a clinician's team.
      if (fl & CAP && !(fl & UPPER && !shouting) && k.endsWith("'s") && UNKNOWN_NAME.test(k.slice(0, -2)) && lexFlags(k.slice(0, -2)) === 0 && TEAM_WORDS.has(nextKey) && gapAfter(text, t, i) === ' ' && !SERVICES.has(k.slice(0, -2)) && !wordLike(k.slice(0, -2))) {
        level[i] = LIKELY;
        continue;
      }
      // "KEEP VUKIVE FAMILY AWARE", "the Bisor family": a capitalised word in no list before "family".
      if (lx === 0 && nextKey === 'family' && fl & CAP && UNLISTED_WORD.test(k) && gapAfter(text, t, i) === ' ' && !glued(text, t, i) && !SERVICES.has(k) && !wordLike(k)) {
        level[i] = LIKELY;
        continue;
      }
      if (!(f & NAME) || f & COMMON || k.length < 3 || glued(text, t, i)) continue;
      // "W. Marotta", "Ms S. Dominico": an initial, then a surname; "Marotta aware",
      // "the Romero family": a surname before what the notes say of people.
      if ((i > 0 && isInitial(t, text, i - 1) && (t.flags[i - 1]! & CAP || !(fl & CAP)) && TITLE_GAP.test(gapAfter(text, t, i - 1))) || (AFTER_NAME.has(nextKey) && gapAfter(text, t, i) === ' ')) {
        if (!(fl & UPPER && !shouting && k.length <= 4)) {
          level[i] = fl & CAP ? LIKELY : LOWER_CASE;
          continue;
        }
      }
      // "eva kleist", "Pat Rixford", "benjamin a seiler": a first name, maybe an initial, then a surname.
      const h = i > 1 && t.key[i - 1]!.length === 1 && t.lex[i - 2]! & LEX_FIRST && JOIN_GAP.test(gapAfter(text, t, i - 1)) ? i - 2 : i - 1;
      if (h >= 0 && t.lex[h]! & LEX_FIRST && !(facts[h]! & (CLIN | STOP)) && t.key[h]!.length >= 3 && gapAfter(text, t, i - 1).length <= 2 && JOIN_GAP.test(gapAfter(text, t, h))) {
        const both = fl & CAP && t.flags[h]! & CAP ? LIKELY : LOWER_CASE;
        if (level[h]! < both) level[h] = both;
        level[i] = both;
        continue;
      }
      // Alone, a capitalised name-list word in mixed-case text; in all-capitals
      // or lower-case text only a common first name (there the name list's
      // misspellings and abbreviations look like any other word).
      if (fl & CAP && !shouting) {
        if (!(fl & UPPER && k.length <= 4) && !innerCapital(text, t, i)) level[i] = LIKELY;
      } else if (first && !(lx & LEX_RARE)) {
        if (fl & CAP) level[i] = LIKELY;
        else if (k.length >= 4) level[i] = LOWER_CASE;
      }
    }
    signature(text, t, facts, level, LIKELY);
    // "per J.S.", "Dr. J.S.", "report to J.S. RN": two initials with their full stops where a person is named.
    for (let i = 0; i + 1 < n; i++) {
      if (t.key[i]!.length !== 1 || t.key[i + 1]!.length !== 1 || !(t.flags[i]! & CAP) || !(t.flags[i + 1]! & CAP)) continue;
      if (gapAfter(text, t, i) !== '.' || text.charCodeAt(t.end[i + 1]!) !== 46 || (i + 2 < n && t.start[i + 2] === t.end[i + 1]! + 1)) continue;
      if (DOTTED_ABBREVIATIONS.has(t.key[i]! + t.key[i + 1]!)) continue;
      const title = i > 0 && TITLES.has(t.key[i - 1]!) && TITLE_GAP.test(gapAfter(text, t, i - 1));
      const e = t.end[i + 1]! + 1;
      if (title || personSlot(text, t, i) || (credentialMayFollow(text, e) && POST_NOMINAL.test(text.slice(e, e + 8)))) {
        level[i] = LIKELY;
        level[i + 1] = LIKELY;
      }
    }
    // Spread to neighbours: a name-list word, or an unknown capitalised word
    // in mixed-case text, next to an accepted name; and initials.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < n; i++) {
        if (level[i]! < 0) continue;
        const j = i + 1;
        if (j < n && level[j]! < 0 && (canJoin(t, facts, j, shouting) || isInitial(t, text, j)) && JOIN_GAP.test(gapAfter(text, t, i))) level[j] = level[i]!;
        // "DAUGHTER JEN SMITH CALLED", "wife maureen bell, hcp": where capitals mark no names, a surname that is also an
        // English word after an accepted first name, where the name ends.
        if (j < n && level[j]! < 0 && (shouting || !(t.flags[j]! & CAP)) && t.lex[i]! & LEX_FIRST && facts[j]! & NAME && !(facts[j]! & (CLIN | STOP)) && t.key[j]!.length >= 3 && gapAfter(text, t, i) === ' ' && !/ly$/.test(t.key[j]!) && nameEndsAfter(text, t, j)) level[j] = level[i]!;
        // A word in no list at all one space after a name is its other part ("son daf zozo", "DAUGHTER GUFI RISOBOTE").
        if (j < n && level[j]! < 0 && t.lex[j] === 0 && UNLISTED_WORD.test(t.key[j]!) && gapAfter(text, t, i) === ' ') level[j] = level[i]!;
        // "Suzette and Hank": a capitalised name-list word joined to a name by "and".
        const a = i + 2;
        // "Drs Suloduf and Zafol", "DR NELILAZ AND DUPUFEMU AWARE": after a titled name, also a word in no list.
        const unlistedAfterTitle = a < n && t.lex[a] === 0 && UNLISTED_WORD.test(t.key[a]!) && (level[i] === VERY || (t.flags[a]! & CAP) !== 0);
        // "Sons Fipofo, Garire and Digik": a name, then a comma-separated list of names ending in "and".
        if (j + 1 < n && level[j]! < 0 && gapAfter(text, t, i) === ', ' && t.flags[j]! & CAP && plain(t, facts, j) && ((facts[j]! & NAME && !(facts[j]! & COMMON)) || (t.lex[j] === 0 && UNLISTED_WORD.test(t.key[j]!))) && (t.key[j + 1] === 'and' || gapAfter(text, t, j) === ', ')) level[j] = level[i]!;
        if (a < n && level[a]! < 0 && (t.key[i + 1] === 'and' || t.key[i + 1] === '&') && ((facts[a]! & NAME && t.flags[a]! & CAP) || unlistedAfterTitle) && !(facts[a]! & (CLIN | STOP))) {
          if (t.end[i + 1]! - t.end[i]! <= 5 && t.start[a]! - t.end[i + 1]! === 1) level[a] = level[i]!;
        }
        // "Both Fudamok and Temo are his HCPs": a capitalised word before "and" and a name, read as the name after "and" is.
        const b = i - 2;
        if (b >= 0 && level[b]! < 0 && t.key[i - 1] === 'and' && t.flags[b]! & CAP && !(shouting ? false : (t.flags[b]! & UPPER) !== 0 && t.key[b]!.length <= 4) && plain(t, facts, b) && t.key[b]!.length >= 3 && gapAfter(text, t, b) === ' ' && gapAfter(text, t, i - 1) === ' ' && !RELATIONS.has(t.key[b]!) && !SERVICES.has(t.key[b]!)) {
          const fb = facts[b]!;
          if ((fb & NAME && !(fb & COMMON)) || (t.lex[b] === 0 && UNKNOWN_NAME.test(t.key[b]!) && !wordLike(t.key[b]!))) level[b] = level[i]!;
        }
        const h = i - 1;
        // ("ask to page Tisilud": the verb is no first name.)
        if (h >= 0 && level[h]! < 0) {
          const f = facts[h]!;
          // A capitalised word in no list before a name is its first name ("Muriele William RN").
          const ok =
            (plain(t, facts, h) && (f & NAME) !== 0 && (!(f & COMMON) || (t.lex[h]! & LEX_FIRST) !== 0 || ((t.flags[h]! & CAP) !== 0 && !shouting))) ||
            (t.lex[h]! === 0 && (t.flags[h]! & CAP) !== 0 && UNKNOWN_NAME.test(t.key[h]!)) ||
            isInitial(t, text, h) ||
            // "house staff dibi zoper aware": in lower case, a word in no list that reads as no word before a name that is
            // in no list either (as the word after a name is its other part, "son daf zozo").
            (t.lex[h]! === 0 && !(t.flags[h]! & CAP) && !(t.flags[i]! & CAP) && t.lex[i]! === 0 && UNKNOWN_NAME.test(t.key[h]!) && !SERVICES.has(t.key[h]!) && !RECORDS.has(t.key[h]!) && gapAfter(text, t, h) === ' ' && !wordLike(t.key[h]!));
          if (ok && !RELATIONS.has(t.key[h]!) && !ROLE_BEFORE_NAME.has(t.key[h]!) && t.key[h] !== 'page' && BACK_GAP.test(gapAfter(text, t, h))) level[h] = level[i]!;
        }
      }
    }
    let i = 0;
    while (i < n) {
      if (level[i]! < 0) {
        i++;
        continue;
      }
      let best = level[i]!;
      let j = i;
      while (j + 1 < n && level[j + 1]! >= 0 && JOIN_GAP.test(gapAfter(text, t, j))) {
        j++;
        if (level[j]! > best) best = level[j]!;
      }
      // A lone initial is not a name; an eponym is not a person ("Riker scale", "Mallory Weiss tear").
      const eponym =
        best < VERY &&
        j + 1 < n &&
        gapAfter(text, t, j) === ' ' &&
        (EPONYM_HEADS.has(t.key[j + 1]!) || (j + 2 < n && EPONYM_HEADS.has(t.key[j + 2]!) && gapAfter(text, t, j + 1) === ' ' && level[j + 1]! < 0));
      if (!(i === j && t.key[i]!.length === 1) && !eponym && !(best < VERY && i === j && !shouting && placeByRegion(text, t, i))) {
        let end = t.end[j]!;
        if (t.key[j]!.length === 1 && text.charCodeAt(end) === 46) end++;
        out.push({ start: t.start[i]!, end, infoType: 'PERSON_NAME', likelihood: LEVELS[best]! });
      }
      i = j + 1;
    }
  },
};
