// Dataset benchmark: a dataset made of the bundled FHIR bulk exports
// (fhir/<export>/Type.ndjson, replicated with fresh ids up to --mb (default 100; 0 = as they are), as
// bench/make-fhir-ndjson.js does) and DICOM instances (dicom/pacs/: copies of
// one CT with their own UIDs, as bench/make-dicom.js makes them), de-identified
//   - into file: — `deid dataset SRC DEST`, against `cp -r` of the same dataset;
//   - into PostgreSQL + Orthanc — `deid fhir-store` of each FHIR export into a
//     table and `deid dicom-store` into a DICOMweb server, against a raw COPY
//     of the same NDJSON into PostgreSQL and a raw STOW-RS of the same instances.
// Items/s (FHIR records + DICOM instances) and MB/s of source bytes; ratios
// against the baseline measured in the same run. Orthanc is started like the
// tests start it (test/helpers/orthanc.ts: free loopback port, temporary
// storage, stopped afterwards), a fresh one for every run. A missing
// PostgreSQL or Orthanc prints a SKIP line for its leg.
//
// `node bench/dataset.js [--mb N] [--dicom N] [--runs N] [--quick]` alone, or
// `npm run bench -- --only dataset`.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import { makeDicomCopies } from './make-dicom.js';
import { measure } from './measure.js';
import { freshCopy } from './make-fhir-ndjson.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'bin/deid.js');
const BASELINES = path.join(root, 'bench/dataset-baselines.js');
const SOURCES = {
  sample: path.join(root, 'data/samples/fhir'),
  synthea: path.resolve(root, '../shared/data/fhir-samples/bulk-synthea-30-patients'),
  smart: path.resolve(root, '../shared/data/fhir-samples/bulk-smart-10-patients'),
};
const DICOM_SAMPLE = path.resolve(root, '../shared/data/dicom-samples/ts/CT1_UNC.explicit_little_endian.dcm');
const KEY = '0f'.repeat(32);

/** dataset/fhir/<export>/Type.ndjson (each export about mb/3 MB, at least one copy) and dataset/dicom/pacs/. */
async function makeDataset(dir, mb, instances, exports) {
  const fhir = { bytes: 0, records: 0, files: [] };
  for (const [store, src] of Object.entries(SOURCES)) {
    if (!exports.includes(store) || !fs.existsSync(src)) continue;
    const out = path.join(dir, 'fhir', store);
    fs.mkdirSync(out, { recursive: true });
    const files = fs.readdirSync(src).filter((f) => f.endsWith('.ndjson') && !f.startsWith('log')).sort();
    const texts = files.map((f) => fs.readFileSync(path.join(src, f), 'utf8'));
    const size = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
    const copies = Math.max(1, Math.ceil((mb * 1024 * 1024) / exports.length / size));
    for (let i = 0; i < files.length; i++) {
      const file = path.join(out, files[i]);
      const ws = fs.createWriteStream(file);
      for (let copy = 0; copy < copies; copy++) {
        const s = freshCopy(texts[i], copy);
        if (!ws.write(s)) await once(ws, 'drain');
        fhir.bytes += Buffer.byteLength(s);
        fhir.records += s.split('\n').length - 1;
      }
      ws.end();
      await once(ws, 'finish');
      fhir.files.push(file);
    }
  }
  const pacs = path.join(dir, 'dicom', 'pacs');
  const dicomFiles = makeDicomCopies(DICOM_SAMPLE, pacs, instances);
  const dicom = { bytes: dicomFiles.reduce((n, f) => n + fs.statSync(f).size, 0), records: dicomFiles.length, dir: pacs };
  return { fhir, dicom, all: { bytes: fhir.bytes + dicom.bytes, records: fhir.records + dicom.records } };
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

async function dropTables(url, tables) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  for (const t of tables) await c.query(`DROP TABLE IF EXISTS "${t}"`);
  await c.end();
}

