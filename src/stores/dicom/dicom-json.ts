/**
 * Reading the DICOM JSON model (PS3.18 Annex F): an object keyed by
 * 8-hex-digit tags, each with `vr` and an optional `Value` array.
 */
export type DicomJson = Record<string, { vr?: string; Value?: unknown[] } | undefined>;

export function isDicomJson(v: unknown): v is DicomJson {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First value of `tag` as a string, or undefined. */
export function firstString(obj: DicomJson, tag: string): string | undefined {
  const v = obj[tag]?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}

/** Items of sequence `tag` (empty when absent). */
export function items(obj: DicomJson, tag: string): DicomJson[] {
  const v = obj[tag]?.Value;
  return Array.isArray(v) ? v.filter(isDicomJson) : [];
}

export const TAG = {
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  ReferencedSOPInstanceUID: '00081155',
  FailureReason: '00081197',
  FailedSOPSequence: '00081198',
  ReferencedSOPSequence: '00081199',
} as const;
