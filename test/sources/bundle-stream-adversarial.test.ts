import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Item } from '../../src/core/record.js';
import { BundleStreamCore } from '../../src/sources/bundle-stream.js';
import { CHUNKINGS, feedChunks } from '../helpers/rechunk-bytes.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const samples = path.resolve(repoRoot, '../shared/data/fhir-samples');
const bundleFile = path.join(samples, 'hl7-r4-examples/bundles/Bundle-bundle-transaction.json');

const stream = (buf: Buffer, chunks?: Buffer[], maxDepth?: number): Item[] =>
  feedChunks(() => new BundleStreamCore({ file: 'b.json', maxDepth }), chunks ?? [buf]);
const kinds = (items: Item[]): string[] => items.map((i) => (i.kind === 'failed' ? `failed:${i.code}` : i.kind));

/** start/end always pair up, and nothing follows a document's failure except its end. */
function wellFormed(items: Item[]): boolean {
  let open = false;
  let failedAt = -1;
  for (const [i, it] of items.entries()) {
    if (it.kind === 'start') {
      if (open) return false;
      open = true;
    } else if (it.kind === 'end') {
      if (!open) return false;
      open = false;
    } else if (it.kind === 'failed' && (it.code === 'TRUNCATED_JSON' || it.code === 'INVALID_JSON')) {
      failedAt = i;
    }
  }
  if (failedAt >= 0 && failedAt < items.length - 2) return false;
  return !open;
}

t.test('truncated Bundle JSON at every position: TRUNCATED_JSON with the byte offset, never a crash or a hang', async (t) => {
  const buf = fs.readFileSync(bundleFile);
  const whole = stream(buf);
  const entries = whole.filter((i) => i.kind === 'ok').length;
  for (let cut = 1; cut < buf.length - 1; cut += 13) {
    const part = buf.subarray(0, cut);
    const items = stream(part);
    const f = items.find((i) => i.kind === 'failed');
    t.ok(f && f.kind === 'failed' && f.code === 'TRUNCATED_JSON' && f.loc.offset === cut, `cut at ${cut}`);
    t.ok(wellFormed(items), `cut at ${cut}: start/end paired`);
    // entries complete before the cut come out whole
    t.ok(items.filter((i) => i.kind === 'ok').length <= entries);
    t.strictSame(stream(part, CHUNKINGS[1].split(part)), items, `cut at ${cut}: same with 7-byte chunks`);
  }
});

t.test('invalid JSON: INVALID_JSON, no content in the item, same result for every chunking', async (t) => {
  const good = fs.readFileSync(bundleFile, 'utf8');
  const bad = [
    good.replace('"request"', '"request" "Secretname"'),
    good.replace(/\}\s*$/, '}} "Secretname"'),
    good.replace('"fullUrl"', "'fullUrl'"),
    '{"resourceType":"Patient","name":[{"family":"Secretname",]}',
    '{"resourceType":"Patient"} {"resourceType":"Patient","id":"Secretname"}',
  ];
  for (const b of bad) {
    const buf = Buffer.from(b);
    const items = stream(buf);
    t.ok(items.some((i) => i.kind === 'failed' && i.code === 'INVALID_JSON'), b.slice(0, 40));
    t.ok(wellFormed(items));
    t.notMatch(JSON.stringify(items.filter((i) => i.kind === 'failed')), /Secretname/);
    for (const c of CHUNKINGS) t.strictSame(stream(buf, c.split(buf)), items, c.name);
  }
});

t.test('not a resource: NOT_AN_OBJECT, NO_RESOURCE_TYPE; empty input is TRUNCATED_JSON', async (t) => {
  t.same(kinds(stream(Buffer.from('[{"resourceType":"Patient"}]'))), ['failed:NOT_AN_OBJECT']);
  t.same(kinds(stream(Buffer.from(' "Secretname" '))), ['failed:NOT_AN_OBJECT']);
  t.same(kinds(stream(Buffer.from('null'))), ['failed:NOT_AN_OBJECT']);
  t.same(kinds(stream(Buffer.from('{"id":"x","name":[{"family":"Secretname"}]}'))), ['failed:NO_RESOURCE_TYPE']);
  t.same(kinds(stream(Buffer.from(''))), ['failed:TRUNCATED_JSON']);
  t.same(kinds(stream(Buffer.from('  \n '))), ['failed:TRUNCATED_JSON']);
});

t.test('a BOM before the document is accepted', async (t) => {
  const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(bundleFile)]);
  const plain = stream(fs.readFileSync(bundleFile));
  for (const c of CHUNKINGS) t.strictSame(stream(buf, c.split(buf)), plain, c.name);
});

