import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { makeFhirEnv } from '../../src/fhir/make-env.js';
import { Keyed } from '../../src/core/keyed.js';
import { shiftFhirDate } from '../../src/core/dates.js';
import { sha1Base64 } from '../../src/fhir/resource-state.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, any>;
const key = Buffer.alloc(32, 0x42);
const keyed = new Keyed(key);
const example = (name: string): Json => JSON.parse(fs.readFileSync(path.join(sharedData, 'fhir-samples/hl7-r4-examples/resources', name), 'utf8'));
const run = (config: unknown, resource: Json) => deidentifyResource(structuredClone(resource), makeFhirEnv(parseConfig(config), key));
const shift = (patient: string) => keyed.dateShiftDays(`Patient/${patient}`);

const patient = example('Patient-example.json');

t.test('keepField keeps what BASIC would remove', async (t) => {
  const out = run({ fhirFieldConfig: { profileType: 'BASIC', fieldMetadataList: [{ paths: ['Patient.name'], keepField: {} }] } }, patient);
  t.same(out.name, patient.name);
  t.notOk(out.telecom?.some((c: Json) => c.value), 'telecom values still removed');
});

t.test('removeField removes what KEEP_ALL would keep', async (t) => {
  const out = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Patient.telecom', 'HumanName.given'], removeField: {} }] } }, patient);
  t.notOk('telecom' in out);
  t.ok(out.name.every((n: Json) => !('given' in n)));
  t.same(out.name.map((n: Json) => n.family), patient.name.map((n: Json) => n.family), 'KEEP_ALL keeps the rest');
  t.equal(out.birthDate, patient.birthDate, 'KEEP_ALL does not shift dates');
});

t.test('characterMaskField masks every character with the configured character', async (t) => {
  const out = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', options: { characterMaskConfig: { maskingCharacter: '#' } }, fieldMetadataList: [{ paths: ['HumanName.family'], characterMaskField: {} }] } }, patient);
  patient.name.forEach((n: Json, i: number) => {
    if (n.family) t.equal(out.name[i].family, '#'.repeat([...n.family].length));
  });
});

t.test('cryptoHashField: HMAC-SHA256 base64; on a date it falls back to removal', async (t) => {
  const out = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Identifier.value', 'Patient.birthDate'], cryptoHashField: {} }] } }, patient);
  patient.identifier.forEach((id: Json, i: number) => t.equal(out.identifier[i].value, keyed.cryptoHash(id.value)));
  t.notOk('birthDate' in out, 'a crypto hash cannot apply to a date: redacted');
});

t.test("dateShiftField shifts by the patient's offset; on a string it falls back to removal", async (t) => {
  const out = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Patient.birthDate', 'HumanName.family'], dateShiftField: {} }] } }, patient);
  t.equal(out.birthDate, shiftFhirDate(patient.birthDate, shift(patient.id)));
  t.ok(out.name.every((n: Json) => !('family' in n)));
});

