import type { Readable } from 'node:stream';
import { DeidError, locatedError } from '../../core/errors.js';
import type { ContextValue } from '../../text/types.js';
import { dicomTokenizer, type TokenizerOptions } from '../tokenizer.js';
import type { DicomToken, ElementHeader } from '../tokens.js';
import { implicitVR } from '../dictionary.js';
import { CharsetScopes } from '../charset-scopes.js';
import { valueChars, valueText } from '../value.js';
import { basicAction } from './resolve-action.js';
import { profileRow } from './table.js';
import { runTogether } from '../../text/run-together.js';

/** What the profile needs to know about an instance before editing it. */
export interface InstanceFacts {
  patientId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  /** (0008,0016) SOPClassUID; undefined when absent. */
  sopClassUid?: string;
  modality: string;
  burnedInAnnotation: string;
  conversionType: string;
  /** (0002,0003) MediaStorageSOPInstanceUID of the file meta; undefined when absent. */
  metaSopInstanceUid?: string;
  /** (0002,0002) MediaStorageSOPClassUID of the file meta; undefined when absent. */
  metaSopClassUid?: string;
  /** Repeating groups 60xx that hold OverlayData (60xx,3000) at the top level. */
  overlayGroups: number[];
  /** The top-level Specific Character Set (0008,0005) as written: text is read under it (src/dicom/charset.ts). */
  charset?: string;
  /** Values the profile takes out of the instance, to scrub from descriptions (Clean Descriptors, [CTX]). */
  context: ContextValue[];
  /**
   * The part of `context` that names or numbers a person (every PN, and the
   * patient's own attributes, group 0010): looked for in the text the
   * profile keeps unread. Institutions, stations and study numbers are left
   * out there, where a manufacturer's or a code's name may share their words.
   */
  personContext: ContextValue[];
}

const T = {
  PatientID: 0x00100020,
  StudyInstanceUID: 0x0020000d,
  SeriesInstanceUID: 0x0020000e,
  SOPInstanceUID: 0x00080018,
  SOPClassUID: 0x00080016,
  Modality: 0x00080060,
  BurnedInAnnotation: 0x00280301,
  ConversionType: 0x00080064,
  SpecificCharacterSet: 0x00080005,
  PixelData: 0x7fe00010,
};

const MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
const MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
/** A DICOMDIR: its records point at each other by byte offset, which any edit breaks. */
const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

const CONTEXT_VRS = new Set(['PN', 'LO', 'SH', 'AE']);
const MIN_CONTEXT = 3;
/** Han, kana and Hangul: two characters are a whole given or family name. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const longEnough = (p: string) => p.length >= MIN_CONTEXT || (p.length === 2 && CJK.test(p));

/** The part of a value to remember as context: PN components, or the whole value. */
function contextValues(vr: string, text: string): ContextValue[] {
  const out: ContextValue[] = [];
  for (const v of text.split('\\')) {
    if (vr === 'PN') {
      for (const part of v.split(/[\^=]/)) {
        const p = part.trim();
        if (longEnough(p)) out.push({ value: p, infoType: 'PERSON_NAME' });
      }
      // each component group (alphabetic, ideographic, phonetic): family^given written as one word too
      for (const group of v.split('=')) {
        const [family, given] = group.split('^');
        for (const w of runTogether(given, family)) out.push({ value: w, infoType: 'PERSON_NAME' });
      }
    } else {
      const p = v.trim();
      if (longEnough(p)) out.push({ value: p, infoType: 'CTX' });
    }
  }
  return out;
}

/**
 * Collects the facts of an instance from its tokens, in stream order; add()
 * returns false once the top-level pixel data is reached (nothing after it is
 * needed). Throws DICOM_UNSUPPORTED for a DICOMDIR.
 */
export class FactsCollector {
  readonly facts: InstanceFacts = {
    patientId: '', studyInstanceUid: '', seriesInstanceUid: '', sopInstanceUid: '',
    modality: '', burnedInAnnotation: '', conversionType: '', overlayGroups: [], context: [], personContext: [],
  };
  /** Offset of the last element header seen (for error locations). */
  lastOffset: number | undefined;
  private readonly seen = new Set<string>();
  private readonly charsets = new CharsetScopes(undefined);

