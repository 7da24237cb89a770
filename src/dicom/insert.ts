import type { Transform } from 'node:stream';
import { tokenShell } from './token-shell.js';
import { ITEM, UNDEFINED_LENGTH } from './tags.js';
import type { DicomToken, ElementHeader, Path } from './tokens.js';
import { encodeReplacement } from './value.js';

/** A top-level element to add: a value, or a sequence of items of elements. */
export interface NewElement {
  tag: number;
  vr: string;
  value?: Buffer | string;
  items?: NewElement[][];
}

/**
 * Adds elements to the top-level dataset of a token stream, each just before
 * the first top-level element with a greater tag (or at the end), so the
 * dataset stays in ascending tag order without being buffered. The tokens are
 * made in the dataset's own encoding (explicit or implicit VR, byte order),
 * learnt from the `dataset` token. An element with the same tag as one in
 * the stream is not replaced: remove it upstream (an EditRule) first.
 */
export class InserterCore {
  readonly out: DicomToken[] = [];
  private pending: NewElement[];
  private syntax: { explicit: boolean; bigEndian: boolean } | undefined;

  constructor(elements: readonly NewElement[]) {
    this.pending = [...elements].sort((a, b) => a.tag - b.tag);
  }

  write(t: DicomToken): void {
    if (t.type === 'dataset') this.syntax = { explicit: t.syntax.explicit, bigEndian: t.syntax.bigEndian };
    const tag = topLevelTag(t);
    if (tag !== undefined) while (this.pending.length > 0 && this.pending[0]!.tag < tag) this.emit(this.pending.shift()!);
    this.out.push(t);
  }

  end(): void {
    if (!this.syntax) return;
    while (this.pending.length > 0) this.emit(this.pending.shift()!);
  }

  private emit(e: NewElement): void {
    this.out.push(...elementTokens(e, [], this.syntax!));
  }
}

function topLevelTag(t: DicomToken): number | undefined {
  switch (t.type) {
    case 'element':
    case 'sequenceStart':
    case 'fragmentsStart':
      return t.path.length === 0 ? t.header.tag >>> 0 : undefined;
    case 'valueStart':
      return t.fragment === undefined && t.path.length === 0 ? t.header.tag >>> 0 : undefined;
    default:
      return undefined;
  }
}

/** The tokens of one new element, in the given encoding. */
export function elementTokens(e: NewElement, path: Path, s: { explicit: boolean; bigEndian: boolean }): DicomToken[] {
  if (e.items) {
    const header: ElementHeader = { tag: e.tag, vr: 'SQ', length: UNDEFINED_LENGTH, explicit: s.explicit, bigEndian: s.bigEndian };
    const out: DicomToken[] = [{ type: 'sequenceStart', header, path, undefinedLength: true }];
    e.items.forEach((item, index) => {
      const itemPath: Path = [...path, { tag: e.tag, item: index }];
      const ih: ElementHeader = { tag: ITEM, vr: '', length: UNDEFINED_LENGTH, explicit: false, bigEndian: s.bigEndian };
      out.push({ type: 'itemStart', header: ih, path: itemPath, index, undefinedLength: true });
      for (const child of [...item].sort((a, b) => a.tag - b.tag)) out.push(...elementTokens(child, itemPath, s));
      out.push({ type: 'itemEnd' });
    });
    out.push({ type: 'sequenceEnd' });
    return out;
  }
  const value = encodeReplacement(e.value ?? Buffer.alloc(0), e.vr, e.tag);
  const header: ElementHeader = { tag: e.tag, vr: e.vr, length: value.length, explicit: s.explicit, bigEndian: s.bigEndian };
  return [{ type: 'element', header, path, value }];
}

/** Transform shell around InserterCore (object mode both ways). */
export function dicomInserter(elements: readonly NewElement[]): Transform {
  const core = new InserterCore(elements);
  return tokenShell(core);
}