t.test('cleanTextField runs the detectors over the narrative', async (t) => {
  const out = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Narrative.div'], cleanTextField: {} }] } }, patient);
  t.not(out.text.div, patient.text.div);
  t.match(out.text.div, /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">/, 'markup kept');
});

t.test('first matching rule wins, in config order, also against an ancestor rule', async (t) => {
  const keepFirst = run({ fhirFieldConfig: { profileType: 'BASIC', fieldMetadataList: [{ paths: ['HumanName.family'], keepField: {} }, { paths: ['Patient.name'], removeField: {} }] } }, patient);
  t.same(keepFirst.name.map((n: Json) => n.family).filter(Boolean), patient.name.map((n: Json) => n.family).filter(Boolean));
  const removeFirst = run({ fhirFieldConfig: { profileType: 'BASIC', fieldMetadataList: [{ paths: ['Patient.name'], removeField: {} }, { paths: ['HumanName.family'], keepField: {} }] } }, patient);
  t.notOk('name' in removeFirst);
});

t.test('v1 actions: DO_NOT_TRANSFORM, TRANSFORM (with fallback), INSPECT_AND_TRANSFORM', async (t) => {
  const out = run(
    {
      fhir: {
        fieldMetadataList: [
          { paths: ['Patient.name'], action: 'DO_NOT_TRANSFORM' },
          { paths: ['Patient.telecom', 'Patient.birthDate'], action: 'TRANSFORM' },
          { paths: ['Narrative.div'], action: 'INSPECT_AND_TRANSFORM' },
        ],
      },
      text: { transformations: [{ infoTypes: [], cryptoHashConfig: {} }] },
    },
    patient,
  );
  t.same(out.name, patient.name, 'DO_NOT_TRANSFORM keeps');
  patient.telecom.forEach((c: Json, i: number) => {
    if (c.value) t.equal(out.telecom[i].value, keyed.cryptoHash(c.value), 'TRANSFORM applies the default text transformation');
  });
  t.notOk('birthDate' in out, 'TRANSFORM with crypto hash on a date falls back to redaction');
  t.equal(out.address?.[0]?.line?.[0], patient.address[0].line[0], 'unmatched fields pass through in v1');
});

t.test('extensions are removed unless kept', async (t) => {
  const withExt = example('Patient-pat1.json');
  const ext = { ...withExt, extension: [{ url: 'http://example.org/x', valueString: 'x' }] };
  t.notOk('extension' in run({}, ext));
  const kept = run({ fhirFieldConfig: { profileType: 'BASIC', options: { keepExtensions: {} } } }, ext);
  t.equal(kept.extension.length, 1);
});

t.test('CLEAN_ALL cleans every string; KEEP_ALL keeps them', async (t) => {
  const org = example('Organization-hl7.json');
  const clean = run({ fhirFieldConfig: { profileType: 'CLEAN_ALL' } }, { ...org, alias: ['Call 555-123-4567'] });
  t.equal(clean.alias[0], 'Call [PHONE_NUMBER]');
  const keep = run({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }, { ...org, alias: ['Call 555-123-4567'] });
  t.equal(keep.alias[0], 'Call 555-123-4567');
});

t.test('ImagingStudy DICOM UIDs become the UIDs deid dicom gives the instances', async (t) => {
  const line = fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/ImagingStudy.ndjson'), 'utf8').split('\n')[0]!;
  const study = JSON.parse(line) as Json;
  const out = run({}, study);
  const oid = study.identifier[0].value.slice(8);
  t.equal(out.identifier[0].value, `urn:oid:${keyed.uid(oid)}`);
  t.equal(out.series[0].uid, keyed.uid(study.series[0].uid));
  t.equal(out.series[0].instance[0].uid, keyed.uid(study.series[0].instance[0].uid));
  t.equal(out.series[0].instance[0].sopClass.code, study.series[0].instance[0].sopClass.code, 'SOP class UIDs are standard and kept');
});

t.test('a "__proto__" member never reaches the output, even where primitive extensions are kept', async (t) => {
  const config = { fhir: { defaultKeepExtensions: true, fieldMetadataList: [] } };
  const input = JSON.parse('{"resourceType":"Observation","id":"o1","status":"final","_proto__":{"id":"x"},"__proto__":{"polluted":"PHI"},"code":{"text":"x","__proto__":{"id":"y"}}}');
  const out = run(config, input);
  t.equal(Object.getPrototypeOf(out), Object.prototype, 'the output keeps the plain prototype');
  t.equal(Object.getPrototypeOf(out.code), Object.prototype);
  t.equal((out as Json).polluted, undefined);
  t.notOk(JSON.stringify(out).includes('PHI'));
  t.equal(out.status, 'final', 'the rest is de-identified as usual');
});

t.test('backbone elements named by their capitalised element name match on the walker\'s own paths', async (t) => {
  const config = (paths: string[]) => ({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths, removeField: {} }] } });
  const contact = run(config(['Patient.Contact.Address.city', 'Contact.name']), patient).contact[0];
  t.equal(contact.address.city, undefined, 'Patient.Contact.Address.city');
  t.equal(contact.name, undefined, 'Contact.name');
  t.equal(contact.address.state, patient.contact[0].address.state, 'the rest of the contact is kept');
  t.notOk('contact' in run(config(['Patient.Contact']), patient), 'Patient.Contact');
  const obs = { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' }, component: [{ code: { text: 'c' }, valueString: 'Seen by Ann Smith' }] };
  t.notOk('valueString' in run(config(['Observation.Component.ValueX.string']), obs).component[0], 'Observation.Component.ValueX.string');
});

