import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { DEFAULT_CONFIG } from '../../src/config/load-config.js';
import { loadKey } from '../../src/core/key.js';
import { ok } from '../../src/core/record.js';
import { DEFAULT_FHIR_PLAN } from '../../src/fhir/make-env.js';
import { runOperation } from '../../src/operations/run-operation.js';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { startFhirServer } from '../helpers/fhir-server.js';
import { KEY_A } from '../helpers/run-cli.js';
import { writeAll } from '../helpers/store-items.js';
import { readRecord, tempDir } from '../cli/fhir-store-helpers.js';

const key = loadKey({ env: { DEID_KEY: KEY_A } });
const config = { ...structuredClone(DEFAULT_CONFIG), fhir: { ...DEFAULT_FHIR_PLAN } };
const quiet = { update: () => undefined, stop: () => undefined };

t.test('a store that cannot give its patients to the contextual pre-pass stops the run before any output; nothing is de-identified without them', async (t) => {
  const state = { patientSearches: 0, failPrepass: false };
  const server = await startFhirServer({
    fault: (_n, method, p) => {
      if (!state.failPrepass || method !== 'GET' || !p.includes('/Patient?')) return undefined;
      // the pre-pass's search and its retries are lost; the main pass's own would go through
      return ++state.patientSearches <= 2 ? 'drop' : undefined;
    },
  });
  t.teardown(() => server.close());
  const retry = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };
  const loader = await openFhirStore(server.base, { rest: { retry } });
  await writeAll(
    [
      ok({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'visit' }, subject: { reference: 'Patient/p1' }, note: [{ text: 'seen with zzleakzz today' }] }, { file: 'x', line: 1 }),
      ok({ resourceType: 'Patient', id: 'p1', name: [{ family: 'Zzleakzz', given: ['Ann'] }] }, { file: 'x', line: 2 }),
    ],
    loader.writer(),
  );
  state.failPrepass = true;
  const dir = tempDir(t);
  const dest = path.join(dir, 'out');
  const opDir = path.join(dir, 'ops');
  /** The operation from the server into `dest`, or its resume. */
  const operation = async (resume?: string) =>
    runOperation({
      command: 'fhir-store',
      source: server.base,
      destination: dest,
      operationDir: opDir,
      pairs: [{ name: 'default', source: await openFhirStore(server.base, { rest: { retry, types: ['Observation', 'Patient'] } }), destination: await openFhirStore(dest) }],
      config,
      key,
      progress: quiet,
      ...(resume ? { resume } : {}),
    });
  const run = operation();
  await t.rejects(run, { code: 'STORE_UNAVAILABLE' });
  const out = fs.existsSync(dest) ? fs.readdirSync(dest, { recursive: true }).map(String).filter((f) => f.endsWith('.ndjson')) : [];
  const text = out.map((f) => fs.readFileSync(path.join(dest, f), 'utf8')).join('');
  t.notMatch(text, /zzleakzz/i, 'no note went out without its patient');
  const id = fs.readdirSync(opDir).find((f) => /^\d{8}T.*\.json$/.test(f))!.slice(0, -5);
  t.equal(readRecord(opDir, id).status, 'failed', 'the operation is failed, and can be resumed');

  // the server answers again: the resume reads the patients first and scrubs the note
  const resumed = await operation(id);
  t.equal(resumed.exitStatus, 0);
  const obs = fs.readFileSync(path.join(dest, 'Observation.ndjson'), 'utf8');
  t.match(obs, /seen with \S+ today/);
  t.notMatch(obs, /zzleakzz/i, "the patient's name is scrubbed from the note");
});
