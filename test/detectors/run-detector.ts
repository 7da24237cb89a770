import type { Detector } from '../../src/detectors/types.js';
import type { Finding } from '../../src/text/types.js';

/** Runs one detector over `text` and returns its findings with their quoted text. */
export function run(d: Detector, text: string): (Finding & { quote: string })[] {
  const out: Finding[] = [];
  const letters = text.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length;
  d.detect({ text, hasDigits: /\d/.test(text), shouting: upper > 8 && upper > 3 * (letters.length - upper) }, out);
  return out.map((f) => ({ ...f, quote: text.slice(f.start, f.end) }));
}

export function quotes(d: Detector, text: string): string[] {
  return run(d, text).map((f) => f.quote);
}
