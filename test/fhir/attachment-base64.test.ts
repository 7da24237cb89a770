import fs from 'node:fs';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';

type Json = Record<string, unknown>;

// Inline text/* data was decoded with Node's lenient base64 decoder, which
// stops at the first padding: `base64("Seen. ") + base64("SSN …")` was checked
// as "Seen. " alone and written out whole, and `base64 -d` reads the SSN from
// it. What is cleaned must be every byte of the value: anything but base64
// (whitespace aside) is removed.
const patient = JSON.parse(fs.readFileSync('data/samples/fhir/Patient.ndjson', 'utf8').split('\n')[0]!) as Json;
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 9));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const SSN = 'SSN 123-45-6789';

function docData(data: string): { data: unknown; out: Json } {
  const doc = { resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: `Patient/${patient.id as string}` }, content: [{ attachment: { contentType: 'text/plain', data, size: 99 } }] };
  const out = deidentifyResource(doc, env);
  return { data: ((out.content as Json[])[0]!.attachment as Json).data, out };
}

const decodedAll = (data: unknown) => (typeof data === 'string' ? data.split(/(?<==)(?=[^=])/).map((p) => Buffer.from(p, 'base64').toString('utf8')).join('') : '');

t.test('base64 after the padding: the value is removed, not passed with unread bytes', async (t) => {
  const { data, out } = docData(b64('Seen today.') + b64(SSN));
  t.equal(data, undefined);
  t.notMatch(decodedAll(data), /123-45-6789/);
  t.equal(((out.content as Json[])[0]!.attachment as Json).size, undefined, 'size of the removed bytes goes too');
  const bin = deidentifyResource({ resourceType: 'Binary', id: 'b1', contentType: 'text/plain', data: b64('Seen today.') + b64(SSN) }, env);
  t.equal(bin.data, undefined, 'Binary.data likewise');
});

t.test('base64url letters and stray characters: removed', async (t) => {
  t.equal(docData(b64(SSN).replace(/\+/g, '-').replace(/\//g, '_') + '-_').data, undefined);
  t.equal(docData(`${b64('Seen today.')}!!`).data, undefined);
});

t.test('canonical base64, also with line breaks, is still cleaned', async (t) => {
  const wrapped = b64(`Seen today. ${SSN}. Follow up in two weeks.`).replace(/(.{16})/g, '$1\r\n');
  const { data } = docData(wrapped);
  t.type(data, 'string');
  t.notMatch(Buffer.from(data as string, 'base64').toString('utf8'), /123-45-6789/);
  t.match(Buffer.from(data as string, 'base64').toString('utf8'), /Follow up in two weeks/);
  const plain = b64('Follow up in two weeks.');
  t.equal(docData(plain).data, plain, 'nothing to clean: unchanged');
});
