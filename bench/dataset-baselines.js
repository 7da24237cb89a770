// Baselines of the dataset benchmark, each a process of its own so GNU time
// measures it like the deid commands it is compared with:
//   pg-copy URL TABLE FILE…  the NDJSON lines as they are, COPY'd into a jsonb
//                            column (no parsing in node, no upsert, no de-identification);
//   stow FOLDER URI          every part-10 file of FOLDER sent by STOW-RS with
//                            deid's DICOMweb client, bytes unchanged.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyInstances } from '../dist/stores/dicom/copy-instances.js';
import { openDicomStore } from '../dist/stores/dicom/open-dicom-store.js';

const [cmd, ...args] = process.argv.slice(2);

if (cmd === 'pg-copy') {
  const [url, table, ...files] = args;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP TABLE IF EXISTS "${table}"`);
  await c.query(`CREATE TABLE "${table}" (body jsonb NOT NULL)`);
  // CSV with quote and delimiter bytes that JSON text never holds raw: each line is one value, as it is
  for (const f of files) await pipeline(fs.createReadStream(f), c.query(copyFrom(`COPY "${table}" (body) FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`)));
  const { rows } = await c.query(`SELECT count(*)::int AS n FROM "${table}"`);
  await c.end();
  process.stderr.write(`rows ${rows[0].n}\n`);
} else if (cmd === 'stow') {
  const [folder, uri] = args;
  const to = openDicomStore(uri);
  const stats = await copyInstances(openDicomStore(folder), to);
  await to.close();
  if (stats.failed > 0) {
    process.stderr.write(`stow: ${stats.failed} of ${stats.listed} instances failed\n`);
    process.exit(1);
  }
  process.stderr.write(`instances ${stats.written}\n`);
} else {
  process.stderr.write('usage: dataset-baselines.js pg-copy URL TABLE FILE… | stow FOLDER URI\n');
  process.exit(64);
}