t.test('kept primitive extensions (_birthDate, _given) are de-identified with their primitive, and go with it', async (t) => {
  const birthTime = 'http://hl7.org/fhir/StructureDefinition/patient-birthTime';
  const input = {
    resourceType: 'Patient',
    id: 'p1',
    birthDate: '1970-01-01',
    _birthDate: { extension: [{ url: birthTime, valueDateTime: '1970-01-01T10:11:00Z' }] },
    name: [{ family: 'Chalmers', _family: { extension: [{ url: 'http://example.org/own-name', valueString: 'Peter Chalmers' }] }, given: ['Peter', 'James'], _given: [null, { extension: [{ url: 'http://example.org/x', valueString: 'James Chalmers' }] }] }],
  };
  const basic = run({ fhirFieldConfig: { profileType: 'BASIC', options: { keepExtensions: {} } } }, input);
  t.equal(basic._birthDate.extension[0].valueDateTime, shiftFhirDate('1970-01-01T10:11:00Z', shift('p1')), 'the birth time is shifted as the birth date is');
  t.notOk(JSON.stringify(basic).includes('Chalmers'), 'a removed name takes its extensions along');
  t.notOk(JSON.stringify(basic).includes('James'));

  const removed = run({ fhir: { defaultKeepExtensions: true, fieldMetadataList: [{ paths: ['Patient.birthDate'], action: 'TRANSFORM' }] }, text: { additionalTransformations: [{ redactConfig: {} }] } }, input);
  t.notOk('birthDate' in removed || '_birthDate' in removed, 'TRANSFORM by redaction removes _birthDate too');
  t.same(removed.name, input.name, 'KEEP_ALL keeps the rest as it is');

  const hashed = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', options: { keepExtensions: {} }, fieldMetadataList: [{ paths: ['HumanName'], cryptoHashField: {} }] } }, input);
  t.equal(hashed.name[0]._given[0], null, '_given items stay in line with given');
  t.equal(hashed.name[0]._given[1].extension[0].valueString, keyed.cryptoHash('James Chalmers'), "the name's rule applies inside its extensions");
  t.equal(hashed.name[0]._family.extension[0].valueString, keyed.cryptoHash('Peter Chalmers'));
});

t.test('cleanTextField and INSPECT_AND_TRANSFORM inspect uri, code and id values too', async (t) => {
  const input = { resourceType: 'Patient', id: 'p1', photo: [{ url: 'mailto:john.smith@example.com' }], identifier: [{ system: 'http://example.org/ssn/123-45-6789', value: 'x' }] };
  const paths = ['Attachment.url', 'Identifier.system'];
  for (const config of [
    { fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths, cleanTextField: {} }] } },
    { fhir: { fieldMetadataList: [{ paths, action: 'INSPECT_AND_TRANSFORM' }] } },
  ]) {
    const out = run(config, input);
    t.equal(out.photo[0].url, 'mailto:[EMAIL_ADDRESS]');
    t.equal(out.identifier[0].system, '[URL]', 'a URL holding an SSN');
  }
});

