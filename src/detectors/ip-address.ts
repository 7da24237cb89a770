import { patternDetector } from './pattern.js';

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;

export const ipv4Detector = patternDetector({
  name: 'ipv4',
  infoTypes: ['IP_ADDRESS'],
  needsDigits: true,
  re: new RegExp(String.raw`(?<![\d.])${OCTET}(?:\.${OCTET}){3}(?![\d]|\.\d)`, 'g'),
  judge: () => ({ likelihood: 'LIKELY' }),
});

/** IPv6: full or `::`-compressed forms (RFC 4291 2.2), at least two groups and one colon pair. */
export const ipv6Detector = patternDetector({
  name: 'ipv6',
  infoTypes: ['IP_ADDRESS'],
  needsDigits: false,
  quick: (text) => /::|[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}/.test(text),
  re: /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}(?::[0-9A-Fa-f]{1,4}){1,6}(?![\w:])|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,7}:(?![\w:])|(?<![\w:])::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![\w:])/g,
  judge(m) {
    const s = m[0];
    // A time like 10:30 or a ratio is not an address: require a letter digit or a `::`.
    if (!s.includes('::') && !/[a-f]/i.test(s)) return undefined;
    if ((s.match(/:/g) ?? []).length < 2) return undefined;
    return { likelihood: 'LIKELY' };
  },
});

export const macDetector = patternDetector({
  name: 'mac',
  infoTypes: ['MAC_ADDRESS'],
  needsDigits: false,
  quick: (text) => /[0-9A-Fa-f]{2}[:-][0-9A-Fa-f]{2}[:-]/.test(text),
  re: /(?<![\w:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])/g,
  judge: () => ({ likelihood: 'LIKELY' }),
});
