import fs from 'node:fs';
import t from 'tap';
import { Keyed } from '../../src/core/keyed.js';
import { pseudonymizeLinkUrl, pseudonymizeReference, pseudonymizeRequestUrl } from '../../src/fhir/references.js';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, unknown>;

// What stands before `Type/id` in an absolute reference, before `Type?` in a
// conditional one and in a Bundle's link URLs was kept as written: the id of
// a compartment (`…/Patient/123/Observation/9`), a relative prefix
// (`x/Patient?identifier=…`), user information (`https://user:pw@host/…`) and
// the id in a link (`…/Patient/123/$everything`) came out unchanged.
const k = new Keyed(Buffer.alloc(32, 7));
const patient = JSON.parse(fs.readFileSync('data/samples/fhir/Patient.ndjson', 'utf8').split('\n')[0]!) as Json;
const pid = patient.id as string;

t.test('a Type/id in the base of an absolute reference gets the id pseudonym', async (t) => {
  const r = pseudonymizeReference(`https://fhir.example/r4/Patient/${pid}/Observation/o-9`, k);
  t.equal(r, `https://fhir.example/r4/Patient/${k.fhirId(pid)}/Observation/${k.fhirId('o-9')}`);
  t.equal(pseudonymizeReference(`https://fhir.example/r4/Patient/${pid}/_history/3`, k), `https://fhir.example/r4/Patient/${k.fhirId(pid)}/_history/3`, 'plain form unchanged');
});

t.test('user information in a reference URL: removed (fail closed)', async (t) => {
  t.equal(pseudonymizeReference('https://jdoe:secret@fhir.example/Patient/1', k), undefined);
  t.equal(pseudonymizeReference('https://jdoe:secret@fhir.example/Patient?identifier=s|1', k), undefined);
});

t.test('a conditional reference: only a resource type or a base URL and a type before the query', async (t) => {
  t.equal(pseudonymizeReference('Jdoe/Patient?identifier=s|123', k), undefined, 'relative prefix');
  t.equal(pseudonymizeReference('urn:x:Jdoe/Patient?identifier=s|123', k), undefined, 'not http(s)');
  t.equal(pseudonymizeReference(`https://h/fhir/Patient/${pid}/Patient?identifier=s|123`, k), `https://h/fhir/Patient/${k.fhirId(pid)}/Patient?identifier=s|${k.identifier('123')}`);
  t.equal(pseudonymizeReference('https://h/fhir/Patient?identifier=s|123', k), `https://h/fhir/Patient?identifier=s|${k.identifier('123')}`);
  t.equal(pseudonymizeRequestUrl('Patient?identifier=s|123', k), `Patient?identifier=s|${k.identifier('123')}`);
});

t.test('Bundle.link.url: query removed, ids in the path pseudonymised, odd forms removed', async (t) => {
  t.equal(pseudonymizeLinkUrl(`https://h/fhir/Patient/${pid}/$everything?_count=10`, k), `https://h/fhir/Patient/${k.fhirId(pid)}/$everything`);
  t.equal(pseudonymizeLinkUrl(`https://h/fhir/Patient/${pid}#x`, k), `https://h/fhir/Patient/${k.fhirId(pid)}`);
  t.equal(pseudonymizeLinkUrl('https://h/fhir?_getpages=abc', k), 'https://h/fhir');
  t.equal(pseudonymizeLinkUrl('https://h/fhir/Patient/_search', k), 'https://h/fhir/Patient/_search', 'an operation segment is no id');
  t.equal(pseudonymizeLinkUrl('https://u:p@h/fhir/Patient', k), undefined);
  t.equal(pseudonymizeLinkUrl('Patient/123', k), undefined, 'not an absolute URL');

  const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 7));
  const bundle = {
    resourceType: 'Bundle', id: 'b1', type: 'searchset',
    link: [{ relation: 'self', url: `https://h/fhir/Patient/${pid}/$everything` }, { relation: 'next', url: `https://h/fhir/Patient?_id=${pid}&page=2` }],
    entry: [{ fullUrl: `https://h/fhir/Patient/${pid}`, resource: patient }],
  };
  const out = JSON.stringify(deidentifyResource(bundle, env));
  t.notMatch(out, pid, 'the patient id is nowhere in the output');
  t.match(out, `https://h/fhir/Patient/${env.keyed.fhirId(pid)}/$everything`);
  t.match(out, '"url":"https://h/fhir/Patient"');
});
