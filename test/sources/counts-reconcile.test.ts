import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { openInputs } from '../../src/sources/open-inputs.js';
import { seededRandom } from '../helpers/rechunk-bytes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');

async function collect(src: AsyncIterable<unknown>): Promise<Item[]> {
  const out: Item[] = [];
  for await (const it of src) out.push(it as Item);
  return out;
}

/** Non-blank line numbers of an NDJSON buffer (the reference count). */
function recordLines(buf: Buffer): number[] {
  const text = buf.toString('utf8').replace(/^\ufeff/, '');
  return text
    .split('\n')
    .map((l, i) => [l, i + 1] as const)
    .filter(([l]) => l.trim() !== '')
    .map(([, n]) => n);
}

t.test('bulk folders: every input line is exactly one ok or one failed item', async (t) => {
  for (const d of ['bulk-smart-10-patients', 'bulk-synthea-30-patients']) {
    const folder = path.join(samples, d);
    const items = await collect(openInputs([folder]));
    for (const name of fs.readdirSync(folder).filter((n) => n.endsWith('.ndjson'))) {
      const file = path.join(folder, name);
      const lines = items.filter((i) => i.loc.file === file).map((i) => i.loc.line);
      t.strictSame(lines, recordLines(fs.readFileSync(file)), `${d}/${name}`);
    }
  }
});

t.test('an adversarial NDJSON file reconciles: in = ok + failed, per code', async (t) => {
  const rnd = seededRandom(7);
  const good = fs.readFileSync(path.join(samples, 'bulk-synthea-30-patients/Condition.ndjson'), 'utf8').split('\n').filter(Boolean);
  const bad: Record<string, string[]> = {
    INVALID_JSON: ['{"resourceType":"Patient",', '{]', "{'a':1}", '{"resourceType":"Patient"}}'],
    NOT_AN_OBJECT: ['[]', '"Patient"', '17', 'true', 'null'],
    NO_RESOURCE_TYPE: ['{}', '{"id":"x"}', '{"resourceType":null}'],
    TOO_DEEP: [`{"resourceType":"Basic","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    LINE_TOO_LONG: [`{"resourceType":"Binary","data":"${'B'.repeat(300_000)}"}`],
  };
  const pool: Array<[string, string]> = [
    ...good.map((l) => ['ok', l] as [string, string]),
    ...Object.entries(bad).flatMap(([code, ls]) => ls.map((l) => [code, l] as [string, string])),
  ];
  // shuffle, then join with a mix of \n, \r\n and blank lines
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  let text = '\ufeff';
  const expectedAt = new Map<number, string>();
  let lineNo = 0;
  for (const [code, l] of pool) {
    const r = rnd();
    if (r < 0.1) {
      text += '\n';
      lineNo++;
    } else if (r < 0.15) {
      text += ' \t \r\n';
      lineNo++;
    }
    text += l + (rnd() < 0.5 ? '\r\n' : '\n');
    expectedAt.set(++lineNo, code);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-reconcile-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'mixed.ndjson');
  fs.writeFileSync(file, text);

  const items = await collect(openInputs([file], { maxLineLength: 256 * 1024, readSize: 4096 }));
  const got = new Map<number, string>();
  let duplicates = 0;
  for (const it of items) {
    if (it.kind === 'start' || it.kind === 'end') t.fail('no containers in NDJSON');
    if (got.has(it.loc.line!)) duplicates++;
    got.set(it.loc.line!, it.kind === 'failed' ? it.code : it.kind);
  }
  t.equal(duplicates, 0);
  t.equal(items.length, pool.length, 'in = ok + failed');
  t.strictSame(got, expectedAt, 'each line has the outcome it was built for');
  const counts: Record<string, number> = {};
  for (const v of got.values()) counts[v] = (counts[v] ?? 0) + 1;
  t.strictSame(counts, { ok: good.length, ...Object.fromEntries(Object.entries(bad).map(([k, v]) => [k, v.length])) });
});
