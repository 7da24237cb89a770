import fs from 'node:fs';
import t from 'tap';
import { deidentifyBundleMembers, deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, unknown>;

// Reference.display of a reference that may point to a person is removed:
// the target type comes from the reference (plain, absolute, conditional,
// #contained) or from Reference.type; when it cannot be told, removed too.
// Found by fuzzing: `Patient?identifier=…`, `#p1` (a contained Patient) and
// a reference with `type: "Patient"` kept the patient's name as display.
const obs = JSON.parse(fs.readFileSync('data/samples/fhir/Observation.ndjson', 'utf8').split('\n')[0]!) as Json;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 0x42));
const NAME = 'Erika VonRueden';

function displayOf(subject: Json, contained?: Json[]): unknown {
  const out = deidentifyResource({ ...obs, subject: { ...subject, display: NAME }, ...(contained ? { contained } : {}) }, env);
  return (out.subject as Json | undefined)?.display;
}

t.test('displays of references to people are removed, whatever the reference form', async (t) => {
  t.equal(displayOf({ reference: 'Patient?identifier=http://hospital.smarthealthit.org|1234' }), undefined, 'conditional');
  t.equal(displayOf({ reference: 'urn:oid:1.2.3', type: 'Patient' }), undefined, 'typed by Reference.type');
  t.equal(displayOf({ reference: 'Group/1', type: 'Patient' }), undefined, 'type says Patient');
  t.equal(displayOf({ reference: '#p1' }, [{ resourceType: 'Patient', id: 'p1' }]), undefined, 'contained Patient');
  t.equal(displayOf({ reference: '#x' }), undefined, 'contained target that is not there');
  t.equal(displayOf({ reference: 'urn:oid:1.2.3' }), undefined, 'untyped');
  t.equal(displayOf({ reference: (obs.subject as Json).reference as string }), undefined, 'the sample Patient/id');
});

t.test('displays of references to other resources still go through the text detectors', async (t) => {
  const other = (ref: Json, contained?: Json[]) => {
    const out = deidentifyResource({ ...obs, performer: [{ ...ref, display: 'Blue Cross Blue Shield' }], ...(contained ? { contained } : {}) }, env);
    return ((out.performer as Json[] | undefined)?.[0])?.display;
  };
  t.type(other({ reference: 'Organization/1' }), 'string');
  t.type(other({ reference: 'Organization?identifier=x|1' }), 'string');
  t.type(other({ reference: '#c1' }, [{ resourceType: 'Organization', id: 'c1' }]), 'string');
});

t.test('a #id display in the members of a streamed Bundle (no outer resource) is removed', async (t) => {
  const out = deidentifyBundleMembers({ resourceType: 'Bundle', type: 'document', signature: { type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.1' }], when: '2020-01-01T00:00:00Z', who: { reference: '#p1', display: NAME } } }, env);
  t.type(out.signature, 'object');
  t.equal(((out.signature as Json).who as Json | undefined)?.display, undefined);
});
