/**
 * Telling NDJSON from one JSON document (and gzip from plain text) by the
 * first bytes of an input whose name does not say.
 */

import { jsonParser } from 'stream-json/parser.js';

export type Sniffed = 'ndjson' | 'json' | 'gzip' | undefined;

/**
 * NDJSON or one JSON document? NDJSON when the first non-blank line parses as
 * JSON and a newline follows it. A first line that does not parse is a
 * document's first line (a pretty-printed Bundle) only if the bytes seen so
 * far begin a JSON document and no later line is a resource of its own;
 * otherwise it is a bad NDJSON record, and reading
 * the input as one document would lose every record after it. A first line
 * longer than `limit` is one document (a Bundle streamed in constant memory)
 * unless it begins a resource that is not a Bundle: then it is an NDJSON
 * record, and so are the lines after it. Undefined while more bytes are
 * needed (never past `limit` bytes).
 */
export function sniffFormat(head: Buffer, eof: boolean, limit: number, allowGzip: boolean): Sniffed {
  if (allowGzip && head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (allowGzip && head.length < 2 && !eof) return undefined;
  let pos = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (;;) {
    const nl = head.indexOf(0x0a, pos);
    if (nl === -1) {
      const rest = head.subarray(pos);
      if (rest.toString('latin1').trim() === '' && eof) return 'ndjson'; // empty input: no records
      if (eof) return 'json';
      if (head.length < limit) return undefined;
      const seen = documentPrefix(rest);
      return seen.syntaxError || (seen.resourceType !== undefined && seen.resourceType !== 'Bundle') ? 'ndjson' : 'json';
    }
    const line = head.subarray(pos, nl).toString('utf8');
    if (line.trim() !== '') {
      try {
        JSON.parse(line);
        return 'ndjson';
      } catch {
        return documentPrefix(head.subarray(pos)).syntaxError || laterLineIsResource(head, nl + 1) ? 'ndjson' : 'json';
      }
    }
    pos = nl + 1;
  }
}

/**
 * Whether a complete line after `from` is a resource on its own: NDJSON's
 * shape, seldom a pretty-printed document's (its objects span lines).
 */
function laterLineIsResource(head: Buffer, from: number): boolean {
  for (let pos = from; ; ) {
    const nl = head.indexOf(0x0a, pos);
    if (nl === -1) return false;
    const line = head.subarray(pos, nl).toString('utf8').trim();
    pos = nl + 1;
    if (!line.startsWith('{') || !line.includes('"resourceType"')) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (v !== null && typeof v === 'object' && typeof (v as { resourceType?: unknown }).resourceType === 'string') return true;
    } catch {
      // not a record on its own
    }
  }
}

/**
 * What the bytes say when read as the start of one JSON document: whether
 * they already break its syntax, and the top-level object's resourceType if
 * it came. The parser's messages are not kept (they quote the input).
 */
function documentPrefix(bytes: Buffer): { syntaxError: boolean; resourceType?: string } {
  const parse = jsonParser({ packValues: true, streamValues: false });
  let tokens: Array<{ name: string; value?: unknown }>;
  try {
    const r = parse(bytes.toString('utf8')) as { values?: Array<{ name: string; value?: unknown }> };
    tokens = r.values ?? [];
  } catch {
    return { syntaxError: true };
  }
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.name === 'startObject' || tok.name === 'startArray') depth++;
    else if (tok.name === 'endObject' || tok.name === 'endArray') depth--;
    else if (depth === 1 && tok.name === 'keyValue' && tok.value === 'resourceType') {
      const v = tokens[i + 1];
      return { syntaxError: false, ...(v?.name === 'stringValue' ? { resourceType: v.value as string } : {}) };
    }
  }
  return { syntaxError: false };
}
