import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { parseConfig } from '../../src/config/load-config.js';

type Json = Record<string, unknown>;

// An AuditEvent kept the names of the person acting and of the record
// accessed (agent.name, entity.name: often the patient), the user's other
// login (agent.altId), the IP address used (agent.network.address) and the
// query that was run (entity.detail.valueString "name=…&birthdate=…", where
// the detectors missed the name and only shifted the date).
const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 8));
const audit = (): Json => ({
  resourceType: 'AuditEvent',
  id: 'a1',
  type: { code: 'rest' },
  recorded: '2020-01-02T03:04:05Z',
  agent: [{ requestor: true, name: 'Zelphina Quarterfield', altId: 'zquarter01', who: { reference: 'Patient/p' }, network: { address: '10.1.2.3', type: '2' } }],
  source: { site: 'Cloud', observer: { reference: 'Device/srv' } },
  entity: [{ what: { reference: 'Patient/p' }, name: 'Zelphina Quarterfield', query: 'bmFtZT1RdWFydGVyZmllbGQ=', detail: [{ type: 'q', valueString: 'name=Quarterfield&birthdate=1950-01-02' }] }],
});

t.test("names, the user's other id, the IP address and the query are gone; the event's shape stays", async (t) => {
  const out = deidentifyResource(audit(), env);
  const text = JSON.stringify(out);
  for (const s of ['Quarterfield', 'zquarter01', '10.1.2.3', 'bmFtZT1']) t.notMatch(text, s);
  const agent = (out.agent as Json[])[0]!;
  t.match(agent, { requestor: true, network: { type: '2' }, altId: /^[0-9a-f]{32}$/ });
  t.equal(agent.name, undefined);
  t.match((out.entity as Json[])[0], { what: { reference: /^Patient\/[0-9a-f]{32}$/ } });
  t.equal(out.recorded === '2020-01-02T03:04:05Z', false, 'recorded is shifted');
});

t.test('KEEP_ALL keeps them', async (t) => {
  const keepAll = makeFhirEnv(parseConfig({ fhirFieldConfig: { profileType: 'KEEP_ALL' } }), Buffer.alloc(32, 8));
  t.equal(((deidentifyResource(audit(), keepAll).agent as Json[])[0]!).name, 'Zelphina Quarterfield');
});
