import type { Test } from 'tap';
import { findPhi } from '../../src/text/find-phi.js';

/**
 * Test lines that mark their own expectations: [[x]] must be overlapped by a
 * finding of one of the given kinds, {{x}} by no finding at all.
 */
interface Marked {
  text: string;
  spans: { start: number; end: number; quote: string }[];
}

function parse(line: string, open: string, close: string): Marked {
  let text = '';
  const spans: Marked['spans'] = [];
  let i = 0;
  while (i < line.length) {
    if (line.startsWith(open, i)) {
      const j = line.indexOf(close, i);
      const quote = line.slice(i + 2, j);
      spans.push({ start: text.length, end: text.length + quote.length, quote });
      text += quote;
      i = j + 2;
    } else text += line[i++];
  }
  return { text, spans };
}

export function expectFound(t: Test, lines: string[], kinds: string[]): void {
  for (const line of lines) {
    const { text, spans } = parse(line, '[[', ']]');
    const found = findPhi(text);
    for (const s of spans) t.ok(found.some((f) => f.start < s.end && s.start < f.end && kinds.includes(f.infoType)), `${s.quote} in: ${text}`);
  }
}

export function expectLeftAlone(t: Test, lines: string[]): void {
  for (const line of lines) {
    const { text, spans } = parse(line, '{{', '}}');
    const found = findPhi(text);
    for (const s of spans) {
      const hit = found.filter((f) => f.start < s.end && s.start < f.end).map((f) => `${f.infoType}:${text.slice(f.start, f.end)}`);
      t.same(hit, [], `${s.quote} in: ${text}`);
    }
  }
}
