import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseConfig } from '../../src/config/load-config.js';

type Json = Record<string, unknown>;

// Annotation.authorString went through the text detectors, which miss names
// outside their lists and names in lower or upper case: `Zelphina
// Quarterfield`, `QUARTERFIELD, ZELPHINA` came out as written. The element
// holds the author's name and nothing else, so BASIC removes it (the note's
// text is still cleaned; authorReference is pseudonymised as any reference).
const obs = (note: Json[]): Json => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, note });
const notesOf = (out: Json) => out.note as Json[];
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 9));

t.test('authorString is removed in every form; the note stays', async (t) => {
  for (const name of ['Zelphina Quarterfield', 'zelphina quarterfield', 'QUARTERFIELD, ZELPHINA', 'Dr. J. Smith']) {
    const out = deidentifyResource(obs([{ authorString: name, time: '2020-01-02', text: 'Seen, stable.' }]), env);
    t.same(Object.keys(notesOf(out)[0]!).sort(), ['text', 'time'], name);
    t.equal(notesOf(out)[0]!.text, 'Seen, stable.');
    t.notMatch(JSON.stringify(out), /zelphina|quarterfield|smith/i);
  }
  t.equal(env.counts.get('Observation.note.authorString')?.get('removed'), 4, 'counted in the report');
});

t.test('authorReference is kept, pseudonymised', async (t) => {
  const out = deidentifyResource(obs([{ authorReference: { reference: 'Practitioner/p9' }, text: 'ok' }]), env);
  t.match(notesOf(out)[0]!.authorReference, { reference: /^Practitioner\/[0-9a-f]{32}$/ });
});

t.test('KEEP_ALL and a keep rule still keep it', async (t) => {
  const keepAll = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }), Buffer.alloc(32, 9));
  t.equal(notesOf(deidentifyResource(obs([{ authorString: 'Zelphina Quarterfield', text: 'ok' }]), keepAll))[0]!.authorString, 'Zelphina Quarterfield');
  const rule = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'BASIC', fieldMetadataList: [{ paths: ['Annotation.author'], keepField: {} }] } }), Buffer.alloc(32, 9));
  t.equal(notesOf(deidentifyResource(obs([{ authorString: 'Zelphina Quarterfield', text: 'ok' }]), rule))[0]!.authorString, 'Zelphina Quarterfield');
});
