import { termListDetector, type Detector } from '../../src/detectors/index.js';
import { findPhi } from '../../src/text/find-phi.js';
import type { Finding } from '../../src/text/types.js';
import { physionetList, physionetPatientNames, type Doc } from './corpora.js';

/** The detectors as shipped: no site lists, no context values. */
export function genericPredictor(): (d: Doc) => Finding[] {
  return (d) => findPhi(d.text);
}

/**
 * The detectors as a site running them would configure them: its own
 * hospitals, local place names and staff names (deid 1.1 ships these lists
 * for the corpus's hospital), and the patient's name as contextual values —
 * what the FHIR pipeline passes from the Patient resource.
 */
export function sitePredictor(): (d: Doc) => Finding[] {
  const extra: Detector[] = [
    termListDetector({ name: 'site-hospitals', infoType: 'LOCATION', terms: physionetList('stripped_hospitals.txt'), misspelt: true }),
    termListDetector({
      name: 'site-places',
      infoType: 'LOCATION',
      terms: [...physionetList('local_places_unambig.txt'), ...physionetList('local_places_ambig.txt')],
      capitalizedOnly: false,
      misspelt: true,
    }),
    termListDetector({
      name: 'site-staff',
      infoType: 'PERSON_NAME',
      terms: [...physionetList('doctor_last_names.txt'), ...physionetList('doctor_first_names.txt')],
    }),
  ];
  const patients = physionetPatientNames();
  return (d) =>
    findPhi(d.text, {
      extraDetectors: extra,
      context: (patients.get(d.group) ?? []).map((value) => ({ value, infoType: 'PERSON_NAME' })),
    });
}
