import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import { ok, type Failed, type Item } from '../../src/core/record.js';
import { BatchStoreWriter, type PendingRecord, type RecordOutcome } from '../../src/stores/batch-writer.js';

/** The shared writer shell over a store that takes its time and refuses every 7th record. */
class SlowStore extends BatchStoreWriter {
  stored = 0;
  batches: number[] = [];
  constructor(batchSize: number, onFailed: (f: Failed) => void, private readonly pulled: () => number, readonly inFlight: number[]) {
    super(batchSize, onFailed);
  }
  protected async storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]> {
    this.inFlight.push(this.pulled() - this.stored);
    await new Promise((r) => setTimeout(r, 2));
    this.batches.push(batch.length);
    this.stored += batch.length;
    return batch.map((r) => (Number(r.id.slice(2)) % 7 === 0 ? { code: 'STORE_REJECTED', detail: 'HTTP 400' } : null));
  }
}

t.test('a slow store slows the source: records in hand stay bounded', async (t) => {
  let pulled = 0;
  const total = 3000;
  const src = Readable.from(
    (function* (): Generator<Item> {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield ok({ resourceType: 'Basic', id: `b-${i}` }, { file: 'gen', line: i + 1 });
      }
    })(),
  );
  const got: Failed[] = [];
  const inFlight: number[] = [];
  const w = new SlowStore(50, (f) => got.push(f), () => pulled, inFlight);
  await pipeline(src, w);
  t.equal(w.written + w.failedCount, total, 'written + failed = input');
  t.equal(got.length, Math.floor((total - 1) / 7) + 1);
  t.same(got.slice(0, 2).map((f) => [f.loc.line, f.code, f.resourceType]), [[1, 'STORE_REJECTED', 'Basic'], [8, 'STORE_REJECTED', 'Basic']]);
  t.ok(w.batches.every((n) => n <= 50), 'no batch over the bound');
  // one batch + the writer's buffer (16) + the source's buffer (16) + the item being handed over
  t.ok(Math.max(...inFlight) <= 50 + 16 + 16 + 2, `at most ${Math.max(...inFlight)} records read ahead of the store`);
});

t.test('batches are cut by bytes too; a record over the bound goes alone', async (t) => {
  class Sizes extends BatchStoreWriter {
    sizes: number[][] = [];
    protected async storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]> {
      this.sizes.push(batch.map((r) => r.json.length));
      return batch.map(() => null);
    }
  }
  const rec = (i: number, n: number): Item => ok({ resourceType: 'Basic', id: `s${i}`, text: 'x'.repeat(n) }, { file: 'g', line: i });
  const w = new Sizes(100, undefined, 1000);
  const pad = (JSON.stringify({ resourceType: 'Basic', id: 's1', text: '' })).length;
  await pipeline(Readable.from([rec(1, 400 - pad), rec(2, 400 - pad), rec(3, 400 - pad), rec(4, 5000), rec(5, 10)]), w);
  t.same(w.sizes.map((b) => b.length), [2, 1, 1, 1]);
  t.ok(w.sizes.every((b) => b.length === 1 || b.reduce((a, n) => a + n, 0) <= 1000));
  t.equal(w.written, 5);
});

t.test('a value that has no JSON text is refused, not sent', async (t) => {
  class Never extends BatchStoreWriter {
    protected async storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]> {
      return batch.map(() => null);
    }
  }
  const cyclic: Record<string, unknown> = { resourceType: 'Basic', id: 'c1' };
  cyclic.self = cyclic;
  const got: Failed[] = [];
  const w = new Never(10, (f) => got.push(f));
  await pipeline(Readable.from([ok(cyclic, { file: 'g', line: 1 }), ok({ resourceType: 'Basic', id: 'c2' }, { file: 'g', line: 2 })]), w);
  t.equal(w.written, 1);
  t.same(got.map((f) => [f.loc.line, f.code]), [[1, 'STORE_INVALID_RESOURCE']]);
});

t.test('records held when the pipeline breaks are reported, not dropped', async (t) => {
  class Quick extends BatchStoreWriter {
    protected async storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]> {
      return batch.map(() => null);
    }
  }
  let accepted = 0;
  const src = Readable.from(
    (async function* (): AsyncGenerator<Item> {
      for (let i = 1; i <= 25; i++) {
        accepted++;
        yield ok({ resourceType: 'Basic', id: `a${i}` }, { file: 'g', line: i });
      }
      throw new Error('source broke');
    })(),
  );
  const got: Failed[] = [];
  const w = new Quick(10, (f) => got.push(f));
  await t.rejects(pipeline(src, w), /source broke/);
  t.equal(w.written, 20);
  t.same(got.map((f) => [f.loc.line, f.code]), [21, 22, 23, 24, 25].map((l) => [l, 'STORE_ABORTED']));
  t.equal(w.written + w.failedCount, accepted);
});

t.test('an outcome list shorter than the batch fails the rest, never drops them', async (t) => {
  class Short extends BatchStoreWriter {
    protected async storeBatch(batch: PendingRecord[]): Promise<RecordOutcome[]> {
      return batch.slice(0, 1).map(() => null);
    }
  }
  const got: Failed[] = [];
  const w = new Short(10, (f) => got.push(f));
  await pipeline(Readable.from([1, 2, 3].map((i) => ok({ resourceType: 'Basic', id: `x${i}` }, { file: 'g', line: i }))), w);
  t.equal(w.written, 1);
  t.same(got.map((f) => f.code), ['STORE_BAD_RESPONSE', 'STORE_BAD_RESPONSE']);
});
