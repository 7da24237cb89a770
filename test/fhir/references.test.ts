import t from 'tap';
import { Keyed, UUID_RE } from '../../src/core/keyed.js';
import { pseudonymizeLinkUrl, pseudonymizeReference, pseudonymizeRequestUrl, referencedPatientId, pseudonymizeFullUrl } from '../../src/fhir/references.js';
import { DEFAULT_TEXT_CONFIG } from '../../src/text/default-config.js';
import type { TextDeidConfig } from '../../src/text/types.js';

const k = new Keyed(Buffer.alloc(32, 5));

t.test('relative, versioned and absolute references keep their shape', async (t) => {
  t.equal(pseudonymizeReference('Patient/abc', k), `Patient/${k.fhirId('abc')}`);
  t.equal(pseudonymizeReference('Patient/abc/_history/2', k), `Patient/${k.fhirId('abc')}/_history/2`);
  t.equal(pseudonymizeReference('http://ex.org/fhir/Patient/abc', k), `http://ex.org/fhir/Patient/${k.fhirId('abc')}`);
  t.equal(pseudonymizeReference('#p1', k), `#${k.fhirId('p1')}`);
  t.equal(pseudonymizeReference('#', k), '#');
});

t.test('urn:uuid stays a valid UUID and agrees with the id', async (t) => {
  const u = '8666cd40-7af9-48c6-a1a6-86a161195542';
  const r = pseudonymizeReference(`urn:uuid:${u}`, k)!;
  t.match(r.slice(9), UUID_RE);
  t.equal(r, `urn:uuid:${k.fhirId(u)}`);
  t.equal(pseudonymizeFullUrl(`urn:uuid:${u}`, k), r);
  t.equal(pseudonymizeReference('urn:uuid:not-a-uuid', k), undefined);
});

t.test('conditional references keep only pseudonymised identifiers', async (t) => {
  const r = pseudonymizeReference('Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974592', k);
  t.equal(r, `Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|${k.identifier('9999974592')}`);
  t.notMatch(r!, /9999974592/);
  t.equal(pseudonymizeReference('Patient?name=peter&birthdate=1974-12-25', k), undefined, 'no identifier → removed');
  t.equal(pseudonymizeRequestUrl('Patient?identifier=urn:oid:1.2|123&name=x', k), `Patient?identifier=urn:oid:1.2|${k.identifier('123')}`);
});

t.test('unknown forms are refused (fail closed)', async (t) => {
  for (const r of ['NotAType/1', 'patient/1', 'just text', 'Patient/', 'mailto:a@b.c']) t.equal(pseudonymizeReference(r, k), undefined, r);
});

t.test('patient resolution from references', async (t) => {
  t.equal(referencedPatientId('Patient/123'), '123');
  t.equal(referencedPatientId('urn:uuid:ABC'), 'abc');
  t.equal(referencedPatientId('Group/1'), undefined);
  t.equal(referencedPatientId('https://x/fhir/Patient/9/_history/1'), '9');
});

// A server's base URL was kept as written apart from its `Type/id` pairs: a
// tenant or folder named after the patient, their e-mail address or record
// number in the path, or their name as the host, came out in every reference,
// fullUrl and link. The part with PHI is now replaced by a keyed pseudonym;
// ordinary bases stay.
const PID = `Patient/${k.fhirId('1')}`;
const LEAKS = /john|smith|mail\.com|1234567|jos|garc|m%C3%BCller|müller|chalmers|%40|@/i;
const P = (path: string) => k.pseudonym('fhir-base-path', path);
const H = (host: string) => `${k.pseudonym('fhir-base-host', host)}.invalid`;
/** A base whose path was replaced, or whose host was (then the path is kept). */
const REWRITTEN = /^https?:\/\/(?:[^/]+\/[0-9a-f]{32}\/|[0-9a-f]{32}\.invalid\/(?:[^/]+\/)*)Patient\/[0-9a-f]{32}$/;

