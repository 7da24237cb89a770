// `node bench/dataset.js [--mb N]`: throughput of operations on a dataset made
// from the bundled FHIR bulk exports (per-type files replicated with fresh
// ids, as bench/make-fhir-ndjson.js does): `deid dataset` into a new folder,
// and `deid fhir-store` of the same stores into PostgreSQL (skipped when no
// server answers at 127.0.0.1:5432). Records/s and MB/s of source NDJSON.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { measure } from './measure.js';
import { freshCopy } from './make-fhir-ndjson.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin/deid.js');
const SOURCES = {
  sample: path.join(root, 'data/samples/fhir'),
  synthea: path.resolve(root, '../shared/data/fhir-samples/bulk-synthea-30-patients'),
  smart: path.resolve(root, '../shared/data/fhir-samples/bulk-smart-10-patients'),
};
const KEY = '0f'.repeat(32);

/** dataset/fhir/<store>/Type.ndjson, each store about mb/3 MB. */
async function makeDataset(dir, mb) {
  let bytes = 0;
  let records = 0;
  for (const [store, src] of Object.entries(SOURCES)) {
    if (!fs.existsSync(src)) continue;
    const out = path.join(dir, 'fhir', store);
    fs.mkdirSync(out, { recursive: true });
    const files = fs.readdirSync(src).filter((f) => f.endsWith('.ndjson') && !f.startsWith('log')).sort();
    const texts = files.map((f) => fs.readFileSync(path.join(src, f), 'utf8'));
    const size = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
    const copies = Math.max(1, Math.ceil((mb * 1024 * 1024) / Object.keys(SOURCES).length / size));
    for (let i = 0; i < files.length; i++) {
      const ws = fs.createWriteStream(path.join(out, files[i]));
      for (let copy = 0; copy < copies; copy++) {
        const s = freshCopy(texts[i], copy);
        if (!ws.write(s)) await once(ws, 'drain');
        bytes += Buffer.byteLength(s);
        records += s.split('\n').length - 1;
      }
      ws.end();
      await once(ws, 'finish');
    }
  }
  return { bytes, records };
}

async function postgresUrl() {
  for (const user of ['postgres', 'root']) {
    const url = `postgres://${user}@127.0.0.1:5432/test`;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.end();
      return url;
    } catch {
      await c.end().catch(() => undefined);
    }
  }
  return undefined;
}

const row = (name, m, input) => ({
  run: name,
  seconds: +m.seconds.toFixed(2),
  'records/s': Math.round(input.records / m.seconds),
  'MB/s': +(input.bytes / 1024 / 1024 / m.seconds).toFixed(1),
  peakRssMB: Math.round(m.peakMB),
});

export async function benchDataset({ mb = 100 } = {}) {
  const tmp = path.join(root, 'bench/tmp/dataset');
  fs.rmSync(tmp, { recursive: true, force: true });
  const src = path.join(tmp, 'src');
  const input = await makeDataset(src, mb);
  const env = { DEID_KEY: KEY };
  const rows = [row('dataset → folder', await measure(process.execPath, [BIN, 'dataset', src, path.join(tmp, 'dest'), '-q'], env), input)];
  const url = await postgresUrl();
  if (url) {
    const tables = [];
    let seconds = 0;
    let peakMB = 0;
    for (const store of fs.readdirSync(path.join(src, 'fhir')).sort()) {
      const table = `bench_dataset_${store}`;
      tables.push(table);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP TABLE IF EXISTS "${table}"`);
      await c.end();
      const m = await measure(process.execPath, [BIN, 'fhir-store', path.join(src, 'fhir', store), `${url}?table=${table}`, '--operation-dir', path.join(tmp, 'ops'), '-q'], env);
      seconds += m.seconds;
      peakMB = Math.max(peakMB, m.peakMB);
    }
    rows.push(row('stores → postgres', { seconds, peakMB }, input));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const t of tables) await c.query(`DROP TABLE IF EXISTS "${t}"`);
    await c.end();
  } else {
    console.log('SKIP: no PostgreSQL at 127.0.0.1:5432');
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return { input: { MB: +(input.bytes / 1024 / 1024).toFixed(1), records: input.records }, rows };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--mb');
  const r = await benchDataset({ mb: i >= 0 ? Number(process.argv[i + 1]) : 100 });
  console.log(`== dataset of the bundled FHIR bulk exports (${r.input.MB} MB, ${r.input.records} records)`);
  console.table(r.rows);
  console.log(JSON.stringify(r));
}