t.test('an entry nested 100k levels deep is TOO_DEEP; the entries around it still come out', async (t) => {
  const n = 100_000;
  const deep = `{"resource":{"resourceType":"Basic","x":${'['.repeat(n)}${']'.repeat(n)}}}`;
  const doc = `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"a"}},${deep},{"resource":{"resourceType":"Patient","id":"b"}}],"total":3}`;
  const buf = Buffer.from(doc);
  const items = stream(buf);
  t.same(kinds(items), ['start', 'ok', 'failed:TOO_DEEP', 'ok', 'end']);
  t.match(items[2], { loc: { file: 'b.json', entry: 1 } });
  t.match(items[3], { kind: 'ok', value: { resource: { id: 'b' } }, loc: { entry: 2 } });
  t.strictSame(items[4], { kind: 'end', tail: { total: 3 }, loc: { file: 'b.json' } });
  t.strictSame(stream(buf, CHUNKINGS[2].split(buf)), items, 'random chunks');
  // a deep single resource fails as a whole
  const single = Buffer.from(`{"resourceType":"Basic","x":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`);
  t.same(kinds(stream(single)), ['failed:TOO_DEEP']);
  // the limit is configurable
  const shallow = Buffer.from('{"resourceType":"Bundle","entry":[{"a":{"b":{"c":{}}}}]}');
  t.same(kinds(stream(shallow, undefined, 4)), ['start', 'ok', 'end']);
  t.same(kinds(stream(shallow, undefined, 3)), ['start', 'failed:TOO_DEEP', 'end']);
});

t.test('malformed Bundles', async (t) => {
  // an entry that is not an object
  t.same(kinds(stream(Buffer.from('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},"x",3]}'))), [
    'start',
    'ok',
    'failed:INVALID_BUNDLE',
    'failed:INVALID_BUNDLE',
    'end',
  ]);
  // entry that is not an array
  t.same(kinds(stream(Buffer.from('{"resourceType":"Bundle","entry":{"resource":{}}}'))), ['failed:INVALID_BUNDLE']);
  // entry before resourceType, which turns out not to be Bundle
  t.same(kinds(stream(Buffer.from('{"entry":[{"item":{}}],"resourceType":"List"}'))), ['start', 'ok', 'failed:INVALID_BUNDLE', 'end']);
  // entry before resourceType Bundle: streamed, resourceType lands in the tail
  const late = stream(Buffer.from('{"id":"x","entry":[{"resource":{"resourceType":"Patient"}}],"resourceType":"Bundle"}'));
  t.same(kinds(late), ['start', 'ok', 'end']);
  t.strictSame(late[2], { kind: 'end', tail: { resourceType: 'Bundle' }, loc: { file: 'b.json' } });
  // a __proto__ member stays data, it does not become a prototype
  const proto = stream(Buffer.from('{"resourceType":"Bundle","entry":[{"__proto__":{"polluted":true},"resource":{"resourceType":"Patient"}}]}'));
  const entry = (proto[1] as { value: Record<string, unknown> }).value;
  t.equal(Object.getPrototypeOf(entry), Object.prototype);
  t.same(Object.keys(entry), ['__proto__', 'resource']);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
});

t.test('abort (the input failed under the parser) closes an open Bundle once, and only once', async (t) => {
  const buf = fs.readFileSync(bundleFile);
  const mid = new BundleStreamCore({ file: 'b.json' });
  const out: Item[] = [];
  mid.push(buf.subarray(0, Math.floor(buf.length / 2)), out);
  mid.abort('GZIP_CORRUPT', 'Compressed input is corrupt or truncated', out);
  mid.abort('READ_FAILED', 'again', out);
  t.same(kinds(out).slice(-2), ['failed:GZIP_CORRUPT', 'end']);
  t.match(out[out.length - 2], { loc: { offset: Math.floor(buf.length / 2) } });

  const after = new BundleStreamCore({ file: 'b.json' });
  const out2: Item[] = [];
  after.push(buf, out2);
  after.abort('GZIP_CORRUPT', 'Compressed input is corrupt or truncated', out2);
  const k = kinds(out2);
  t.equal(k.filter((x) => x === 'end').length, 1, 'a completed document is not closed twice');
  t.same(k.slice(-2), ['end', 'failed:GZIP_CORRUPT']);
});

t.test('a second `entry` member streams too: its entries are records, numbered on from the first', async (t) => {
  const doc = '{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"a"}}],"type":"collection",' +
    '"entry":[{"resource":{"resourceType":"Patient","id":"b"}},{"resource":{"resourceType":"Patient","id":"c"}}],"id":"x"}';
  const buf = Buffer.from(doc);
  const items = stream(buf);
  t.same(kinds(items), ['start', 'ok', 'ok', 'ok', 'end']);
  t.same(items.filter((i) => i.kind === 'ok').map((i) => [(i as { value: { resource: { id: string } } }).value.resource.id, i.loc.entry]), [['a', 0], ['b', 1], ['c', 2]]);
  t.strictSame(items[4], { kind: 'end', tail: { type: 'collection', id: 'x' }, loc: { file: 'b.json' } });
  for (const c of CHUNKINGS) t.strictSame(stream(buf, c.split(buf)), items, c.name);
  // a second `entry` that is not an array cannot be written: it is a failure, not a silent drop
  const bad = stream(Buffer.from('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}],"entry":{"resource":{}}}'));
  t.same(kinds(bad), ['start', 'ok', 'failed:INVALID_BUNDLE', 'end']);
  t.notOk('entry' in (bad[3] as { tail: object }).tail);
});
