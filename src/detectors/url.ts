import { patternDetector } from './pattern.js';

const TLDS =
  'com|org|net|edu|gov|mil|int|info|biz|io|co|us|uk|de|fr|es|it|nl|be|at|ch|se|no|dk|fi|is|ie|pt|pl|cz|sk|hu|ro|bg|gr|hr|si|ee|lv|lt|lu|cy|mt|eu|ca|mx|ar|cl|br|au|nz|za|jp|cn|kr|tw|hk|sg|in|ru|ua|tr|il|me|ly|tv|health|care|app|dev';

/** Host names without a scheme or www. only count with a generic TLD: ".pt", ".no" end sentences in notes. */
const BARE_TLDS = 'com|org|net|edu|gov|io|info|biz';
const URL_HINT = new RegExp(String.raw`://|www\.|\bdata:|\.(?:${TLDS})\b`, 'i');
/**
 * RFC 2397 `data:[<mediatype>][;base64],<data>`: the whole URL, however long,
 * since what is left of a cut one is still the data (a picture, a document).
 */
const DATA_URL = String.raw`data:(?:[A-Za-z]+/[\w.+-]+)?(?:;[\w.+=-]+)*,[\w+/=%.~!$&*;:@-]*`;

/**
 * URLs with a scheme (data: URLs included), `www.` hosts, and bare host names
 * ending in a common TLD (what Presidio calls DOMAIN_NAME; Google reports them as URL).
 */
export const urlDetector = patternDetector({
  name: 'url',
  infoTypes: ['URL'],
  needsDigits: false,
  quick: (text) => URL_HINT.test(text),
  re: new RegExp(
    String.raw`\b(?:${DATA_URL}|(?:https?|ftp)://[^\s<>"'()\[\]]{1,2048}|www\.[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}(?:/[^\s<>"'()\[\]]{0,2048})?|(?<![@.\w-])[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63}){0,4}\.(?:${BARE_TLDS})\b(?![.@-]\w)(?:/[^\s<>"'()\[\]]{0,2048})?)`,
    'gi',
  ),
  judge(m) {
    let s = m[0];
    // Trailing sentence punctuation is not part of a URL.
    let end = m.index + s.length;
    while (/[.,;:!?]$/.test(s)) {
      s = s.slice(0, -1);
      end--;
    }
    const scheme = /^(?:https?|ftp):\/\/|^www\.|^data:/i.test(s);
    return { likelihood: scheme ? 'VERY_LIKELY' : 'LIKELY', end };
  },
});
