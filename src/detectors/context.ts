/**
 * Context-word helpers. Each looks at a short, bounded window next to a match,
 * so the cost per match is constant whatever the text length.
 */
export function windowBefore(text: string, start: number, size = 40): string {
  return text.slice(Math.max(0, start - size), start).toLowerCase();
}

export function windowAfter(text: string, end: number, size = 40): string {
  return text.slice(end, end + size).toLowerCase();
}

/** `re` is tested against the lower-cased window of `size` characters before `start`. */
export function contextBefore(text: string, start: number, re: RegExp, size = 40): boolean {
  return re.test(windowBefore(text, start, size));
}

export function contextAfter(text: string, end: number, re: RegExp, size = 40): boolean {
  return re.test(windowAfter(text, end, size));
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isWordChar(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c) || c === 95;
}
