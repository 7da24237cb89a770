/**
 * The human-readable text of a FHIR narrative (`xhtml`, well-formed XML):
 * text between tags, CDATA sections and attribute values, each handed to
 * `clean` with its character references decoded and written back escaped
 * when it changed. Comments and processing instructions are dropped (text
 * nobody reads is still text). Structural attributes whose values are names,
 * numbers or layout (xmlns, class, style, colspan…) go to `structural`, or
 * are left as they are without it. An attribute holding a data: URL (an
 * embedded picture) is emptied.
 *
 * Returns the new value, the input itself when nothing changed, or undefined
 * when the value is not well-formed markup (a '<' that starts no tag, an
 * unquoted attribute): such a value cannot be read, so it is removed.
 */
export function mapXhtmlText(div: string, clean: (text: string) => string | undefined, structural?: (text: string) => string | undefined): string | undefined {
  TOKEN.lastIndex = 0;
  let out = '';
  let changed = false;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < div.length) {
    const at = TOKEN.lastIndex;
    if (!(m = TOKEN.exec(div))) return undefined;
    const whole = m[0];
    if (m[5] !== undefined) {
      const c = cleanPiece(m[5], clean);
      if (c === undefined) out += whole;
      else {
        out += escapeText(c);
        changed = true;
      }
    } else if (m[2] !== undefined) {
      // a tag: its attribute values are text too
      const attrs = m[3]!.replace(ATTR, (a, lead: string, name: string, dq: string | undefined, sq: string | undefined) => {
        if (name === 'xmlns' || name.startsWith('xmlns:')) return a;
        // An embedded picture or document (`<img src="data:…">`, a CSS url(data:…)) cannot be read
        // for PHI, so it goes, whatever the attribute and the text config: images are not text.
        const raw = dq ?? sq ?? '';
        if (DATA_URL.test((raw.includes('&') ? decodeEntities(raw) : raw).replace(/\s+/g, ''))) {
          changed = true;
          return `${lead}""`;
        }
        const isStructural = STRUCTURAL.has(name.toLowerCase());
        if (isStructural && !structural) return a;
        const c = cleanPiece(raw, isStructural ? structural! : clean);
        if (c === undefined) return a;
        changed = true;
        return `${lead}"${escapeAttr(c)}"`;
      });
      out += m[2] + attrs + m[4];
    } else if (m[1] !== undefined) {
      const c = cleanPiece(m[1], clean, false);
      out += escapeText(c ?? m[1]);
      changed = true;
    } else {
      changed = true; // comment or processing instruction: dropped
    }
    if (TOKEN.lastIndex === at) return undefined;
  }
  return changed ? out : div;
}

// comment | CDATA (1) | processing instruction | tag: name (2), attributes (3), end (4) | text (5)
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|(<\/?[A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)(\s*\/?>)|([^<]+)/y;
const ATTR = /(\s+([A-Za-z_:][\w:.-]*)\s*=\s*)(?:"([^"<]*)"|'([^'<]*)')/g;

/** An RFC 2397 data: URL anywhere in a value without its white space (`data:image/png;base64,…`, `data:,…`). */
const DATA_URL = /\bdata:(?:[A-Za-z]+\/[\w.+-]+)?(?:;[^,;]*)*,/i;

/** Attributes whose values are markup structure, not text a person wrote. */
const STRUCTURAL = new Set([
  'xmlns', 'xml:lang', 'lang', 'dir', 'class', 'style', 'id', 'colspan', 'rowspan', 'span', 'width', 'height',
  'border', 'cellpadding', 'cellspacing', 'align', 'valign', 'scope', 'headers', 'start', 'type', 'frame', 'rules',
  'char', 'charoff', 'nowrap', 'compact', 'clear', 'shape', 'coords', 'bgcolor', 'color', 'size', 'face', 'hspace', 'vspace', 'name',
]);

/** The cleaned text of one piece, or undefined when it is unchanged (or holds nothing to clean). */
function cleanPiece(raw: string, clean: (text: string) => string | undefined, encoded = true): string | undefined {
  const text = encoded && raw.includes('&') ? decodeEntities(raw) : raw;
  if (!/[\p{L}\p{N}]/u.test(text)) return undefined;
  return clean(text);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character references and the five predefined entities; any other `&name;` is left as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, e: string) => {
    if (e[0] !== '#') return NAMED[e]!;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : whole;
  });
}

/** `&` `<` `>` escaped; an entity decodeEntities left as written (`&nbsp;`) stays one. */
function escapeText(s: string): string {
  return s.replace(/&(?![A-Za-z][A-Za-z0-9]*;)/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
