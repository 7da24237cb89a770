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
