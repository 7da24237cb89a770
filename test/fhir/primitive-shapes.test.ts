import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseConfig } from '../../src/config/load-config.js';
import { shapeOf } from '../../src/fhir/primitive-shapes.js';

type Json = Record<string, any>;

// Elements whose syntax FHIR fixes (id, time) or that are bound to a code
// system no list of ours holds (media types, currencies, languages) were kept
// as written, as were a value[x] code outside an extension and the uris and
// canonicals a record names (questionnaire, measure, instantiatesCanonical,
// a reference's type): the patient's name typed after any of them passed
// (found by planting the patient's values into every string of the HL7 R4
// examples: 87 paths before, none after).
const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Zyxwood', given: ['Quenby'] }], identifier: [{ value: '4455667' }] };

function run(resource: Json, profileType = 'BASIC'): { out: Json; counts: Map<string, Map<string, number>> } {
  const config = profileType === 'BASIC' ? deidDefaultConfig() : parseConfig({ fhirFieldConfig: { profileType } });
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x44));
  deidentifyResource(structuredClone(patient), env);
  return { out: deidentifyResource(structuredClone(resource), env) as Json, counts: env.counts };
}

t.test('shapes', async (t) => {
  const ok = (type: string, name: string, owner: string, v: string) => shapeOf(type, name, owner)?.test(v);
  t.equal(ok('code', 'currency', 'Money', 'USD'), true);
  t.equal(ok('code', 'currency', 'Money', 'usd'), false);
  t.equal(ok('code', 'currency', 'Money', 'USD Zyxwood'), false);
  for (const m of ['application/pdf', 'text/plain; charset=UTF-8', 'application/fhir+json;fhirVersion=4.0', 'image/svg+xml', 'text/plain;name="a b"']) t.equal(ok('code', 'contentType', 'Attachment', m), true, m);
  for (const m of ['application/pdf Quenby Zyxwood', 'pdf', 'text/plain; Quenby', '', 'a/b/c']) t.equal(ok('code', 'contentType', 'Attachment', m), false, m);
  for (const l of ['en', 'en-US', 'zh-Hant-TW', 'x-klingon', 'i-default']) t.equal(ok('code', 'language', 'Attachment', l), true, l);
  for (const l of ['Quenby', 'en US', 'en-US Zyxwood', 'english']) t.equal(ok('code', 'language', 'Observation', l), false, l);
  t.equal(shapeOf('code', 'language', 'Expression'), undefined, "an Expression's language is a media type, extensible");
  t.equal(shapeOf('code', 'contentType', 'TestScript.setup.action.operation'), undefined);
  t.equal(ok('time', 'value', 'Observation', '09:30:00'), true);
  t.equal(ok('time', 'value', 'Observation', '9:30'), false);
  t.equal(ok('time', 'value', 'Observation', '09:30:00 Zyxwood'), false);
  t.equal(ok('id', 'versionId', 'Meta', 'a'.repeat(64)), true);
  t.equal(ok('id', 'versionId', 'Meta', 'a'.repeat(65)), false);
  t.equal(ok('oid', 'value', 'Task.input', 'urn:oid:1.2.840.10008'), true);
  t.equal(ok('oid', 'value', 'Task.input', 'urn:oid:1.02'), false);
  t.equal(ok('uuid', 'value', 'Task.input', 'urn:uuid:c757873d-ec9a-4326-a141-556f43239520'), true);
  const long = `text/plain${'; a=b'.repeat(20_000)} x`;
  t.equal(ok('code', 'contentType', 'Binary', long), false, 'a long hostile value is refused without backtracking');
});

