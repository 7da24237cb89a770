// A streamed Bundle's meta that comes before `entry` is written in its place
// (as the Bundle read whole has it) with the labels known only at the end,
// what follows it held up to a bound; past the bound it comes after the entries.
import t from 'tap';
import { META_HELD, type Failed, type Item } from '../../src/core/record.js';
import { NdjsonSerializer } from '../../src/sinks/ndjson-serializer.js';

type Json = Record<string, unknown>;

function run(items: Item[], holdAfterMeta?: number): { pieces: string[]; failed: Failed[]; finish: Failed | null } {
  const s = new NdjsonSerializer(holdAfterMeta === undefined ? {} : { holdAfterMeta });
  const pieces: string[] = [];
  const failed: Failed[] = [];
  const emit = (_rt: string, text: string) => void pieces.push(text);
  for (const it of items) s.write(it, emit, (f) => failed.push(f));
  return { pieces, failed, finish: s.finish(emit) };
}

const loc = { file: 'f' };
const meta = { versionId: '1', security: [{ system: 's', code: 'REDACTED' }] };
const entries = (n: number): Item[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'ok', value: { resource: { resourceType: 'Basic', id: `b${i}` } }, loc: { file: 'f', entry: i } }) as Item);
const bundle = (head: Json, n: number, tail: Json): Item[] => [
  { kind: 'start', head, loc },
  ...entries(n),
  { kind: 'end', tail, loc },
];

t.test('the final meta goes where the held one was; nothing after it is written before the end', async (t) => {
  const r = run(bundle({ id: 'x', meta: META_HELD, type: 'collection', total: 3 }, 3, { link: [], meta }));
  t.same(r.failed, []);
  t.equal(r.finish, null);
  t.equal(r.pieces[0], '{"resourceType":"Bundle","id":"x"', 'the members before meta go out at once');
  const line = r.pieces.join('');
  t.equal(
    line,
    '{"resourceType":"Bundle","id":"x","meta":' + JSON.stringify(meta) + ',"type":"collection","total":3,"entry":[' +
      entries(3).map((e) => JSON.stringify((e as { value: unknown }).value)).join(',') + '],"link":[]}\n',
  );
  t.same(Object.keys(JSON.parse(line) as Json), ['resourceType', 'id', 'meta', 'type', 'total', 'entry', 'link']);
});

t.test('a held meta the tail has none for (removed by the rules) is not written', async (t) => {
  const line = run(bundle({ meta: META_HELD, type: 'collection' }, 1, {})).pieces.join('');
  t.same(Object.keys(JSON.parse(line) as Json), ['resourceType', 'type', 'entry']);
});

t.test('past the bound, what is held goes out and the meta comes after the entries: still one valid Bundle', async (t) => {
  const r = run(bundle({ id: 'x', meta: META_HELD, type: 'collection' }, 50, { meta }), 200);
  const line = r.pieces.join('');
  const b = JSON.parse(line) as Json;
  t.same(Object.keys(b), ['resourceType', 'id', 'type', 'entry', 'meta']);
  t.same(b.meta, meta);
  t.equal((b.entry as unknown[]).length, 50);
  t.ok(r.pieces.length > 5, 'the entries went out before the end');
  t.ok(Math.max(...r.pieces.map((p) => p.length)) < 400, 'no piece much larger than the bound');
});

t.test('an input that ends inside a held Bundle: what was held goes out, the Bundle is closed', async (t) => {
  const r = run([{ kind: 'start', head: { id: 'x', meta: META_HELD, type: 'collection' }, loc }, ...entries(2)]);
  t.match(r.finish, { code: 'INVALID_BUNDLE' });
  const b = JSON.parse(r.pieces.join('')) as Json;
  t.same(Object.keys(b), ['resourceType', 'id', 'type', 'entry']);
  t.equal((b.entry as unknown[]).length, 2);
});

t.test('unbundled, nothing is held', async (t) => {
  const s = new NdjsonSerializer({ unbundle: true });
  const pieces: string[] = [];
  for (const it of bundle({ meta: META_HELD }, 2, { meta })) s.write(it, (_rt, text) => void pieces.push(text), () => undefined);
  t.equal(pieces.length, 2);
  t.same(pieces.map((p) => (JSON.parse(p) as Json).id), ['b0', 'b1']);
});
