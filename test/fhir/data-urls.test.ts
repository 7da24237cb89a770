import fs from 'node:fs';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseConfig } from '../../src/config/load-config.js';

type Json = Record<string, unknown>;

// uri and url elements were kept as written in every profile: an
// Attachment.url naming the patient (`…/docs/VonRueden_Erika.pdf`), a
// questionnaire answer `mailto:erika@…` and a Binary/123 attachment link
// (whose Binary's id is pseudonymised) came out unchanged. Now an
// Attachment.url that is a resource URL is pseudonymised like a reference;
// other Attachment.url values and uri/url `value[x]` go through the text
// detectors and are removed when they would change (a URL with a part
// replaced is no URL).
const lines = (f: string) => fs.readFileSync(`data/samples/fhir/${f}.ndjson`, 'utf8').split('\n');
const patient = JSON.parse(lines('Patient')[0]!) as Json;
const pid = patient.id as string;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 4));
deidentifyResource(patient, env);
const family = ((patient.name as Json[])[0]!.family as string);

const doc = (url: string): Json => ({ resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: `Patient/${pid}` }, content: [{ attachment: { contentType: 'application/pdf', url, title: 'Discharge summary' } }] });
const urlOf = (out: Json) => ((out.content as Json[])[0]!.attachment as Json).url;

t.test('an Attachment.url naming the patient or holding a web address is removed', async (t) => {
  const out = deidentifyResource(doc(`https://docs.example.org/store/${family}_2019.pdf`), env);
  t.equal(urlOf(out), undefined);
  t.notMatch(JSON.stringify(out), family);
  t.equal(((out.content as Json[])[0]!.attachment as Json).title, 'Discharge summary', 'the rest of the attachment stays');
});

t.test('an Attachment.url that is a resource URL gets the pseudonym its target gets', async (t) => {
  const bin = deidentifyResource({ resourceType: 'Binary', id: 'A12345', contentType: 'application/pdf' }, env);
  t.equal(urlOf(deidentifyResource(doc('Binary/A12345'), env)), `Binary/${bin.id as string}`);
  t.equal(urlOf(deidentifyResource(doc('http://someimagingcenter.org/fhir/Binary/A12345'), env)), `http://someimagingcenter.org/fhir/Binary/${bin.id as string}`);
  const keepAll = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }), Buffer.alloc(32, 4));
  t.equal(urlOf(deidentifyResource(doc('Binary/A12345'), keepAll)), `Binary/${bin.id as string}`, 'KEEP_ALL pseudonymises ids, and so this one');
});

t.test('uri and url answers and parameters: an email or a web address is removed', async (t) => {
  const qr = {
    resourceType: 'QuestionnaireResponse', id: 'q1', status: 'completed', subject: { reference: `Patient/${pid}` },
    item: [{ linkId: '1', answer: [{ valueUri: `mailto:${family.toLowerCase()}@example.org` }, { valueUri: 'urn:oid:2.16.840.1.113883.6.96' }] }],
  };
  const out = deidentifyResource(qr, env);
  t.notMatch(JSON.stringify(out), family.toLowerCase());
  t.same(((out.item as Json[])[0]!.answer as Json[]), [{ valueUri: 'urn:oid:2.16.840.1.113883.6.96' }], 'an OID is kept');
  const params = deidentifyResource({ resourceType: 'Parameters', parameter: [{ name: 'home', valueUrl: 'https://erika.example.net/' }, { name: 'n', valueInteger: 3 }] }, env);
  t.same(params.parameter, [{ name: 'home' }, { name: 'n', valueInteger: 3 }]);
});

t.test('meta.source and implicitRules, filled by the sending system, go through the detectors too', async (t) => {
  const obs = (extra: Json): Json => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, ...extra });
  const named = deidentifyResource(obs({ implicitRules: `http://rules.example.org/${family}`, meta: { versionId: '3', source: `http://ehr.example.org/patients/${family}/obs/1` } }), env);
  t.notMatch(JSON.stringify(named), family);
  t.equal(named.implicitRules, undefined);
  t.equal((named.meta as Json).source, undefined);
  t.equal((named.meta as Json).versionId, '3', 'the rest of meta stays');
  const opaque = deidentifyResource(obs({ meta: { source: '#Dn3CrvOvGd6E6zIk' } }), env);
  t.equal((opaque.meta as Json).source, '#Dn3CrvOvGd6E6zIk', 'an opaque request id holds nothing to remove');
});

t.test("a device's network address (a web address or an IP address: Safe Harbor (N), (O)) is removed", async (t) => {
  const dev = (url: string): Json => ({ resourceType: 'Device', id: 'dv1', patient: { reference: `Patient/${pid}` }, url });
  t.equal(deidentifyResource(dev(`http://devices.example.org/${family}`), env).url, undefined, 'the patient\u2019s name');
  t.equal(deidentifyResource(dev('http://10.20.30.40:8080/pump'), env).url, undefined, 'an IP address');
  t.equal(deidentifyResource(dev('http://devices.example.org/pumps'), env).url, undefined, 'a web address');
  const keepAll = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }), Buffer.alloc(32, 4));
  t.equal(deidentifyResource(dev('http://devices.example.org/pumps'), keepAll).url, 'http://devices.example.org/pumps', 'KEEP_ALL keeps it');
});