t.test('in records: values of another shape go, good ones stay', async (t) => {
  const claim = {
    resourceType: 'Claim', id: 'c1', status: 'active', use: 'claim', patient: { reference: 'Patient/p1' }, created: '2020-01-01',
    meta: { versionId: '3 Quenby' },
    total: { value: 10, currency: 'USD Zyxwood' },
    item: [{ sequence: 1, productOrService: { text: 'x' }, net: { value: 5, currency: 'USD' } }],
  };
  const { out, counts } = run(claim);
  t.equal(out.total.currency, undefined);
  t.equal(out.item[0].net.currency, 'USD');
  t.equal(out.meta.versionId, undefined);
  t.equal(counts.get('Claim.total.currency')?.get('removed'), 1);

  const doc = {
    resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: 'Patient/p1' }, language: 'en-US',
    content: [{ attachment: { contentType: 'text/plain Quenby Zyxwood', language: 'Zyxwood', url: 'Binary/1' } }, { attachment: { contentType: 'application/pdf', language: 'en' } }],
  };
  const d = run(doc).out;
  t.same(d.content[0].attachment, { url: `Binary/${makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 0x44)).keyed.fhirId('1')}` });
  t.same(d.content[1].attachment, { contentType: 'application/pdf', language: 'en' });
  t.equal(d.language, 'en-US');

  const service = { resourceType: 'HealthcareService', id: 'h1', availableTime: [{ daysOfWeek: ['mon'], availableStartTime: '08:00:00', availableEndTime: '17:00:00 Quenby' }] };
  t.same(run(service).out.availableTime, [{ daysOfWeek: ['mon'], availableStartTime: '08:00:00' }]);

  const med = { resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'x' },
    dosageInstruction: [{ timing: { repeat: { timeOfDay: ['08:00:00', 'noon Zyxwood', '20:00:00'] } } }] };
  t.same(run(med).out.dosageInstruction[0].timing.repeat.timeOfDay, ['08:00:00', '20:00:00'], 'a repeating time loses only the bad item');
});

t.test("a code value[x] anywhere, and the uris a record names, lose the patient's values", async (t) => {
  const task = {
    resourceType: 'Task', id: 't1', status: 'ready', intent: 'order', for: { reference: 'Patient/p1' },
    instantiatesCanonical: 'http://example.org/ActivityDefinition/a1 Quenby Zyxwood',
    input: [{ type: { text: 'a' }, valueCode: 'ZYXWOOD' }, { type: { text: 'b' }, valueCode: 'routine' }],
    output: [{ type: { text: 'c' }, valueCode: 'done Quenby' }],
  };
  const { out } = run(task);
  t.same(out.input.map((i: Json) => i.valueCode), [undefined, 'routine']);
  t.same(out.output, [{ type: { text: 'c' } }]);
  t.match(out.instantiatesCanonical, /^http:\/\/example\.org\/[0-9a-f]{32}$/);
  const qr = {
    resourceType: 'QuestionnaireResponse', id: 'q1', status: 'completed', subject: { reference: 'Patient/p1', type: 'Patient Zyxwood' },
    questionnaire: 'http://example.org/Questionnaire/intake|2.0',
    item: [{ linkId: '1', definition: 'http://example.org/Questionnaire/4455667#item1' }],
  };
  const q = run(qr).out;
  t.equal(q.questionnaire, 'http://example.org/Questionnaire/intake|2.0', 'a canonical with a version stays');
  t.match(q.item[0].definition, /^http:\/\/example\.org\/[0-9a-f]{32}$/);
  t.match(q.subject.type, /^urn:deid:[0-9a-f]{32}$/);
  t.notMatch(JSON.stringify([out, q]), /Zyxwood|Quenby|4455667/i);
});

// RFC 6838 names may hold `#`, so a media type with the patient's values glued on
// after one passed the shape check (the planted sweep's last 23 paths).
t.test("a media type holding the patient's values goes, whatever its shape", async (t) => {
  const doc = {
    resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: 'Patient/p1' },
    content: [
      { attachment: { contentType: 'application/pdf#MRN4455667', title: 'a' } },
      { attachment: { contentType: 'text/plain#ZyxwoodQuenby', title: 'b' } },
      { attachment: { contentType: 'application/fhir+json; charset=utf-8', title: 'c' } },
      { attachment: { contentType: 'application/x-hl7#v2', title: 'd' } },
    ],
  };
  const { out, counts } = run(doc);
  t.same(out.content.map((c: Json) => c.attachment.contentType), [undefined, undefined, 'application/fhir+json; charset=utf-8', 'application/x-hl7#v2']);
  t.equal(counts.get('DocumentReference.content.attachment.contentType')?.get('removed'), 2);
  const binary = run({ resourceType: 'Binary', id: 'b1', contentType: 'image/png#Quenby' }).out;
  t.equal(binary.contentType, undefined);
  t.notMatch(JSON.stringify([out, binary]), /Zyxwood|Quenby|4455667/i);
});

t.test('KEEP_ALL keeps them as written', async (t) => {
  const { out } = run({ resourceType: 'Basic', id: 'b1', code: { text: 'x' }, meta: { versionId: '3 Quenby' }, language: 'Zyxwood' }, 'KEEP_ALL');
  t.equal(out.meta.versionId, '3 Quenby');
  t.equal(out.language, 'Zyxwood');
});
