import type { NewElement } from '../insert.js';
import { BASIC_PROFILE_CODE, OPTION_CODE, OPTION_NAMES, type CodedMethod } from './options.js';
import type { DicomPlan } from './plan.js';

const PatientIdentityRemoved = 0x00120062;
const DeidentificationMethod = 0x00120063;
const DeidentificationMethodCodeSequence = 0x00120064;
const CodeValue = 0x00080100;
const CodingSchemeDesignator = 0x00080102;
const CodeMeaning = 0x00080104;

/** The CID 7050 codes describing what a plan does (the basic profile and its options). */
export function methodCodes(plan: DicomPlan): CodedMethod[] {
  if (plan.base !== 'BASIC') return [];
  const codes = [BASIC_PROFILE_CODE];
  for (const name of OPTION_NAMES) if (plan.options[name]) codes.push(OPTION_CODE[name]);
  return codes;
}

/** A short text for DeidentificationMethod (0012,0063), LO: at most 64 characters. */
export function methodText(plan: DicomPlan): string {
  const profile = plan.base === 'BASIC' ? 'PS3.15 basic' : plan.base.toLowerCase().replace(/_/g, ' ');
  const n = plan.base === 'BASIC' ? OPTION_NAMES.filter((o) => plan.options[o]).length : 0;
  const s = `deid ${profile}${n ? ` + ${n} option${n > 1 ? 's' : ''}` : ''}${plan.actions.length ? ' + tag actions' : ''}`;
  return s.slice(0, 64);
}

/**
 * PS3.15 E.1.1 / PS3.3 C.7.1.1: PatientIdentityRemoved = YES,
 * DeidentificationMethod and DeidentificationMethodCodeSequence (CID 7050).
 */
export function methodElements(plan: DicomPlan): NewElement[] {
  const out: NewElement[] = [
    { tag: PatientIdentityRemoved, vr: 'CS', value: 'YES' },
    { tag: DeidentificationMethod, vr: 'LO', value: methodText(plan) },
  ];
  const codes = methodCodes(plan);
  if (codes.length > 0) {
    out.push({
      tag: DeidentificationMethodCodeSequence,
      vr: 'SQ',
      items: codes.map((c) => [
        { tag: CodeValue, vr: 'SH', value: c.code },
        { tag: CodingSchemeDesignator, vr: 'SH', value: 'DCM' },
        { tag: CodeMeaning, vr: 'LO', value: c.meaning },
      ]),
    });
  }
  return out;
}