/** The operation record a deid store command left in `opDir` (the newest). */
function lastRecord(opDir) {
  const f = fs.readdirSync(opDir).filter((n) => n.endsWith('.json')).sort().pop();
  return JSON.parse(fs.readFileSync(path.join(opDir, f), 'utf8'));
}

function expectCounters(what, rec, n) {
  const c = rec.counters;
  if (c.success !== n || c.failure !== 0 || c.pending !== 0) throw new Error(`${what}: ${c.success} stored, ${c.failure} failed of ${n}`);
}

/** `runs` runs of `once()` (each returns { seconds, peakMB }): the median time, the highest peak RSS. */
async function repeat(runs, once) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await once());
  const secs = all.map((m) => m.seconds).sort((a, b) => a - b);
  return { seconds: secs[Math.floor(secs.length / 2)], peakMB: Math.max(...all.map((m) => m.peakMB)), runs: secs };
}

const sum = (...ms) => ({ seconds: ms.reduce((a, m) => a + m.seconds, 0), peakMB: Math.max(...ms.map((m) => m.peakMB)), runs: [] });

// GNU time counts in hundredths: a faster run is taken as 0.01 s.
const row = (name, m, input, baseline) => ({
  run: name,
  seconds: +m.seconds.toFixed(2),
  'items/s': Math.round(input.records / Math.max(m.seconds, 0.01)),
  'MB/s': +(input.bytes / 1024 / 1024 / Math.max(m.seconds, 0.01)).toFixed(1),
  'time vs baseline': baseline ? +(m.seconds / Math.max(baseline.seconds, 0.01)).toFixed(2) : '',
  peakRssMB: Math.round(m.peakMB),
});

/** `quick`: the small sample export alone, 20 instances, one run (a smoke run). */
export const QUICK = { mb: 0, instances: 20, runs: 1, exports: ['sample'] };

