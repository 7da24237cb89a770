import { EventEmitter } from 'node:events';
const orig = EventEmitter.prototype.emit;
EventEmitter.prototype.emit = function (this: EventEmitter, ev: string | symbol, ...a: unknown[]) {
  if (ev === 'error' && this.listenerCount('error') === 0) console.log('UNHANDLED on', this.constructor.name, new Error().stack);
  return orig.call(this, ev, ...a);
} as never;
import pg from 'pg';
import { openFhirStore } from '../../src/stores/open-fhir-store.js';
import { readSource, writeAll } from '../helpers/store-items.js';
import { sharedData } from '../helpers/run-cli.js';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const app = 'dbgapp';
const store = await openFhirStore(`${url}?table=dbg_t&application_name=${app}`, { postgres: { retry: { attempts: 8, baseDelayMs: 10 } } });
await store.ensure();
const source = await readSource(`${sharedData}/fhir-samples/bulk-synthea-30-patients/Observation.ndjson`);
const killer = new pg.Client({ connectionString: url }); await killer.connect();
let stop = false;
const loop = (async () => { while (!stop) { await killer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]); await new Promise((r) => setTimeout(r, 15)); } })();
const w = store.writer({ batchSize: 100, onFailed: () => undefined });
try { await writeAll(source, w); } catch (e) { console.log('write err', e); }
stop = true; await loop; console.log(w.written, w.failedCount);
await killer.query('drop table dbg_t'); await killer.end(); await store.close();
