import { parentPort, workerData } from 'node:worker_threads';
import { useSharedLexicon } from '../detectors/dictionaries.js';
import { makeFhirEnv } from '../fhir/make-env.js';
import { PatientContext } from '../fhir/patient.js';
import { deidentifyBatch } from './fhir-batch.js';
import type { FhirWorkerData, FromWorker, ToWorker } from './fhir-pool.js';

/**
 * A worker of fhir-pool.ts: de-identifies the batches it is sent, one after
 * the other, and sends back each result with the batch's own buffer. Its
 * patient context is the main thread's first-pass one, sent once.
 */
const d = workerData as FhirWorkerData;
if (d.lexicon) useSharedLexicon(d.lexicon);
const env = makeFhirEnv(d.config, Buffer.from(d.key), new PatientContext());
const opts = { unbundle: d.unbundle, toFolder: d.toFolder, fixedContext: true };
const port = parentPort!;

port.on('message', (m: ToWorker) => {
  if (m.kind === 'context') {
    env.context = PatientContext.fromEntries(JSON.parse(m.json) as ReturnType<PatientContext['entries']>);
    return;
  }
  const { seq, batch } = m;
  const transfer: ArrayBuffer[] = [batch.data.buffer as ArrayBuffer];
  let reply: FromWorker;
  try {
    const result = deidentifyBatch(batch, env, opts);
    let out: Uint8Array | undefined;
    if (result.text.length > 0) {
      out = ownBuffer(Buffer.from(result.text, 'utf8'));
      transfer.push(out.buffer as ArrayBuffer);
      result.text = '';
    }
    reply = { kind: 'done', seq, result, data: batch.data, ...(out ? { out } : {}) };
  } catch {
    reply = { kind: 'error', seq, data: batch.data };
  }
  port.postMessage(reply, transfer);
});

/** A Uint8Array alone on its ArrayBuffer (small Buffers share a pool, which cannot be transferred). */
function ownBuffer(b: Buffer): Uint8Array {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return b;
  return new Uint8Array(b);
}
