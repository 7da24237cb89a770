/** Word sets the name detector and the lexicon share. */

export const TITLES = new Set(['dr', 'doctor', 'mr', 'mrs', 'ms', 'miss', 'mx', 'prof', 'professor', 'dear', 'rev', 'attending', 'nurse', 'drs', "dr's", 'reverend', 'pastor', 'rabbi', 'fr']);
/** Words that follow a title without being a name ("Dr. aware", "Dr to see"). */
export const FUNCTION_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'but', 'to', 'of', 'in', 'on', 'at', 'for', 'with', 'by', 'from', 'as', 'is', 'was', 'are', 'were', 'be',
  'been', 'has', 'had', 'have', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'not', 'no', 'yes', 'aware', 'notified',
  'made', 'called', 'paged', 'here', 'there', 're', 'regarding', 'team', 'office', 'ordered', 'order', 'orders', 'said', 'states',
  'stated', 'who', 'that', 'this', 'these', 'those', 'he', 'she', 'they', 'we', 'it', 'his', 'her', 'their', 'our', 'also', 'then',
  'now', 'today', 'into', 'out', 'up', 'down', 'see', 'seen', 'saw', 'spoke', 'following', 'per', 'via', 'if', 'so', 'all',
  'any', 'some', 'other', 'did', 'does', 'do', 'done', 'about', 'after', 'before', 'during', 'am', 'pm', 'well', 'very', 'without',
  'both', 'came', 'present', 'changes', 'center', 'okay',
]);

/** Kin words: a name right after one is a person's (given) name ("wife Grace"). */
export const KIN_WORDS = [
  'wife', 'husband', 'son', 'daughter', 'mother', 'father', 'mom', 'dad', 'brother', 'sister', 'niece', 'nephew',
  'aunt', 'uncle', 'grandson', 'granddaughter', 'grandmother', 'grandfather', 'cousin', 'friend', 'neighbor',
  'fiance', 'fiancee', 'boyfriend', 'girlfriend', 'partner', 'spouse', 'named', 'sibling', 'sons', 'daughters',
  'dtr', 'sis', 'bro',
  // People around a patient who call and visit as relatives do ("pt's roommate Kelvard called").
  'roommate', 'housemate', 'neighbour', 'grandma', 'grandpa', 'stepmother', 'stepfather', 'landlord', 'landlady', 'coworker', 'caregiver',
];
/** Credentials written after a name (MD, RN, PhD…), as a regular-expression alternation. */
export const CREDENTIALS = 'm\\.?d\\.?|r\\.?n\\.?|n\\.?p\\.?|pa-c|ph\\.?d\\.?|dds|cnm|lpn|crnp|fnp|lcsw|licsw|msw|facs|rrt|crt|cns';
