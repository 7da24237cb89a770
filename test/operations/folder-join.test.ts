import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { joinInto } from '../../src/operations/folder-destination.js';
import { tempDir } from '../cli/fhir-store-helpers.js';

/**
 * What the join must give, written the plain way: final's lines whose id no
 * file carries, in order, then the files' lines in order, each id only at
 * its last occurrence (lines without an id all kept).
 */
function reference(final: string[] | undefined, files: string[][]): { lines: string[]; duplicates: number } {
  const idOf = (l: string): string | undefined => {
    try {
      const id = (JSON.parse(l) as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  };
  const parts = files.flat().filter((l) => l.trim() !== '');
  const ids = new Set(parts.map(idOf).filter((x): x is string => x !== undefined));
  const keep = (final ?? []).filter((l) => l.trim() !== '').filter((l) => {
    const id = idOf(l);
    return id === undefined || !ids.has(id);
  });
  const lastAt = new Map<string, number>();
  parts.forEach((l, i) => {
    const id = idOf(l);
    if (id !== undefined) lastAt.set(id, i);
  });
  const kept = parts.filter((l, i) => {
    const id = idOf(l);
    return id === undefined || lastAt.get(id) === i;
  });
  return { lines: [...keep, ...kept], duplicates: parts.length - kept.length };
}

let seed = 7;
const rand = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
};
const weird = ['a\tb', 'x\ny', 'ü-é', '"q"', '1', '01', ''];
const line = (id: string | undefined, v: number): string => (id === undefined ? JSON.stringify({ v }) : JSON.stringify({ resourceType: 'Observation', id, v }));

t.test('the join by buckets keeps the order and result of the join in memory, whatever the ids; an id repeated in the parts is written once, its last line', async (t) => {
  const dir = tempDir(t);
  let sawDuplicates = 0;
  for (let round = 0; round < 8; round++) {
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
    // odd rounds: a new destination (no final file)
    const withFinal = round % 2 === 0;
    const want = reference(withFinal ? final : undefined, files);
    sawDuplicates += want.duplicates;
    for (const limit of [1_000_000, 50, 7, 1]) {
      const tmp = path.join(dir, `out-${round}-${limit}`);
      const r = await joinInto(tmp, withFinal ? finalFile : undefined, partFiles, limit);
      const got = fs.readFileSync(tmp, 'utf8').split('\n').filter(Boolean);
      t.same(got, want.lines, `round ${round}, at most ${limit} ids in memory`);
      t.equal(r.count, want.lines.length);
      t.equal(r.duplicates, want.duplicates, `round ${round}, limit ${limit}: duplicates counted`);
    }
    t.same(fs.readdirSync(dir).filter((f) => f.startsWith('.deid-join-')), [], 'no bucket files left');
  }
  t.ok(sawDuplicates > 100, `the random parts repeat ids (${sawDuplicates} lines superseded)`);
});

t.test('the usual line shape is read without parsing, and gives the id JSON.parse gives; parts without a repeated id are linked as they are', async (t) => {
  const dir = tempDir(t);
  const lines = [
    JSON.stringify({ resourceType: 'Patient', id: 'a', v: 1 }),
    JSON.stringify({ resourceType: 'Patient', id: 'a-b.1' }),
    JSON.stringify({ resourceType: 'Patient', v: 2, id: 'a' }),
    JSON.stringify({ resourceType: 'Patient', id: 'q"uote', v: 3 }),
    JSON.stringify({ resourceType: 'Patient', id: 'q"uote', v: 4 }),
    JSON.stringify({ id: 'a-b.1', resourceType: 'Patient', v: 5 }),
  ];
  const part = path.join(dir, 'part.ndjson');
  fs.writeFileSync(part, lines.join('\n') + '\n');
  const r = await joinInto(path.join(dir, 'out'), undefined, [part]);
  t.same(fs.readFileSync(path.join(dir, 'out'), 'utf8').split('\n').filter(Boolean), [lines[2], lines[4], lines[5]]);
  t.same(r, { count: 3, duplicates: 3 });
  const unique = path.join(dir, 'unique.ndjson');
  fs.writeFileSync(unique, lines.slice(0, 2).join('\n') + '\n');
  const u = await joinInto(path.join(dir, 'linked'), undefined, [unique]);
  t.same(u, { count: 2, duplicates: 0 });
  t.equal(fs.statSync(path.join(dir, 'linked')).ino, fs.statSync(unique).ino, 'hard link, no copy');
});

t.test('many ids, few repeated: ids that share a hash by chance are kept, the repeated ones are written once', async (t) => {
  const dir = tempDir(t);
  const lines = Array.from({ length: 40_000 }, (_, i) => line(`u${i}`, i));
  // a few repeats, spread over two parts
  for (const i of [5, 17_000, 39_999]) lines.push(line(`u${i}`, -i));
  const parts = [lines.slice(0, 20_000), lines.slice(20_000)];
  const files = parts.map((p, k) => {
    const f = path.join(dir, `p${k}`);
    fs.writeFileSync(f, p.join('\n') + '\n');
    return f;
  });
  const want = reference(undefined, parts);
  t.equal(want.duplicates, 3);
  for (const limit of [1_000_000, 5_000]) {
    const out = path.join(dir, `out-${limit}`);
    const r = await joinInto(out, undefined, files, limit);
    t.same(r, { count: 40_000, duplicates: 3 }, `limit ${limit}`);
    t.same(fs.readFileSync(out, 'utf8').split('\n').filter(Boolean), want.lines, `limit ${limit}: every unique id kept, the last version of the others`);
  }
});
