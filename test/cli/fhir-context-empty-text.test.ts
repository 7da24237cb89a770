// contextualDeid with a text config that transforms nothing (profileType
// EMPTY): the patient's values removed from the structured fields are still
// replaced by [CTX] in free text, as Google's ContextualDeidConfig says.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseNdjson, runCli, sharedData } from '../helpers/run-cli.js';

t.test('a synthea patient\'s name, address and SSN in a note of theirs become [CTX]', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-ctx-empty-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const patientLine = fs.readFileSync(path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients/Patient.ndjson'), 'utf8').split('\n')[0]!;
  const p = JSON.parse(patientLine) as { id: string; name: Array<{ given: string[]; family: string }>; address: Array<{ line: string[]; city: string }>; identifier: Array<{ value: string; system?: string }> };
  const ssn = p.identifier.find((i) => i.system === 'http://hl7.org/fhir/sid/us-ssn')!.value;
  const phi = [p.name[0]!.given[0]!, p.name[0]!.family, p.address[0]!.line[0]!, p.address[0]!.city, ssn];
  const note = { resourceType: 'Observation', id: 'n1', status: 'final', code: { text: 'note' }, subject: { reference: `Patient/${p.id}` }, valueString: `${phi[0]} ${phi[1]} of ${phi[2]}, ${phi[3]}; SSN ${phi[4]}. Seen 2019-03-04.` };
  fs.writeFileSync(path.join(dir, 'Patient.ndjson'), patientLine + '\n');
  fs.writeFileSync(path.join(dir, 'Observation.ndjson'), JSON.stringify(note) + '\n');
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ fhirFieldConfig: { profileType: 'BASIC', options: { contextualDeid: {} } }, text: { profileType: 'EMPTY' } }));
  const r = await runCli(['fhir', path.join(dir, 'Patient.ndjson'), path.join(dir, 'Observation.ndjson'), '-c', config]);
  t.equal(r.code, 0, r.stderr);
  const obs = parseNdjson(r.stdout).find((x) => x.resourceType === 'Observation')!;
  t.equal(obs.valueString, '[CTX] of [CTX], [CTX]; SSN [CTX]. Seen 2019-03-04.', 'context values replaced; the EMPTY profile leaves the rest');
  for (const v of phi) t.notMatch(r.stdout.toString(), v);
});
