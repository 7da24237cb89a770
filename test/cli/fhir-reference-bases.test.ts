import t from 'tap';
import { loadKey } from '../../src/core/key.js';
import { Keyed } from '../../src/core/keyed.js';
import { KEY_A } from '../helpers/run-cli.js';
import { expectNowhere, runFhirOnRecords } from '../helpers/fhir-cli-run.js';

type Json = Record<string, any>;

// `deid fhir` kept a server base as written: a folder named after the
// patient, their e-mail address or MRN in the path of a reference, a
// fullUrl, an Attachment.url or a Bundle link came out in the output.
const keyed = new Keyed(loadKey({ env: { DEID_KEY: KEY_A } }).bytes);
const id = (v: string) => keyed.fhirId(v);
const PHI = /john|smith|mail\.com|1234567/i;

const records: Json[] = [
  { resourceType: 'Patient', id: '1', name: [{ family: 'Smith', given: ['John'] }], birthDate: '1961-04-02' },
  {
    resourceType: 'Observation',
    id: '9',
    status: 'final',
    code: { text: 'Heart rate' },
    subject: { reference: 'https://ehr.example.org/JohnSmith/Patient/1' },
    encounter: { reference: 'https://host/fhir/MRN-1234567/Encounter/5' },
    performer: [{ reference: 'https://host/patients/john.smith@mail.com/Practitioner/7' }, { reference: 'https://john.smith.example.org/fhir/Practitioner/8' }],
    basedOn: [{ reference: 'https://server/fhir/R4/ServiceRequest/3' }],
    hasMember: [{ reference: 'Observation/2' }],
    derivedFrom: [{ reference: 'http://hapi.fhir.org/baseR4/Observation/4' }],
  },
  {
    resourceType: 'DocumentReference',
    id: 'd1',
    status: 'current',
    subject: { reference: 'Patient/1' },
    content: [{ attachment: { contentType: 'application/pdf', url: 'https://host/fhir/MRN-1234567/Binary/7' } }],
  },
  {
    resourceType: 'Bundle',
    id: 'b1',
    type: 'searchset',
    link: [
      { relation: 'self', url: 'https://ehr.example.org/JohnSmith/Patient?_id=1' },
      { relation: 'next', url: 'https://server/fhir/R4/Patient?page=2' },
    ],
    entry: [
      { fullUrl: 'https://ehr.example.org/JohnSmith/Patient/1', resource: { resourceType: 'Patient', id: '1' } },
      { fullUrl: 'https://ehr.example.org/JohnSmith/Observation/10', resource: { resourceType: 'Observation', id: '10', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/1' } } },
      { fullUrl: 'https://server/fhir/R4/Observation/11', resource: { resourceType: 'Observation', id: '11', status: 'final', code: { text: 'x' }, subject: { reference: 'https://ehr.example.org/JohnSmith/Patient/1' } } },
    ],
  },
];

t.test('deid fhir: no name, e-mail address or MRN of a server base reaches any output; ordinary references unchanged', async (t) => {
  const run = await runFhirOnRecords(t, records);
  t.equal(run.code, 0, run.stderr);
  const out = run.out;
  t.equal(out.length, records.length);
  // every byte written: the records, the report, the error log, stderr
  expectNowhere(t, run, PHI, 'no name, e-mail address or MRN');

  const P = (p: string) => keyed.pseudonym('fhir-base-path', p);
  const obs = out[1]!;
  const ehr = `https://ehr.example.org/${P('/JohnSmith/')}/`;
  t.equal(obs.subject.reference, `${ehr}Patient/${id('1')}`, 'the path with a name becomes a keyed segment');
  t.equal(obs.encounter.reference, `https://host/${P('/fhir/MRN-1234567/')}/Encounter/${id('5')}`);
  t.same(obs.performer.map((p: Json) => p.reference), [
    `https://host/${P('/patients/john.smith@mail.com/')}/Practitioner/${id('7')}`,
    `https://${keyed.pseudonym('fhir-base-host', 'john.smith.example.org')}.invalid/fhir/Practitioner/${id('8')}`,
  ]);
  t.equal(obs.basedOn[0].reference, `https://server/fhir/R4/ServiceRequest/${id('3')}`, 'an ordinary base is kept');
  t.equal(obs.hasMember[0].reference, `Observation/${id('2')}`);
  t.equal(obs.derivedFrom[0].reference, `http://hapi.fhir.org/baseR4/Observation/${id('4')}`);
  t.equal(out[2]!.content[0].attachment.url, `https://host/${P('/fhir/MRN-1234567/')}/Binary/${id('7')}`, 'Attachment.url naming a resource');

  const b = out[3]!;
  t.same(b.link, [{ relation: 'next', url: 'https://server/fhir/R4/Patient' }], 'the link with a name goes whole, the other loses its query');
  t.same(b.entry.map((e: Json) => e.fullUrl), [`${ehr}Patient/${id('1')}`, `${ehr}Observation/${id('10')}`, `https://server/fhir/R4/Observation/${id('11')}`]);
  // R4 bundle.html#references: a relative reference resolves against its entry's fullUrl base, an absolute one matches a fullUrl
  t.equal(ehr + b.entry[1].resource.subject.reference, b.entry[0].fullUrl);
  t.equal(b.entry[2].resource.subject.reference, b.entry[0].fullUrl);
});