export async function benchDataset({ mb = 100, instances = 100, runs = 3, exports = Object.keys(SOURCES) } = {}) {
  const tmp = path.join(root, 'bench/tmp/dataset');
  fs.rmSync(tmp, { recursive: true, force: true });
  const src = path.join(tmp, 'src');
  const input = await makeDataset(src, mb, instances, exports);
  const env = { DEID_KEY: KEY };
  const out = path.join(tmp, 'out');
  const clean = () => fs.rmSync(out, { recursive: true, force: true });
  const rows = [];
  const skipped = [];

  // file: → file:
  clean();
  fs.cpSync(src, out, { recursive: true }); // warms the page cache for every leg
  clean();
  const copy = await repeat(runs, async () => {
    const m = await measure('cp', ['-r', src, out]);
    clean();
    return m;
  });
  const toFolder = await repeat(runs, async () => {
    const m = await measure(process.execPath, [BIN, 'dataset', src, out, '-q'], env);
    expectCounters('deid dataset', lastRecord(path.join(out, '.deid-operations')), input.all.records);
    clean();
    return m;
  });
  rows.push(row('cp -r dataset (baseline)', copy, input.all), row('deid dataset → file:', toFolder, input.all, copy));

  // → PostgreSQL (FHIR) + Orthanc (DICOM)
  const url = await postgresUrl();
  const stores = fs.readdirSync(path.join(src, 'fhir')).sort();
  let pgCopy;
  let pgDeid;
  if (url) {
    const tables = stores.map((s) => `bench_dataset_${s}`);
    const rawTable = 'bench_dataset_raw';
    pgCopy = await repeat(runs, async () => {
      const m = await measure(process.execPath, [BASELINES, 'pg-copy', url, rawTable, ...input.fhir.files]);
      if (!m.stderr.includes(`rows ${input.fhir.records}`)) throw new Error('raw COPY did not load every line');
      await dropTables(url, [rawTable]);
      return m;
    });
    pgDeid = await repeat(runs, async () => {
      await dropTables(url, tables);
      const legs = [];
      for (const [i, store] of stores.entries()) {
        const ops = path.join(tmp, 'ops');
        legs.push(await measure(process.execPath, [BIN, 'fhir-store', path.join(src, 'fhir', store), `${url}?table=${tables[i]}`, '--operation-dir', ops, '-q'], env));
        const rec = lastRecord(ops);
        if (rec.counters.failure !== 0 || rec.counters.pending !== 0) throw new Error(`fhir-store ${store}: ${rec.counters.failure} failed`);
      }
      await dropTables(url, tables);
      return sum(...legs);
    });
    rows.push(row('COPY raw NDJSON → postgres (baseline)', pgCopy, input.fhir), row('deid fhir-store → postgres', pgDeid, input.fhir, pgCopy));
  } else {
    skipped.push('SKIP: PostgreSQL leg — no server at 127.0.0.1:5432');
  }

  let orthancLib;
  try {
    orthancLib = await tsImport('../test/helpers/orthanc.ts', import.meta.url);
  } catch (e) {
    skipped.push(`SKIP: Orthanc leg — test/helpers/orthanc.ts did not load (${e.code ?? e.message})`);
  }
  let stow;
  let dicomDeid;
  if (orthancLib && !orthancLib.findOrthanc()) skipped.push('SKIP: Orthanc leg — Orthanc or its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb)');
  else if (orthancLib) {
    // a fresh, empty server for every run; its start and stop are not timed
    const withOrthanc = async (fn) => {
      const o = await orthancLib.startOrthanc();
      try {
        return await fn(o);
      } finally {
        await o.stop();
      }
    };
    stow = await repeat(runs, () => withOrthanc((o) => measure(process.execPath, [BASELINES, 'stow', input.dicom.dir, o.uri])));
    dicomDeid = await repeat(runs, () =>
      withOrthanc(async (o) => {
        const ops = path.join(tmp, 'ops-dicom');
        fs.rmSync(ops, { recursive: true, force: true });
        const m = await measure(process.execPath, [BIN, 'dicom-store', input.dicom.dir, o.uri, '--operation-dir', ops, '-q'], env);
        expectCounters('deid dicom-store', lastRecord(ops), input.dicom.records);
        return m;
      }),
    );
    rows.push(row('raw STOW-RS → Orthanc (baseline)', stow, input.dicom), row('deid dicom-store → Orthanc', dicomDeid, input.dicom, stow));
  }
  if (pgDeid && dicomDeid) {
    const base = sum(pgCopy, stow);
    rows.push(row('COPY + STOW of the dataset (baseline)', base, input.all), row('deid stores → postgres + Orthanc', sum(pgDeid, dicomDeid), input.all, base));
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return {
    exports,
    input: {
      MB: +(input.all.bytes / 1024 / 1024).toFixed(1),
      fhirRecords: input.fhir.records,
      fhirMB: +(input.fhir.bytes / 1024 / 1024).toFixed(1),
      dicomInstances: input.dicom.records,
      dicomMB: +(input.dicom.bytes / 1024 / 1024).toFixed(1),
    },
    runs,
    rows,
    skipped,
  };
}

/** The report lines of a result (shared with bench/run.js). */
export function printDataset(r) {
  console.log(
    `\n== dataset: bundled FHIR bulk exports ${r.exports.join(', ')} (${r.input.fhirRecords} records, ${r.input.fhirMB} MB) + ${r.input.dicomInstances} DICOM instances (${r.input.dicomMB} MB); median of ${r.runs} run(s)`,
  );
  console.table(r.rows);
  for (const s of r.skipped) console.log(s);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const quick = args.includes('--quick');
  const base = quick ? QUICK : {};
  const r = await benchDataset({ ...base, mb: arg('--mb', base.mb ?? 100), instances: arg('--dicom', base.instances ?? 100), runs: arg('--runs', base.runs ?? 3) });
  printDataset(r);
  console.log(JSON.stringify(r));
}
