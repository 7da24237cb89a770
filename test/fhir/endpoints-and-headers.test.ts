import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { headerField, pseudonymizeEndpoint } from '../../src/fhir/endpoint-address.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseConfig } from '../../src/config/load-config.js';
import { Keyed } from '../../src/core/keyed.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, any>;

// BASIC kept every uri and url that was not a reference, an identifier's
// system or a data URL: an Endpoint's Direct address (a person's email), a
// message endpoint's IP address, a webhook's `?access_token=`, and the HTTP
// headers a Subscription sends (`Authorization: Bearer secret-token-abc-123`
// in the R4 examples) came out as written, as did a protocol URI with the
// patient's name typed after it.
const example = (name: string): Json => JSON.parse(fs.readFileSync(path.join(sharedData, 'fhir-samples/hl7-r4-examples/resources', `${name}.json`), 'utf8'));
const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Zyxwood', given: ['Quenby'] }], identifier: [{ value: '4455667' }] };

function run(resources: Json[], contextual = true): { out: Json[]; counts: Map<string, Map<string, number>> } {
  const config = deidDefaultConfig();
  config.fhir = { ...config.fhir!, contextualDeid: contextual };
  const env = makeFhirEnv(config, Buffer.alloc(32, 0x33));
  deidentifyResource(structuredClone(patient), env);
  return { out: resources.map((r) => deidentifyResource(structuredClone(r), env)), counts: env.counts };
}

t.test('the R4 examples: credentials, a Direct address and an IP address do not come out', async (t) => {
  const subscription = example('Subscription-example');
  t.same(subscription.channel.header, ['Authorization: Bearer secret-token-abc-123'], 'the example as published');
  const endpoints = ['Endpoint-direct-endpoint', 'Endpoint-example', 'Endpoint-example-wadors', 'Endpoint-example-iid'].map(example);
  const message = example('MessageHeader-1cbdfb97-5859-48a4-8301-d54eab818d68');
  const { out, counts } = run([subscription, ...endpoints, message]);
  const [sub, direct, ep, wado, iid, msg] = out as [Json, Json, Json, Json, Json, Json];
  t.same(sub.channel.header, ['Authorization: [AUTH_TOKEN]']);
  t.equal(sub.channel.endpoint, subscription.channel.endpoint, 'a plain https endpoint stays');
  t.equal(sub.criteria, subscription.criteria);
  t.equal(example('Endpoint-example').header[0], 'bearer-code BASGS534s4');
  t.equal(ep.header, undefined, 'a header that is no `name: value` field goes');
  t.match(direct.address, /^urn:deid:[0-9a-f]{32}$/, "a person's Direct address (mailto:) gets a keyed pseudonym");
  t.equal(wado.address, 'https://pacs.hospital.org/wado-rs');
  t.equal(iid.address, 'https://pacs.hospital.org/IHEInvokeImageDisplay');
  t.match(msg.destination[0].endpoint, /^urn:deid:[0-9a-f]{32}$/, 'llp:10.11.12.13:5432 holds an IP address');
  t.equal(counts.get('Subscription.channel.header')?.get('cleaned'), 1);
  t.equal(counts.get('Endpoint.header')?.get('removed'), 1);
  t.ok((counts.get('Endpoint.address')?.get('pseudonymized') ?? 0) >= 1);
  t.ok(sub.meta.security.some((c: Json) => c.code === 'REDACTED'));
  const text = JSON.stringify(out);
  for (const secret of ['secret-token-abc-123', 'BASGS534s4', 'MARTIN.SMIETANKA', '10.11.12.13']) t.notOk(text.includes(secret), secret);
});

