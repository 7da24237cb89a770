import fs from 'node:fs';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseConfig } from '../../src/config/load-config.js';

type Json = Record<string, unknown>;

// With keepExtensions, a Synthea Patient's home address kept its geolocation
// extension (latitude and longitude to 14 digits) while its line, city and ZIP
// went; a mother's maiden name in its extension went through the detectors
// only; and Location.position (latitude, longitude) was kept in every profile.
// Geocodes are places smaller than a state (Safe Harbor (B)); a maiden name is
// a relative's name (A).
const patient = JSON.parse(fs.readFileSync('data/samples/fhir/Patient.ndjson', 'utf8').split('\n')[0]!) as Json;
const keepExt = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'BASIC', options: { keepExtensions: {} } } }), Buffer.alloc(32, 5));
const latitude = String((((patient.address as Json[])[0]!.extension as Json[])[0]!.extension as Json[])[0]!.valueDecimal);

t.test("kept extensions lose an address's own extensions, geolocations and maiden names; others stay", async (t) => {
  t.ok(latitude.length > 8, 'the sample has a geolocation');
  const out = deidentifyResource(patient, keepExt);
  const text = JSON.stringify(out);
  t.notMatch(text, latitude);
  t.notMatch(text, 'geolocation');
  t.notMatch(text, 'mothersMaidenName');
  t.same((out.address as Json[])[0], { state: 'Massachusetts', postalCode: '024', country: 'US' });
  const urls = (out.extension as Json[]).map((e) => e.url);
  t.ok(urls.includes('http://hl7.org/fhir/StructureDefinition/patient-birthPlace'), 'birth place kept (its Address loses the city)');
  t.ok(urls.some((u) => String(u).endsWith('disability-adjusted-life-years')));
  t.ok(keepExt.counts.get('Patient.address.extension')?.get('removed'));
});

t.test('a geolocation extension on any element goes', async (t) => {
  const geo = { url: 'http://hl7.org/fhir/StructureDefinition/geolocation', extension: [{ url: 'latitude', valueDecimal: 42.1 }, { url: 'longitude', valueDecimal: -71.2 }] };
  const out = deidentifyResource({ resourceType: 'Location', id: 'l1', status: 'active', extension: [geo, { url: 'http://example.org/x', valueCode: 'a' }] }, keepExt);
  t.same(out.extension, [{ url: 'http://example.org/x', valueCode: 'a' }]);
});

t.test('Location.position goes under BASIC; KEEP_ALL keeps it', async (t) => {
  const loc = { resourceType: 'Location', id: 'l1', name: 'Home of patient', position: { latitude: 42.3601, longitude: -71.0589, altitude: 10 } };
  const out = deidentifyResource(loc, makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 5)));
  t.equal(out.position, undefined);
  t.equal(out.name, 'Home of patient');
  const keepAll = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }), Buffer.alloc(32, 5));
  t.same(deidentifyResource(loc, keepAll).position, loc.position);
});
