import type { DicomPlan } from './plan.js';

/**
 * deid's own Implementation Class UID (PS3.7 D.3.3.2): a 2.25 UUID-derived UID
 * (PS3.5 B.2), fixed so that output stays byte-identical across runs.
 */
export const DEID_IMPLEMENTATION_CLASS_UID = '2.25.180791850359422335975052486057498982644';
/** Implementation Version Name (SH, at most 16 characters). */
export const DEID_IMPLEMENTATION_VERSION_NAME = 'DEID_0.1';

const IMPLEMENTATION_CLASS_UID = 0x00020012;
const IMPLEMENTATION_VERSION_NAME = 0x00020013;
/** AE titles and presentation addresses of the sending/receiving devices (PS3.10 7.1). */
const DEVICE_ELEMENTS = [
  0x00020016, // SourceApplicationEntityTitle
  0x00020017, // SendingApplicationEntityTitle
  0x00020018, // ReceivingApplicationEntityTitle
  0x00020026, // SourcePresentationAddress
  0x00020027, // SendingPresentationAddress
  0x00020028, // ReceivingPresentationAddress
];
/** Private meta content (PS3.10 7.1): removed like private attributes. */
const PRIVATE_ELEMENTS = [0x00020100, 0x00020102];
/** The elements PS3.10 Table 7.1-1 defines (RTVCommunicationSOPInstanceUID aside: it names an instance). */
const DEFINED_ELEMENTS = new Set([
  0x00020000, 0x00020001, 0x00020002, 0x00020003, 0x00020010, 0x00020012, 0x00020013, ...DEVICE_ELEMENTS,
  0x00020031, 0x00020032, 0x00020035, 0x00020036, 0x00020037, 0x00020038, ...PRIVATE_ELEMENTS,
]);

/**
 * How the file meta of a de-identified instance differs from the input's.
 * PS3.15 E.3.9 note 5: the File Meta Information is replaced whenever a file
 * is written during de-identification, and Table E.1-1 does not list group
 * 0002 beyond (0002,0003). So the implementation fields name deid (it wrote
 * the file), the sending and receiving devices' AE titles and addresses go
 * unless the plan retains device identity (they name a device or site, like
 * StationName), and private meta information always goes (unless the plan
 * keeps everything). A v1beta1 keepTag on one of them keeps it.
 */
export function metaEdits(plan: DicomPlan): Map<number, string | null> {
  const edits = new Map<number, string | null>([
    [IMPLEMENTATION_CLASS_UID, DEID_IMPLEMENTATION_CLASS_UID],
    [IMPLEMENTATION_VERSION_NAME, DEID_IMPLEMENTATION_VERSION_NAME],
  ]);
  if (plan.base === 'KEEP_ALL') return edits;
  const kept = (tag: number) => plan.actions.some((a) => a.kind === 'keep' && a.tags.has(tag));
  const remove = [...(plan.options.retainDeviceIdentity ? [] : DEVICE_ELEMENTS), ...PRIVATE_ELEMENTS];
  for (const tag of remove) if (!kept(tag)) edits.set(tag, null);
  return edits;
}

/**
 * Which file meta elements may stay (metaEdits then removes or sets some of
 * them): any other (0002,xxxx), undefined by PS3.10 or an instance UID
 * (RTVCommunicationSOPInstanceUID) that nothing replaces, is content the
 * profile cannot tell safe, so it goes (unless the plan keeps everything or a
 * v1beta1 keepTag names it). Undefined: every element may stay.
 */
export function metaKeep(plan: DicomPlan): ((tag: number) => boolean) | undefined {
  if (plan.base === 'KEEP_ALL') return undefined;
  return (tag) => DEFINED_ELEMENTS.has(tag) || plan.actions.some((a) => a.kind === 'keep' && a.tags.has(tag));
}
