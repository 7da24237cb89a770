import { patternDetector } from './pattern.js';

/** RFC 5322 dot-atom local part @ DNS name; bounded repetitions keep it linear. */
export const emailDetector = patternDetector({
  name: 'email',
  infoTypes: ['EMAIL_ADDRESS'],
  needsDigits: false,
  quick: (text) => text.includes('@'),
  re: /(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}\b/g,
  judge: () => ({ likelihood: 'VERY_LIKELY' }),
});
