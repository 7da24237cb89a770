/**
 * The DICOM token stream: what `dicomTokenizer()` emits, `dicomEditor()`
 * filters and `dicomWriter()` turns back into bytes.
 *
 * A part-10 file becomes, in order:
 *
 *   preamble?      128-byte preamble + "DICM" (absent for a raw dataset)
 *   meta?          the whole group 0002 (always explicit VR LE), buffered
 *   dataset        how the dataset that follows is encoded (sniffed, not only declared)
 *   ...body...     then, at every depth, any of:
 *     element                        a value of at most `maxValueBytes`, whole (or a
 *                                    sequence of defined length whose bytes are not
 *                                    items: `unreadable`)
 *     valueStart valueChunk* valueEnd  a larger value, in chunks of `chunkBytes`
 *     sequenceStart (itemStart ...body... itemEnd)* sequenceEnd
 *     fragmentsStart (fragment | valueStart valueChunk* valueEnd)* fragmentsEnd
 *                                    encapsulated pixel data, walked by item
 *                                    lengths; a large fragment streams as a
 *                                    value whose header tag is (FFFE,E000)
 *
 * Every header keeps the exact bytes it was read from (`raw`); the writer
 * reuses them, so an untouched element is written back byte for byte. A
 * header without `raw` (made by an edit) is encoded from its fields.
 * `path` lists the enclosing sequences (tag and 0-based item index) from the
 * top-level dataset down, so a rule can act at any depth.
 *
 * The token stream depends only on the input bytes, never on how they were
 * chunked: large values are cut at fixed `chunkBytes` boundaries.
 */
import type { Syntax } from './syntax.js';

export interface ElementHeader {
  tag: number;
  /** From the data when explicit; from the dictionary when implicit (UN when unknown). */
  vr: string;
  /** Value length; UNDEFINED_LENGTH (0xFFFFFFFF) when undefined. */
  length: number;
  explicit: boolean;
  bigEndian: boolean;
  /** Header bytes exactly as read. */
  raw?: Buffer;
  /** Offset of the header in the dataset byte stream (after inflation when deflated). */
  offset?: number;
}

export interface PathStep {
  /** Tag of the enclosing sequence. */
  tag: number;
  /** 0-based index of the item inside that sequence. */
  item: number;
}
export type Path = readonly PathStep[];

export interface MetaElement {
  header: ElementHeader;
  value: Buffer;
}

export interface PreambleToken { type: 'preamble'; bytes: Buffer }
export interface MetaToken {
  type: 'meta';
  elements: MetaElement[];
  /** The group exactly as read, written back when nothing in it changes. */
  raw: Buffer;
  transferSyntaxUID: string | undefined;
}
export interface DatasetToken {
  type: 'dataset';
  /** Encoding of the top-level dataset as found in the data. */
  syntax: Syntax;
  deflated: boolean;
  /** Declared in the meta; undefined for a raw dataset or a meta without one. */
  transferSyntaxUID: string | undefined;
}
export interface ElementToken {
  type: 'element';
  header: ElementHeader;
  path: Path;
  value: Buffer;
  /**
   * A sequence of defined length (SQ, or a standard sequence written as UN)
   * whose bytes are not items: its content is unread, so an editor removes
   * it (the writer alone writes it back).
   */
  unreadable?: true;
}
export interface ValueStartToken {
  type: 'valueStart';
  header: ElementHeader;
  path: Path;
  /** Set when the value is an encapsulated fragment (0-based, offset table is 0). */
  fragment?: number;
}
export interface ValueChunkToken { type: 'valueChunk'; bytes: Buffer }
export interface ValueEndToken { type: 'valueEnd' }
export interface SequenceStartToken {
  type: 'sequenceStart';
  header: ElementHeader;
  path: Path;
  /** Set by an editor: write with undefined length and a delimiter. */
  undefinedLength?: boolean;
}
export interface SequenceEndToken { type: 'sequenceEnd'; delimiter?: Buffer }
export interface ItemStartToken {
  type: 'itemStart';
  header: ElementHeader;
  /** Path of the elements inside this item (ends with this sequence and index). */
  path: Path;
  index: number;
  undefinedLength?: boolean;
}
export interface ItemEndToken { type: 'itemEnd'; delimiter?: Buffer }
export interface FragmentsStartToken { type: 'fragmentsStart'; header: ElementHeader; path: Path }
export interface FragmentToken { type: 'fragment'; header: ElementHeader; index: number; value: Buffer }
export interface FragmentsEndToken { type: 'fragmentsEnd'; delimiter: Buffer }

export type DicomToken =
  | PreambleToken
  | MetaToken
  | DatasetToken
  | ElementToken
  | ValueStartToken
  | ValueChunkToken
  | ValueEndToken
  | SequenceStartToken
  | SequenceEndToken
  | ItemStartToken
  | ItemEndToken
  | FragmentsStartToken
  | FragmentToken
  | FragmentsEndToken;
