import { tagOf } from '../dictionary.js';

/**
 * Attributes a de-identified image still needs to be a valid, displayable
 * instance: SOP Common identity (PS3.3 C.12.1), the identifying UIDs of the
 * study, series and frame of reference, the Image Pixel module (PS3.3 C.7.6.3)
 * and the multi-frame and rescale attributes that say how to read the pixels.
 * Kept by MINIMAL_KEEP_LIST_PROFILE and added to every keep list (their UIDs
 * are still replaced unless UIDs are retained).
 */
const KEYWORDS = [
  'SpecificCharacterSet', 'ImageType', 'SOPClassUID', 'SOPInstanceUID', 'Modality',
  'StudyInstanceUID', 'SeriesInstanceUID', 'FrameOfReferenceUID',
  'SamplesPerPixel', 'PhotometricInterpretation', 'PlanarConfiguration', 'NumberOfFrames',
  'FrameIncrementPointer', 'Rows', 'Columns', 'PixelSpacing', 'BitsAllocated', 'BitsStored', 'HighBit',
  'PixelRepresentation', 'SmallestImagePixelValue', 'LargestImagePixelValue', 'PixelPaddingValue',
  'WindowCenter', 'WindowWidth', 'RescaleIntercept', 'RescaleSlope', 'RescaleType',
  'RedPaletteColorLookupTableDescriptor', 'GreenPaletteColorLookupTableDescriptor', 'BluePaletteColorLookupTableDescriptor',
  'RedPaletteColorLookupTableData', 'GreenPaletteColorLookupTableData', 'BluePaletteColorLookupTableData',
  'PixelAspectRatio', 'LossyImageCompression', 'LossyImageCompressionRatio', 'LossyImageCompressionMethod',
  'ICCProfile', 'ColorSpace', 'ExtendedOffsetTable', 'ExtendedOffsetTableLengths',
  'FloatPixelData', 'DoubleFloatPixelData', 'PixelData',
  'PatientIdentityRemoved', 'DeidentificationMethod', 'DeidentificationMethodCodeSequence',
];

let cached: Set<number> | undefined;

export function minimalTags(): ReadonlySet<number> {
  if (cached) return cached;
  cached = new Set();
  for (const k of KEYWORDS) {
    const t = tagOf(k);
    if (t !== undefined) cached.add(t);
  }
  return cached;
}
