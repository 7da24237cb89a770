import type { InstanceFacts } from './scan-instance.js';

/**
 * Modalities whose pixels routinely carry burned-in text (patient name, dates,
 * institution): ultrasound, secondary capture, other, X-ray angiography and
 * endoscopy (PS3.15 E.3.1 discusses burned-in annotation; these are the
 * modalities where it is the norm rather than the exception).
 */
const RISKY_MODALITIES = new Set(['US', 'SC', 'OT', 'XA', 'ES']);
/** Conversion Type (0008,0064) values of screen captures and synthetic images (PS3.3 C.8.6.1). */
const SCREEN_CAPTURE = new Set(['WSD', 'SYN', 'SD', 'DRW']);

/**
 * Why an instance may carry identifying text in its pixels, or undefined.
 * BurnedInAnnotation (0028,0301) = YES decides on its own; NO is trusted
 * only for a modality that is not in the risky list.
 */
export function burnedInReason(f: Pick<InstanceFacts, 'modality' | 'burnedInAnnotation' | 'conversionType'>): string | undefined {
  if (f.burnedInAnnotation === 'YES') return 'BurnedInAnnotation is YES';
  if (RISKY_MODALITIES.has(f.modality)) return `modality ${f.modality}`;
  if (SCREEN_CAPTURE.has(f.conversionType)) return `conversion type ${f.conversionType}`;
  return undefined;
}
