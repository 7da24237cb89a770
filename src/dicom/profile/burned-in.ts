import type { InstanceFacts } from './scan-instance.js';

/**
 * Modalities whose pixels routinely carry burned-in text (patient name, dates,
 * institution): ultrasound, secondary capture, other, X-ray angiography,
 * endoscopy, and the visible-light photographs (external camera XC,
 * ophthalmic OP) and intra-oral images IO, whose capture devices stamp
 * labels into the image (PS3.15 E.3.1 discusses burned-in annotation; these
 * are the modalities where it is the norm rather than the exception).
 */
const RISKY_MODALITIES = new Set(['US', 'SC', 'OT', 'XA', 'ES', 'XC', 'OP', 'IO']);

/**
 * The same kinds of image by SOP Class UID (PS3.6 Annex A), for instances
 * whose Modality is missing or says something else: ultrasound (single,
 * multi-frame, retired forms, enhanced volume), secondary capture (single and
 * multi-frame), X-ray angiography, and the VL (visible light) image classes.
 */
const RISKY_SOP_CLASSES = new Map<string, string>([
  ['1.2.840.10008.5.1.4.1.1.6.1', 'Ultrasound Image'],
  ['1.2.840.10008.5.1.4.1.1.6', 'Ultrasound Image (retired)'],
  ['1.2.840.10008.5.1.4.1.1.3.1', 'Ultrasound Multi-frame Image'],
  ['1.2.840.10008.5.1.4.1.1.3', 'Ultrasound Multi-frame Image (retired)'],
  ['1.2.840.10008.5.1.4.1.1.6.2', 'Enhanced US Volume'],
  ['1.2.840.10008.5.1.4.1.1.7', 'Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.1', 'Multi-frame Single Bit Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.2', 'Multi-frame Grayscale Byte Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.3', 'Multi-frame Grayscale Word Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.7.4', 'Multi-frame True Color Secondary Capture Image'],
  ['1.2.840.10008.5.1.4.1.1.12.1', 'X-Ray Angiographic Image'],
  ['1.2.840.10008.5.1.4.1.1.12.1.1', 'Enhanced XA Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.1', 'VL Endoscopic Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.1.1', 'Video Endoscopic Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.2', 'VL Microscopic Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.2.1', 'Video Microscopic Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.3', 'VL Slide-Coordinates Microscopic Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.4', 'VL Photographic Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.4.1', 'Video Photographic Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.5.1', 'Ophthalmic Photography 8 Bit Image'],
  ['1.2.840.10008.5.1.4.1.1.77.1.5.2', 'Ophthalmic Photography 16 Bit Image'],
]);

/** Conversion Type (0008,0064) values of screen captures and synthetic images (PS3.3 C.8.6.1). */
const SCREEN_CAPTURE = new Set(['WSD', 'SYN', 'SD', 'DRW']);

/**
 * Why an instance may carry identifying text in its pixels, or undefined.
 * BurnedInAnnotation (0028,0301) = YES decides on its own; NO is trusted
 * only for a modality and SOP class that are not in the risky lists. The SOP
 * class is the dataset's, else the file meta's.
 */
export function burnedInReason(f: Pick<InstanceFacts, 'modality' | 'burnedInAnnotation' | 'conversionType' | 'sopClassUid' | 'metaSopClassUid'>): string | undefined {
  if (f.burnedInAnnotation === 'YES') return 'BurnedInAnnotation is YES';
  if (RISKY_MODALITIES.has(f.modality)) return `modality ${f.modality}`;
  const sopClass = RISKY_SOP_CLASSES.get(f.sopClassUid || f.metaSopClassUid || '');
  if (sopClass) return `SOP class ${sopClass}`;
  if (SCREEN_CAPTURE.has(f.conversionType)) return `conversion type ${f.conversionType}`;
  return undefined;
}
