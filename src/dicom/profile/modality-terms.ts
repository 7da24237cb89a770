/**
 * Modality (0008,0060) defined terms, PS3.3 C.7.3.1.1.1, current and retired.
 * A report counts instances by modality; a value outside this list is record
 * content of unknown meaning (the element is a free CS a file may fill with
 * anything) and is counted under `(other)` instead of being written out.
 */
const MODALITY_TERMS = new Set([
  'ANN', 'AR', 'ASMT', 'AU', 'BDUS', 'BI', 'BMD', 'CFM', 'CR', 'CT', 'CTPROTOCOL', 'DG', 'DMS', 'DOC', 'DX',
  'ECG', 'EEG', 'EMG', 'EOG', 'EPS', 'ES', 'FID', 'GM', 'HC', 'HD', 'IO', 'IOL', 'IVOCT', 'IVUS', 'KER', 'KO',
  'LEN', 'LS', 'M3D', 'MG', 'MR', 'NM', 'OAM', 'OCT', 'OP', 'OPM', 'OPT', 'OPTBSV', 'OPTENF', 'OPV', 'OSS', 'OT',
  'PA', 'PLAN', 'POS', 'PR', 'PT', 'PX', 'REG', 'RESP', 'RF', 'RG', 'RTDOSE', 'RTIMAGE', 'RTINTENT', 'RTPLAN',
  'RTRAD', 'RTRECORD', 'RTSEGANN', 'RTSTRUCT', 'RWV', 'SEG', 'SM', 'SMR', 'SR', 'SRF', 'STAIN', 'TEXTUREMAP',
  'TG', 'US', 'VA', 'XA', 'XAPROTOCOL', 'XC',
  // retired
  'AS', 'CD', 'CF', 'CP', 'CS', 'DD', 'DF', 'DM', 'DS', 'EC', 'FA', 'FS', 'LP', 'MA', 'MS', 'OPR', 'ST', 'VF',
]);

/** The modality a report may name: a defined term, `(unknown)` when absent, else `(other)`. */
export function reportedModality(modality: string): string {
  if (!modality) return '(unknown)';
  return MODALITY_TERMS.has(modality) ? modality : '(other)';
}