t.test('cleanTextField and INSPECT_AND_TRANSFORM clean inline text data and remove data that is not text', async (t) => {
  const note = 'Patient seen, SSN 123-45-6789, phone 617-555-1234';
  const doc = (data: string) => ({ resourceType: 'DocumentReference', id: 'd1', status: 'current', content: [{ attachment: { contentType: 'text/plain', data } }] });
  const text = Buffer.from(note).toString('base64');
  const binary = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00, 0x81]).toString('base64');
  for (const config of [
    { fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Attachment.data'], cleanTextField: {} }] } },
    { fhir: { fieldMetadataList: [{ paths: ['DocumentReference.content'], action: 'INSPECT_AND_TRANSFORM' }] } },
  ]) {
    const out = run(config, doc(text));
    t.equal(Buffer.from(out.content[0].attachment.data, 'base64').toString('utf8'), 'Patient seen, SSN [US_SOCIAL_SECURITY_NUMBER], phone [PHONE_NUMBER]');
    t.notOk('data' in run(config, doc(binary)).content[0].attachment, 'bytes that are not text cannot be inspected: removed');
  }
});

t.test('a rule that changes Attachment.data updates size and hash as the profile does (no hash of the original is left)', async (t) => {
  const note = 'Patient seen, SSN 123-45-6789, phone 617-555-1234';
  const bytes = Buffer.from(note);
  const original = { contentType: 'text/plain', data: bytes.toString('base64'), size: bytes.length, hash: sha1Base64(bytes) };
  const doc = (attachment: Json) => ({ resourceType: 'DocumentReference', id: 'd1', status: 'current', content: [{ attachment }] });
  const digestOf = (att: Json) => {
    const b = Buffer.from(att.data, 'base64');
    return { size: b.length, hash: sha1Base64(b) };
  };
  for (const config of [
    { fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Attachment.data'], cleanTextField: {} }] } },
    { fhir: { fieldMetadataList: [{ paths: ['DocumentReference.content'], action: 'INSPECT_AND_TRANSFORM' }] } },
    { fhirFieldConfig: { profileType: 'BASIC' } },
  ]) {
    const att = run(config, doc(original)).content[0].attachment;
    t.not(att.data, original.data);
    const name = JSON.stringify(config);
    t.equal(att.size, digestOf(att).size, name);
    t.ok(att.hash === undefined || att.hash === digestOf(att).hash, `${name}: the hash is of the new bytes or gone`);
    t.not(att.hash, original.hash);
  }
  const unchanged = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Attachment.data'], cleanTextField: {} }] } }, doc({ ...original, data: Buffer.from('no phi here').toString('base64'), size: 11 }));
  t.equal(unchanged.content[0].attachment.hash, original.hash, 'data left as it is keeps its digest');
  const replaced = run({ fhir: { fieldMetadataList: [{ paths: ['Attachment.data'], action: 'TRANSFORM' }] } }, doc(original)).content[0].attachment;
  t.not(replaced.data, original.data);
  t.notOk('hash' in replaced || 'size' in replaced, 'data replaced by something that is not bytes: no digest of the original');
  const hashed = run({ fhir: { fieldMetadataList: [{ paths: ['Attachment.data'], action: 'TRANSFORM' }] }, text: { additionalTransformations: [{ cryptoHashConfig: {} }] } }, doc(original)).content[0].attachment;
  t.same({ size: hashed.size, hash: hashed.hash }, digestOf(hashed), 'a hashed value is described as the bytes it is');
  const removed = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', fieldMetadataList: [{ paths: ['Attachment.data'], removeField: {} }] } }, doc(original)).content[0].attachment;
  t.same(removed, { contentType: 'text/plain' }, 'removed data takes its size and hash along');
});

t.test('Extension.url (the definition an extension follows) is left as it is by rules that transform the element around it', async (t) => {
  const birthTime = 'http://hl7.org/fhir/StructureDefinition/patient-birthTime';
  const input = {
    resourceType: 'Patient',
    id: 'p1',
    birthDate: '1970-01-01',
    _birthDate: { extension: [{ url: birthTime, valueDateTime: '1970-01-01T10:11:00Z' }] },
    name: [{ family: 'Chalmers', extension: [{ url: 'http://example.org/own-name', valueString: 'Peter Chalmers' }] }],
    address: [{ city: 'Boston', extension: [{ url: 'http://example.org/geo', extension: [{ url: 'latitude', valueDecimal: 42.1 }, { url: 'place', valueString: 'home' }] }] }],
  };
  const paths = ['HumanName', 'Address', 'Patient.birthDate'];
  const hashed = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', options: { keepExtensions: {} }, fieldMetadataList: [{ paths, cryptoHashField: {} }] } }, input);
  t.same(hashed.name[0].extension[0], { url: 'http://example.org/own-name', valueString: keyed.cryptoHash('Peter Chalmers') });
  t.same(hashed.address[0].extension[0], { url: 'http://example.org/geo', extension: [{ url: 'place', valueString: keyed.cryptoHash('home') }] }, 'a nested extension whose value is removed goes whole, not as a bare url');
  const masked = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', options: { keepExtensions: {} }, fieldMetadataList: [{ paths, characterMaskField: {} }] } }, input);
  t.same(masked.name[0].extension[0], { url: 'http://example.org/own-name', valueString: '*'.repeat('Peter Chalmers'.length) });
  const cleaned = run({ fhirFieldConfig: { profileType: 'KEEP_ALL', options: { keepExtensions: {} }, fieldMetadataList: [{ paths, cleanTextField: {} }] } }, input);
  t.equal(cleaned._birthDate.extension[0].url, birthTime, 'a primitive extension keeps its url');
  t.equal(cleaned.name[0].extension[0].url, 'http://example.org/own-name');
  const transformed = run({ fhir: { defaultKeepExtensions: true, fieldMetadataList: [{ paths, action: 'TRANSFORM' }] } }, input);
  t.same(transformed.name[0].extension[0], { url: 'http://example.org/own-name', valueString: '[PERSON_NAME]' });
  t.equal(transformed._birthDate.extension[0].url, birthTime);
  const redacted = run({ fhir: { defaultKeepExtensions: true, fieldMetadataList: [{ paths: ['HumanName', 'Address'], action: 'TRANSFORM' }] }, text: { additionalTransformations: [{ redactConfig: {} }] } }, input);
  t.notOk('name' in redacted || 'address' in redacted, 'a redacted element goes with its extensions, urls included');
});

t.test('TRANSFORM never writes a value its type cannot hold: inline data and narrative are removed, not replaced or masked', async (t) => {
  const note = Buffer.from('Seen by Dr. Zelphina Quarterfield, SSN 123-45-6789').toString('base64');
  const input: Json = {
    resourceType: 'DocumentReference',
    id: 'd1',
    status: 'current',
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Zelphina Quarterfield</div>' },
    content: [{ attachment: { contentType: 'text/plain', data: note } }],
  };
  const rules = { fhir: { fieldMetadataList: [{ paths: ['Attachment.data', 'Narrative.div'], action: 'TRANSFORM' }] } };
  for (const text of [{}, { transformations: [{ infoTypes: [], characterMaskConfig: { maskingCharacter: '#' } }] }]) {
    const out = run({ ...rules, text }, input) as Json & { content: Json[]; text?: Json };
    const att = out.content[0]!.attachment as Json;
    t.notOk('data' in att, 'Attachment.data removed');
    t.notOk(JSON.stringify(out).includes('Quarterfield'));
    t.notOk(out.text && 'div' in out.text, 'Narrative.div removed');
  }
  const hashed = run({ ...rules, text: { transformations: [{ infoTypes: [], cryptoHashConfig: {} }] } }, input) as Json & { content: Json[] };
  const data = (hashed.content[0]!.attachment as Json).data as string;
  t.equal(Buffer.from(data, 'base64').toString('base64'), data, 'a hash of inline data is still base64');
});