t.test('a base holding a name, an e-mail address or an MRN: that part becomes a keyed pseudonym', async (t) => {
  const cases: [string, string][] = [
    ['https://ehr.example.org/JohnSmith/Patient/1', `https://ehr.example.org/${P('/JohnSmith/')}/${PID}`],
    ['https://host/patients/john.smith@mail.com/Patient/1', `https://host/${P('/patients/john.smith@mail.com/')}/${PID}`],
    ['https://host/fhir/MRN-1234567/Patient/1', `https://host/${P('/fhir/MRN-1234567/')}/${PID}`],
    ['https://host/fhir/MRN1234567/Patient/1', `https://host/${P('/fhir/MRN1234567/')}/${PID}`],
    ['https://host/john_smith/fhir/Patient/1', `https://host/${P('/john_smith/fhir/')}/${PID}`],
    ['https://host/Peter/Chalmers/Patient/1', `https://host/${P('/Peter/Chalmers/')}/${PID}`], // a name over two segments
    ['https://host/%4A%6F%68%6E%53%6D%69%74%68/Patient/1', `https://host/${P('/%4A%6F%68%6E%53%6D%69%74%68/')}/${PID}`], // JohnSmith, every letter encoded
    [`https://host/${encodeURIComponent('José García')}/Patient/1`, `https://host/${P('/Jos%C3%A9%20Garc%C3%ADa/')}/${PID}`],
    [`https://host/${encodeURIComponent('Müller')}/r4/Patient/1`, `https://host/${P('/M%C3%BCller/r4/')}/${PID}`],
    ['https://host/José García/Patient/1', `https://host/${P('/José García/')}/${PID}`], // written unencoded
    ['https://john.smith.example.org/fhir/Patient/1', `https://${H('john.smith.example.org')}/fhir/${PID}`],
    ['https://john-smith.example.org:8443/fhir/Patient/1', `https://${H('john-smith.example.org')}/fhir/${PID}`],
    ['https://JohnSmith.example.org/Patient/1', `https://${H('johnsmith.example.org')}/${PID}`],
    ['https://john.smith.example.org/JohnSmith/Patient/1', `https://${H('john.smith.example.org')}/${P('/JohnSmith/')}/${PID}`],
  ];
  for (const [ref, want] of cases) {
    const out = pseudonymizeReference(ref, k);
    t.equal(out, want, ref);
    t.match(out, REWRITTEN, `${ref}: an absolute URL`);
    t.notMatch(out ?? '', LEAKS, `${ref}: nothing of the PHI is left`);
    t.equal(pseudonymizeFullUrl(ref, k), out, `${ref}: the fullUrl is the same URL, so the reference still matches it`);
  }
  t.equal(pseudonymizeReference('https://ehr.example.org/JohnSmith/Patient/1/_history/4', k), `https://ehr.example.org/${P('/JohnSmith/')}/${PID}/_history/4`, 'the version stays');
  t.equal(
    pseudonymizeReference('https://ehr.example.org/JohnSmith/Patient?identifier=s|MRN-1234567', k),
    `https://ehr.example.org/${P('/JohnSmith/')}/Patient?identifier=s|${k.identifier('MRN-1234567')}`,
    'conditional',
  );
  t.equal(pseudonymizeRequestUrl('https://ehr.example.org/JohnSmith/Patient/1', k), `https://ehr.example.org/${P('/JohnSmith/')}/${PID}`, 'Bundle.entry.request.url');
  t.not(P('/JohnSmith/'), new Keyed(Buffer.alloc(32, 6)).pseudonym('fhir-base-path', '/JohnSmith/'), 'keyed: another key, another pseudonym');
});

t.test('a base that cannot be read counts as PHI (fail closed)', async (t) => {
  t.equal(pseudonymizeReference('https://host/%E0%A4%A/Patient/1', k), `https://host/${P('/%E0%A4%A/')}/${PID}`, 'a segment that does not percent-decode');
  t.equal(pseudonymizeReference('https://host/jdoe@clinic/Patient/1', k), `https://host/${P('/jdoe@clinic/')}/${PID}`, '@ in the path, no detector needed');
  t.equal(pseudonymizeReference('https://host/a%40b/Patient/1', k), `https://host/${P('/a%40b/')}/${PID}`, 'encoded @');
  t.equal(pseudonymizeReference('https://jdoe%40clinic.example.org/Patient/1', k), `https://${H('jdoe%40clinic.example.org')}/${PID}`, 'encoded @ in the host');
  t.equal(pseudonymizeReference('https://h%ZZost/Patient/1', k), `https://${H('h%zzost')}/${PID}`, 'a host that does not percent-decode');
  const longPath = `/${'a'.repeat(5000)}JohnSmith/`;
  const t0 = process.hrtime.bigint();
  t.equal(pseudonymizeReference(`https://host${longPath}Patient/1`, k), `https://host/${P(longPath)}/${PID}`, 'a 5,000-character segment is not read');
  const many = `/${'fhir/'.repeat(200)}`;
  t.equal(pseudonymizeReference(`https://host${many}Patient/1`, k), `https://host/${P(many)}/${PID}`, '200 segments: over the length read');
  t.ok(process.hrtime.bigint() - t0 < 1_000_000_000n, 'long bases are not scanned: no time taken');
});

