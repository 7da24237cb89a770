/**
 * Streaming DICOM part-10: tokenizer, editing hook and writer.
 *
 *   bytes -> dicomTokenizer() -> DicomToken stream -> dicomEditor(rules) -> dicomWriter() -> bytes
 *
 * The token model is documented in tokens.ts, the rule contract in edit.ts.
 * Memory stays bounded by `maxValueBytes`/`chunkBytes` and the editor's
 * `maxBufferedBytes`, never by the size of the file.
 */
export { dicomTokenizer, type TokenizerOptions } from './tokenizer.js';
export { dicomWriter, type WriterOptions } from './writer.js';
export {
  dicomEditor, combineRules, keep, remove, replace,
  type EditDecision, type EditRule, type ElementView, type EditorOptions,
} from './edit.js';
export { EditorCore } from './editor-core.js';
export { processInstance, type ProcessOptions } from './process.js';
export { TokenizerCore } from './tokenizer-core.js';
export { WriterCore } from './writer-core.js';
export { lookupTag, lookupKeyword, tagOf, keywordOf, implicitVR, type DictEntry } from './dictionary.js';
export { encodeReplacement, valueText, asciiSafe } from './value.js';
export { formatTag, isPrivateTag, UNDEFINED_LENGTH } from './tags.js';
export {
  transferSyntaxInfo, TS_IMPLICIT_LE, TS_EXPLICIT_LE, TS_DEFLATED_LE, TS_EXPLICIT_BE,
  type Syntax, type TransferSyntaxInfo,
} from './syntax.js';
export type * from './tokens.js';
