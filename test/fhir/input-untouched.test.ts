import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { deidentifyResource } from '../../src/fhir/deidentify-resource.js';
import { deidDefaultConfig, makeFhirEnv } from '../../src/fhir/make-env.js';
import { sharedData } from '../helpers/run-cli.js';

type Json = Record<string, unknown>;

// The walker hands back the input's own objects for subtrees that come out
// unchanged: the input must still never be modified, and every record must
// come out as a new object (its security labels are added to it).
t.test('inputs are not modified; every record is a new object; unchanged subtrees are shared', async (t) => {
  const dir = path.join(sharedData, 'fhir-samples/bulk-synthea-30-patients');
  const env = makeFhirEnv(deidDefaultConfig(), Buffer.alloc(32, 0x42));
  let records = 0;
  let shared = 0;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ndjson')).sort()) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(0, 40)) {
      if (!line) continue;
      const input = JSON.parse(line) as Json;
      const before = JSON.stringify(input);
      const out = deidentifyResource(input, env);
      if (JSON.stringify(input) !== before) t.fail(`${f}: input modified`);
      if (out === input) t.fail(`${f}: the record itself was returned`);
      for (const k of Object.keys(out)) if (out[k] !== null && typeof out[k] === 'object' && out[k] === input[k]) shared++;
      records++;
    }
  }
  t.ok(records > 300, `${records} records`);
  t.ok(shared > 0, `${shared} unchanged members shared with the input`);
});
