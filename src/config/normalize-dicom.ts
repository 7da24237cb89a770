import type { z } from 'zod';
import type { DeidentifyConfigInput, dicomConfigV1, dicomTagConfig, imageConfig } from './schema.js';

/**
 * The DICOM part of a DeidConfig: the validated Google object, marked with
 * its generation, for src/dicom to interpret. `image` is the top-level
 * DeidentifyConfig.image (pixel text redaction), which applies to DICOM.
 */
export type DicomPart =
  | { generation: 'v1'; config: z.infer<typeof dicomConfigV1>; image?: z.infer<typeof imageConfig> }
  | { generation: 'v1beta1'; config: z.infer<typeof dicomTagConfig>; image?: z.infer<typeof imageConfig> };

export function normalizeDicom(c: DeidentifyConfigInput): DicomPart | undefined {
  const image = c.image ? { image: structuredClone(c.image) } : {};
  if (c.dicomTagConfig) return { generation: 'v1beta1', config: structuredClone(c.dicomTagConfig), ...image };
  if (c.dicom) return { generation: 'v1', config: structuredClone(c.dicom), ...image };
  if (c.image) return { generation: 'v1', config: {}, ...image };
  return undefined;
}

export function isDicomPart(x: unknown): x is DicomPart {
  if (x === null || typeof x !== 'object') return false;
  const g = (x as { generation?: unknown }).generation;
  return (g === 'v1' || g === 'v1beta1') && typeof (x as { config?: unknown }).config === 'object';
}