t.test('headers: a credential\'s value goes, the field name and plain fields stay', async (t) => {
  t.same(headerField('Authorization: Bearer x'), { plain: false, value: 'Authorization: [AUTH_TOKEN]' });
  t.same(headerField('X-API-Key:abc'), { plain: false, value: 'X-API-Key: [AUTH_TOKEN]' });
  t.same(headerField('Cookie: sid=1; user=jsmith'), { plain: false, value: 'Cookie: [HTTP_COOKIE]' });
  t.same(headerField('X-Patient: 4455667'), { plain: false, value: 'X-Patient: [REDACTED]' }, 'an unknown field can hold anything');
  t.same(headerField('Content-Type: application/fhir+json'), { plain: true });
  t.same(headerField('Authorization:'), { plain: false, value: 'Authorization:' }, 'no value, nothing to hide');
  for (const bad of ['bearer-code BASGS534s4', ': x', 'Bad Name: x', '', 'Authorization Bearer x']) t.same(headerField(bad), { plain: false, value: undefined }, bad);

  const sub = { resourceType: 'Subscription', id: 's1', status: 'active', reason: 'r', criteria: 'Observation', channel: { type: 'rest-hook', header: ['Accept: application/fhir+json', 'Content-Type: text/plain; by=quenby@zyxwood-mail.org', 'Authorization: Basic cXVlbmJ5Onp5eA=='] } };
  const { out } = run([sub]);
  t.same(out[0]!.channel.header, ['Accept: application/fhir+json', 'Content-Type: text/plain; by=[EMAIL_ADDRESS]', 'Authorization: [AUTH_TOKEN]'], 'a plain field is read as any structured string is');
});

t.test("addresses: user information, query and fragment go; the patient's values or a name's host are pseudonymised", async (t) => {
  const keyed = new Keyed(Buffer.alloc(32, 1));
  t.equal(pseudonymizeEndpoint('https://user:pa55@hooks.example.org/in?access_token=abc#x', keyed, undefined), 'https://hooks.example.org/in');
  t.equal(pseudonymizeEndpoint('https://hooks.example.org/in', keyed, undefined), 'https://hooks.example.org/in');
  t.equal(pseudonymizeEndpoint('mllp://10.1.2.3:2575?x=1', keyed, undefined), 'mllp://10.1.2.3:2575');
  t.equal(pseudonymizeEndpoint('urn:x-local:box?sig=abc', keyed, undefined), 'urn:x-local:box');
  const a = pseudonymizeEndpoint('https://hooks.example.org/QuenbyZyxwood/in', keyed, undefined, (p) => /quenby/i.test(p));
  t.match(a, /^https:\/\/hooks\.example\.org\/[0-9a-f]{32}$/);
  t.equal(pseudonymizeEndpoint('https://hooks.example.org/QuenbyZyxwood/in?t=1', keyed, undefined, (p) => /quenby/i.test(p)), a, 'one address, one pseudonym, whatever its query');
  t.match(pseudonymizeEndpoint('https://hooks.example.org/in box', keyed, undefined), /^https:\/\/hooks\.example\.org\/[0-9a-f]{32}$/, 'words after a space are no URL');
  t.equal(pseudonymizeEndpoint('', keyed, undefined), '');
  const long = `https://h.example.org/${'a'.repeat(100_000)}?${'b='.repeat(50_000)}`;
  t.equal(pseudonymizeEndpoint(long, keyed, undefined), long.slice(0, long.indexOf('?')), 'a long address is cut at its query without backtracking');
});

t.test("a protocol or policy URI holding the patient's values or words after a space gets a keyed pseudonym", async (t) => {
  const procedure = {
    resourceType: 'Procedure', id: 'pr1', status: 'completed', subject: { reference: 'Patient/p1' },
    instantiatesUri: ['http://guidelines.example.org/knee', 'http://guidelines.example.org/knee for Quenby Zyxwood', 'http://ehr.example.org/protocols/4455667'],
  };
  const { out, counts } = run([procedure]);
  const [plain, spaced, mrn] = out[0]!.instantiatesUri;
  t.equal(plain, 'http://guidelines.example.org/knee');
  t.match(spaced, /^http:\/\/guidelines\.example\.org\/[0-9a-f]{32}$/);
  t.match(mrn, /^http:\/\/ehr\.example\.org\/[0-9a-f]{32}$/);
  t.equal(counts.get('Procedure.instantiatesUri')?.get('pseudonymized'), 2);
  t.notMatch(JSON.stringify(out), /Zyxwood|Quenby|4455667/);
  // without the patient's values only the unreadable one changes
  const bare = run([procedure], false).out[0]!.instantiatesUri;
  t.same([bare[0], bare[2]], [plain, 'http://ehr.example.org/protocols/4455667']);
  t.match(bare[1], /^http:\/\/guidelines\.example\.org\/[0-9a-f]{32}$/);
});

t.test('KEEP_ALL keeps them all', async (t) => {
  const env = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }), Buffer.alloc(32, 0x33));
  const sub = example('Subscription-example');
  const out = deidentifyResource(structuredClone(sub), env) as Json;
  t.same(out.channel.header, sub.channel.header);
});
