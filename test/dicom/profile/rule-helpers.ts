import { Keyed } from '../../../src/core/keyed.js';
import { keywordOf, tagOf } from '../../../src/dicom/dictionary.js';
import type { EditDecision, ElementView } from '../../../src/dicom/edit.js';
import { profileRule, type InstanceEnv } from '../../../src/dicom/profile/engine.js';
import type { DicomPlan } from '../../../src/dicom/profile/plan.js';
import type { InstanceFacts } from '../../../src/dicom/profile/scan-instance.js';
import type { Path } from '../../../src/dicom/tokens.js';
import { deidentifyText } from '../../../src/text/deidentify-text.js';
import { DEFAULT_TEXT_CONFIG } from '../../../src/text/config.js';
import { KEY } from './helpers.js';

export const keyed = new Keyed(KEY);

export function facts(over: Partial<InstanceFacts> = {}): InstanceFacts {
  return {
    patientId: 'MRN-0042', studyInstanceUid: '1.2.3.4', seriesInstanceUid: '1.2.3.4.5', sopInstanceUid: '1.2.3.4.5.6',
    modality: 'CT', burnedInAnnotation: '', conversionType: '', overlayGroups: [], context: [], personContext: [], ...over,
  };
}

/** The decision of a plan's rule for one element given by keyword. */
export function decide(plan: DicomPlan, keyword: string, vr: string, value: string | undefined, opts: { path?: Path; facts?: InstanceFacts; shiftDays?: number; kind?: ElementView['kind'] } = {}): EditDecision {
  const tag = /^[0-9A-F]{8}$/.test(keyword) ? parseInt(keyword, 16) >>> 0 : tagOf(keyword);
  if (tag === undefined) throw new Error(`unknown keyword ${keyword}`);
  const env: InstanceEnv = {
    plan, keyed, text: DEFAULT_TEXT_CONFIG, cleanText: (v, e) => deidentifyText(v, DEFAULT_TEXT_CONFIG, e).text, facts: opts.facts ?? facts(), shiftDays: opts.shiftDays ?? 10, counts: new Map(),
  };
  const el: ElementView = {
    tag, keyword: keywordOf(tag), vr, length: value === undefined ? 0 : value.length,
    kind: opts.kind ?? (vr === 'SQ' ? 'sequence' : 'value'),
    value: value === undefined ? undefined : Buffer.from(value, 'latin1'),
    isPrivate: ((tag >>> 16) & 1) === 1, bigEndian: false,
  };
  return profileRule(env)(el, opts.path ?? []);
}

/** The replacement text of a decision ('' for a zero-length value), or the decision itself. */
export function text(d: EditDecision): string {
  if (d === 'keep' || d === 'remove') return d;
  return typeof d.replace === 'string' ? d.replace : d.replace.toString('latin1');
}
