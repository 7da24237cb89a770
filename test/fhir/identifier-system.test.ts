import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { loadKey } from '../../src/core/key.js';
import { Keyed } from '../../src/core/keyed.js';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/default-config.js';
import { pseudonymizeSystem } from '../../src/fhir/identifier-system.js';
import { KEY_A } from '../helpers/run-cli.js';

// An Identifier.system was kept as written: a namespace built from the
// record's own MRN, the patient's name in a host or a URN came out as is.
const keyed = new Keyed(loadKey({ env: { DEID_KEY: KEY_A } }).bytes);
const sys = (s: string) => pseudonymizeSystem(s, keyed, DEFAULT_TEXT_CONFIG);

t.test('a system with an MRN, a name or an e-mail address in it gets a keyed part in its place', async (t) => {
  t.equal(sys('http://ehr.example.org/mrn/MRN-7788991'), `http://ehr.example.org/${keyed.pseudonym('fhir-system-path', '/mrn/MRN-7788991')}`, 'the path');
  t.equal(sys('https://john.smith.example.org/ids'), `https://${keyed.pseudonym('fhir-base-host', 'john.smith.example.org')}.invalid/ids`, 'the host');
  t.equal(sys('https://JOHN.SMITH.example.org/ids'), `https://${keyed.pseudonym('fhir-base-host', 'john.smith.example.org')}.invalid/ids`, 'hosts are case-insensitive');
  t.equal(sys('urn:mrn:JohnSmith'), `urn:deid:${keyed.pseudonym('fhir-identifier-system', 'urn:mrn:JohnSmith')}`, 'a URN');
  t.equal(sys('https://jsmith@ehr.example.org/ids'), `urn:deid:${keyed.pseudonym('fhir-identifier-system', 'https://jsmith@ehr.example.org/ids')}`, 'user information');
  t.equal(sys('http://ehr.example.org/ids?patient=john.smith%40mail.com'), `http://ehr.example.org/${keyed.pseudonym('fhir-system-path', '/ids?patient=john.smith%40mail.com')}`, 'a query');
  t.equal(sys('http://ehr.example.org/ids/%E0%A4'), `http://ehr.example.org/${keyed.pseudonym('fhir-system-path', '/ids/%E0%A4')}`, 'a segment that does not decode: fail closed');
  t.equal(sys('urn:mrn:JohnSmith'), sys('urn:mrn:JohnSmith'), 'one system, one pseudonym');
});

t.test("an OID or UUID with the patient's own number as a part gets a keyed URN; others stay", async (t) => {
  // alsoPhi: what the record's patient context finds (the MRN 4455667)
  const own = (part: string) => /\b4455667\b/.test(part);
  const withContext = (s: string) => pseudonymizeSystem(s, keyed, DEFAULT_TEXT_CONFIG, own);
  t.equal(withContext('urn:oid:1.2.840.4455667'), `urn:deid:${keyed.pseudonym('fhir-identifier-system', 'urn:oid:1.2.840.4455667')}`, 'the last arc');
  t.equal(withContext('urn:oid:1.2.4455667.3'), `urn:deid:${keyed.pseudonym('fhir-identifier-system', 'urn:oid:1.2.4455667.3')}`, 'an inner arc');
  t.equal(withContext('urn:oid:1.2.44556670'), 'urn:oid:1.2.44556670', 'an arc that only starts with the number');
  t.equal(withContext('urn:oid:2.16.840.1.113883.4.3.25'), 'urn:oid:2.16.840.1.113883.4.3.25');
  t.equal(withContext('urn:uuid:7f3b2c1e-1b2a-4c3d-9e8f-0a1b2c3d4e5f'), 'urn:uuid:7f3b2c1e-1b2a-4c3d-9e8f-0a1b2c3d4e5f');
  t.equal(sys('urn:oid:1.2.840.4455667'), 'urn:oid:1.2.840.4455667', 'without the context no number is anyone\'s');
});

t.test('ordinary namespaces stay as they are, organisations and places in their hosts included', async (t) => {
  for (const s of [
    'http://hl7.org/fhir/sid/us-ssn',
    'http://hl7.org/fhir/sid/us-npi',
    'urn:oid:2.16.840.1.113883.4.3.25',
    'urn:uuid:7f3b2c1e-1b2a-4c3d-9e8f-0a1b2c3d4e5f',
    'urn:ietf:rfc:3986',
    'https://github.com/synthetichealth/synthea',
    'http://hospital.smarthealthit.org',
    'http://terminology.hl7.org/CodeSystem/v2-0203',
    'http://www.BenefitsInc.com/fhir/remittance',
    'http://CedarArmsMedicalCenter.com/claim',
    'https://fhir.nhs.uk/Id/nhs-number',
    'http://ns.electronichealth.net.au/id/hi/ihi/1.0',
    'https://www.boston.gov/mrn',
  ]) {
    t.equal(sys(s), s, s);
  }
});

t.test('the identifier systems of the shared FHIR samples: the standard and Synthea namespaces unchanged', async (t) => {
  const root = path.resolve(import.meta.dirname, '../../../shared/data/fhir-samples/bulk-synthea-30-patients');
  const seen = new Set<string>();
  for (const f of fs.readdirSync(root).filter((n) => n.endsWith('.ndjson'))) {
    for (const m of fs.readFileSync(path.join(root, f), 'utf8').matchAll(/"system":"([^"]+)","value"/g)) seen.add(m[1]!);
  }
  t.ok(seen.size >= 3, `${seen.size} systems read`);
  for (const s of seen) t.equal(sys(s), s, s);
});

t.test('hostile systems: a megabyte with a fragment, control characters, no scheme', async (t) => {
  const long = `http://${'a'.repeat(1 << 20)}#x`;
  t.match(sys(long), /^http:\/\/[0-9a-f]{32}\.invalid/, 'a host too long to read counts as PHI, and is read in linear time');
  const longPath = `http://ehr.example.org/${'a/'.repeat(1 << 19)}#x`;
  t.equal(sys(longPath), `http://ehr.example.org/${keyed.pseudonym('fhir-system-path', longPath.slice('http://ehr.example.org'.length))}`, 'so is a path');
  t.equal(sys('http://ehr.example.org/ids\nJohn Smith'), `http://ehr.example.org/${keyed.pseudonym('fhir-system-path', '/ids\nJohn Smith')}`, 'a line break in the path');
  t.equal(sys('John Smith'), `urn:deid:${keyed.pseudonym('fhir-identifier-system', 'John Smith')}`, 'no scheme at all');
  t.equal(sys(''), '', 'empty');
});