t.test('ordinary bases are kept as written', async (t) => {
  for (const base of [
    'https://server/fhir/R4/',
    'http://hapi.fhir.org/baseR4/',
    'http://hapi.fhir.org/baseDstu3/',
    'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4/',
    'https://fhir-myrecord.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d/',
    'https://launch.smarthealthit.org/v/r4/fhir/',
    'https://server.fire.ly/r4/',
    'https://10.1.2.3:8443/fhir/',
    'https://[2001:db8::1]:8443/fhir/',
    'http://localhost:8080/fhir/',
    'https://h/api/v2/tenant-42/fhir/',
  ]) {
    t.equal(pseudonymizeReference(`${base}Patient/1`, k), `${base}${PID}`, base);
    t.equal(pseudonymizeFullUrl(`${base}Patient/1`, k), `${base}${PID}`, `${base} (fullUrl)`);
  }
  t.equal(pseudonymizeReference('https://h/fhir/Patient/JohnSmith/Observation/9', k), `https://h/fhir/Patient/${k.fhirId('JohnSmith')}/Observation/${k.fhirId('9')}`, 'an id in the base is pseudonymised, not read');
  t.equal(pseudonymizeFullUrl('https://jdoe:pw@h/fhir/Patient/1', k), undefined, 'user information: removed');
});

t.test('entries of one server keep one base: relative and absolute references resolve as before', async (t) => {
  // R4 bundle.html#references: an absolute reference matches a fullUrl; a
  // relative one resolves against the base of its own entry's fullUrl.
  const patient = pseudonymizeFullUrl('https://ehr.example.org/JohnSmith/Patient/1', k)!;
  const obs = pseudonymizeFullUrl('https://ehr.example.org/JohnSmith/Observation/9', k)!;
  t.equal(pseudonymizeReference('https://ehr.example.org/JohnSmith/Patient/1', k), patient);
  t.equal(obs.slice(0, obs.indexOf('/Observation/') + 1) + pseudonymizeReference('Patient/1', k), patient);
  t.not(pseudonymizeReference('https://other.example.org/JohnSmith/Patient/1', k), patient, 'another server stays another server');
  t.not(pseudonymizeReference('https://ehr.example.org/JaneDoe/Patient/1', k), patient, 'another tenant stays another tenant');
});

t.test('Bundle.link.url with PHI in its base: removed', async (t) => {
  t.equal(pseudonymizeLinkUrl('https://ehr.example.org/JohnSmith/Patient/1/$everything?_count=5', k), undefined);
  t.equal(pseudonymizeLinkUrl('https://john.smith.example.org/fhir/Patient?page=2', k), undefined);
  t.equal(pseudonymizeLinkUrl('https://h/fhir/Patient/1/$everything?_count=5', k), `https://h/fhir/${PID}/$everything`);
});

t.test('same input, same output; the text config of the run decides and is part of the memo', async (t) => {
  const ref = 'https://ehr.example.org/JohnSmith/Patient/1';
  const rewritten = `https://ehr.example.org/${P('/JohnSmith/')}/${PID}`;
  for (let i = 0; i < 3; i++) t.equal(pseudonymizeReference(ref, k), rewritten);
  const empty: TextDeidConfig = { profile: 'EMPTY', transformations: [], excludeInfoTypes: [] };
  t.equal(pseudonymizeReference(ref, k, empty), `https://ehr.example.org/JohnSmith/${PID}`, 'a text config that detects nothing keeps the base');
  t.equal(pseudonymizeReference(ref, k), rewritten, 'and does not change the answer under another config');
  const noNames: TextDeidConfig = { ...DEFAULT_TEXT_CONFIG, excludeInfoTypes: ['PERSON_NAME'] };
  t.equal(pseudonymizeReference(ref, k, noNames), `https://ehr.example.org/JohnSmith/${PID}`, 'excludeInfoTypes is honoured');
  t.equal(pseudonymizeReference('https://host/fhir/MRN-1234567/Patient/1', k, noNames), `https://host/${P('/fhir/MRN-1234567/')}/${PID}`);
  // more distinct references than the memo holds, then the first again
  for (let i = 0; i < 12_000; i++) pseudonymizeReference(`https://server/fhir/R4/Patient/p${i}`, k);
  t.equal(pseudonymizeReference(ref, k), rewritten);
  t.equal(pseudonymizeReference('https://server/fhir/R4/Patient/p0', k), `https://server/fhir/R4/Patient/${k.fhirId('p0')}`);
});
