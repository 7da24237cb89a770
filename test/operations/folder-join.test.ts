import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { mergeInto } from '../../src/operations/folder-destination.js';
import { tempDir } from '../cli/fhir-store-helpers.js';

/** What the join must give: final's lines whose id no file carries, in order, then the files' lines in order. */
function reference(final: string[], files: string[][]): string[] {
  const idOf = (l: string): string | undefined => {
    try {
      const id = (JSON.parse(l) as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  };
  const ids = new Set(files.flat().map(idOf).filter((x): x is string => x !== undefined));
  const keep = final.filter((l) => l.trim() !== '').filter((l) => {
    const id = idOf(l);
    return id === undefined || !ids.has(id);
  });
  return [...keep, ...files.flat().filter((l) => l.trim() !== '')];
}

let seed = 7;
const rand = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
};
const weird = ['a\tb', 'x\ny', 'ü-é', '"q"', '1', '01', ''];
const line = (id: string | undefined, v: number): string => (id === undefined ? JSON.stringify({ v }) : JSON.stringify({ resourceType: 'Observation', id, v }));

t.test('the join by buckets keeps the order and result of the join in memory, whatever the ids', async (t) => {
  const dir = tempDir(t);
  for (let round = 0; round < 6; round++) {
    const pool = [...Array.from({ length: 300 }, (_, i) => `id-${i}`), ...weird];
    const pick = (): string => pool[rand(pool.length)]!;
    const final = Array.from({ length: 500 }, (_, i) => (rand(10) === 0 ? (rand(2) ? '' : 'not json') : line(rand(15) === 0 ? undefined : pick(), i)));
    const files = [0, 1, 2].slice(0, 1 + (round % 3)).map((f) => Array.from({ length: 120 + rand(100) }, (_, i) => (rand(30) === 0 ? '   ' : line(rand(20) === 0 ? undefined : pick(), 1000 * (f + 1) + i))));
    const finalFile = path.join(dir, `final-${round}.ndjson`);
    fs.writeFileSync(finalFile, final.join('\n') + '\n');
    const partFiles = files.map((lines, f) => {
      const p = path.join(dir, `part-${round}-${f}.ndjson`);
      fs.writeFileSync(p, lines.join('\n') + '\n');
      return p;
    });
    const want = reference(final, files);
    for (const limit of [1_000_000, 50, 7, 1]) {
      const tmp = path.join(dir, `out-${round}-${limit}`);
      const n = await mergeInto(tmp, finalFile, partFiles, limit);
      const got = fs.readFileSync(tmp, 'utf8').split('\n').filter(Boolean);
      t.same(got, want, `round ${round}, at most ${limit} ids in memory`);
      t.equal(n, want.length);
    }
    t.same(fs.readdirSync(dir).filter((f) => f.startsWith('.deid-join-')), [], 'no bucket files left');
  }
});
