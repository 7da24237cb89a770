/**
 * The offset of the first key that repeats a key of the same object in a JSON
 * text JSON.parse has accepted, or undefined. JSON.parse keeps the last of
 * duplicate keys without a word, so in a config the first rules would be
 * silently dropped (YAML configs are parsed with unique keys).
 */
export function firstDuplicateKey(text: string): number | undefined {
  // One frame per open container: the keys of an object, null for an array.
  const frames: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      frames.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      frames.push(null);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
    } else if (c === 0x2c /* , */) {
      expectKey = frames[frames.length - 1] != null;
    } else if (c === 0x22 /* " */) {
      const start = i;
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      if (expectKey) {
        const keys = frames[frames.length - 1]!;
        // escapes spell the same key in other ways ("\u0066hir" is "fhir")
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (keys.has(key)) return start;
        keys.add(key);
        expectKey = false;
      }
    }
  }
  return undefined;
}
