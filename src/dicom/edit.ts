import type { Transform } from 'node:stream';
import { tokenShell } from './token-shell.js';
import { EditorCore } from './editor-core.js';
import type { DicomToken, Path } from './tokens.js';

/**
 * The editing hook. A rule is a pure function called once per element at
 * every depth (inside every item of every sequence), in stream order:
 *
 *   (element, path) => 'keep' | 'remove' | { replace: Buffer | string }
 *
 * - value elements: `value` holds the bytes when the value is small (came
 *   whole); large values (pixel data, waveforms...) have `value` undefined
 *   and can be kept, removed or replaced whole.
 * - sequences (`kind: 'sequence'`): 'keep' descends into the items and calls
 *   the rule for each nested element; 'remove' drops the whole sequence;
 *   a replacement empties it (a zero-length sequence, the SQ form of PS3.15
 *   action Z).
 * - encapsulated pixel data (`kind: 'fragments'`): keep or remove only.
 * - a sequence of defined length whose bytes are not items
 *   (`kind: 'unreadable'`, `value` undefined): removed whatever the rule
 *   says (its content was never read); the rule is told, to count it.
 *
 * The file meta (the `meta` token) never reaches the rule: the writer owns
 * it (see WriterOptions.mediaStorageSOPInstanceUID).
 * Several rules can be given: the first decision other than 'keep' wins.
 * Replacement strings are made ASCII-safe and padded to even length;
 * Buffers are written as given, so binary values must already be in the
 * dataset's byte order (`bigEndian`).
 */
export interface ElementView {
  tag: number;
  keyword: string | undefined;
  vr: string;
  /** Length as encoded (UNDEFINED_LENGTH for undefined-length sequences and pixel data). */
  length: number;
  kind: 'value' | 'sequence' | 'fragments' | 'unreadable';
  /** The value bytes for small values; undefined for large or structured ones. */
  value: Buffer | undefined;
  isPrivate: boolean;
  bigEndian: boolean;
}

export type EditDecision = 'keep' | 'remove' | { replace: Buffer | string };
export type EditRule = (element: ElementView, path: Path) => EditDecision;

export const keep: EditDecision = 'keep';
export const remove: EditDecision = 'remove';
export function replace(value: Buffer | string): EditDecision {
  return { replace: value };
}

/** One rule out of several: the first decision other than 'keep' wins. */
export function combineRules(rules: readonly EditRule[]): EditRule {
  return (element, path) => {
    for (const r of rules) {
      const d = r(element, path);
      if (d !== 'keep') return d;
    }
    return 'keep';
  };
}

export interface EditorOptions {
  /**
   * Bytes an editor may hold while it waits to learn whether a
   * defined-length sequence changed (default 8 MiB). Past it, the open
   * sequences are written with undefined length whether or not they change.
   */
  maxBufferedBytes?: number;
}

/** Transform shell around EditorCore (object mode both ways). */
export function dicomEditor(rules: EditRule | readonly EditRule[], opts: EditorOptions = {}): Transform {
  const core = new EditorCore(typeof rules === 'function' ? rules : combineRules(rules), opts);
  return tokenShell(core);
}