  add(t: DicomToken): boolean {
    const facts = this.facts;
    if (t.type === 'meta') {
      const media = t.elements.find((e) => e.header.tag === MEDIA_STORAGE_SOP_INSTANCE_UID);
      if (media) facts.metaSopInstanceUid = valueText(media.value).trim();
      const cls = t.elements.find((e) => e.header.tag === MEDIA_STORAGE_SOP_CLASS_UID);
      if (cls) facts.metaSopClassUid = valueText(cls.value).trim();
      if (cls && valueText(cls.value) === MEDIA_STORAGE_DIRECTORY) {
        throw new DeidError('DICOM_UNSUPPORTED', 'media storage directory (DICOMDIR)');
      }
    }
    const h: ElementHeader | undefined = 'header' in t ? t.header : undefined;
    if (h?.offset !== undefined) this.lastOffset = h.offset;
    if (h && 'path' in t && t.path.length === 0 && h.tag === T.PixelData) return false;
    if (h && 'path' in t && t.path.length === 0 && ((h.tag & 0xff00ffff) >>> 0) === 0x60003000) {
      facts.overlayGroups.push(h.tag >>> 16);
    }
    // The bytes of an unreadable sequence were never read as elements: nothing in them is a fact
    // (a PatientID written with VR SQ would otherwise name the patient by bytes that are not it).
    if (t.type !== 'element' || t.unreadable) return true;
    if (t.path.length === 0) {
      switch (h!.tag) {
        case T.PatientID: facts.patientId = valueChars(t.value, facts.charset).trim(); break;
        case T.StudyInstanceUID: facts.studyInstanceUid = valueText(t.value).trim(); break;
        case T.SeriesInstanceUID: facts.seriesInstanceUid = valueText(t.value).trim(); break;
        case T.SOPInstanceUID: facts.sopInstanceUid = valueText(t.value).trim(); break;
        case T.SOPClassUID: facts.sopClassUid = valueText(t.value).trim(); break;
        case T.Modality: facts.modality = valueText(t.value).trim().toUpperCase(); break;
        case T.BurnedInAnnotation: facts.burnedInAnnotation = valueText(t.value).trim().toUpperCase(); break;
        case T.ConversionType: facts.conversionType = valueText(t.value).trim().toUpperCase(); break;
        case T.SpecificCharacterSet: facts.charset = valueText(t.value); break;
      }
    }
    if (t.header.tag === T.SpecificCharacterSet && t.path.length > 0) this.charsets.note(t.path, valueText(t.value));
    const vr = t.header.vr === 'UN' ? implicitVR(t.header.tag) : t.header.vr;
    if (!CONTEXT_VRS.has(vr)) return true;
    const row = profileRow(t.header.tag);
    // Descriptors are what gets cleaned, not what is looked for.
    if (!row || row.options.cleanDescOpt || (t.header.tag >>> 16) & 1) return true;
    const a = basicAction(row.basic);
    if (a === 'K' || a === 'C') return true;
    this.charsets.top = facts.charset;
    const person = vr === 'PN' || t.header.tag >>> 16 === 0x0010;
    for (const c of contextValues(vr, valueChars(t.value, this.charsets.at(t.path)))) {
      if (!this.seen.has(c.value)) {
        this.seen.add(c.value);
        facts.context.push(c);
        if (person) facts.personContext.push(c);
      }
    }
    return true;
  }
}

/** A parse error of an instance as a DeidError with the input's name and a byte offset. */
export function scanError(e: unknown, file: string, lastOffset: number | undefined): DeidError {
  return locatedError(e, file, 'READ_FAILED', lastOffset ?? 0);
}

/**
 * Reads an instance up to its top-level pixel data (nothing big is held:
 * values above the tokenizer's limit stream by and are not looked at) and
 * returns its facts. Rejects with the tokenizer's DeidError (offset in
 * `loc.offset` when known) on malformed input.
 */
export async function scanInstance(input: Readable, file: string, opts: TokenizerOptions = {}): Promise<InstanceFacts> {
  const collector = new FactsCollector();
  const tokens = input.pipe(dicomTokenizer(opts));
  input.on('error', (e) => tokens.destroy(e));
  try {
    for await (const t of tokens as AsyncIterable<DicomToken>) if (!collector.add(t)) break;
  } catch (e) {
    throw scanError(e, file, collector.lastOffset);
  } finally {
    tokens.destroy();
    input.destroy();
  }
  return collector.facts;
}
