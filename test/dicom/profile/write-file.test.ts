// The synchronous file writer (editFileSync, reused buffers) writes exactly
// the bytes of the stream pipeline, on every sample, whatever the read size:
// tiny reads and tiny value chunks put the tokenizer's unread tail and value
// chunks inside sequences across buffer reuse.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import { editFileSync, NeedsStreams } from '../../../src/dicom/edit-file-sync.js';
import { EditorCore } from '../../../src/dicom/editor-core.js';
import { InserterCore } from '../../../src/dicom/insert.js';
import { profileRule } from '../../../src/dicom/profile/engine.js';
import { methodElements } from '../../../src/dicom/profile/method-elements.js';
import { metaEdits } from '../../../src/dicom/profile/meta-elements.js';
import { defaultDicomPlan } from '../../../src/dicom/profile/plan.js';
import { prepareBytes, prepareInstance, writeInstanceFile, writeTokensFile } from '../../../src/dicom/profile/deidentify-instance.js';
import { Keyed } from '../../../src/core/keyed.js';
import { tokenShell, type TokenCore } from '../../../src/dicom/token-shell.js';
import { dicomTokenizer, type TokenizerOptions } from '../../../src/dicom/tokenizer.js';
import { dicomWriter } from '../../../src/dicom/writer.js';
import { sampleFiles, samplePath } from '../samples.js';
import { deid, KEY } from './helpers.js';
import { facts, keyed } from './rule-helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-write-file-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const samples = sampleFiles().filter((f) => f.endsWith('.dcm'));
const plan = { ...defaultDicomPlan(), allowBurnedIn: true };

async function outcome(run: () => Promise<Buffer>): Promise<Buffer | string> {
  try {
    return await run();
  } catch (e) {
    return `error ${(e as { code?: string }).code}`;
  }
}

let n = 0;
async function viaFile(src: string | Buffer, name: string): Promise<Buffer> {
  const setup = { plan, keyed: new Keyed(KEY) };
  const prepared = await prepareInstance(typeof src === 'string' ? fs.createReadStream(src) : Readable.from([src]), name, setup);
  const dest = path.join(tmp, `out-${n++}.dcm`);
  await writeInstanceFile(src, dest, name, prepared, setup, new Map());
  return fs.readFileSync(dest);
}

/** prepareBytes + writeTokensFile: one tokenization for both passes; 'deflated' when it declines. */
async function viaTokens(bytes: Buffer, name: string): Promise<Buffer> {
  const setup = { plan, keyed: new Keyed(KEY) };
  const tokenized = prepareBytes(bytes, name, setup);
  if (!tokenized) return Buffer.from('deflated');
  const dest = path.join(tmp, `out-${n++}.dcm`);
  await writeTokensFile(tokenized, dest, name, setup, new Map());
  return fs.readFileSync(dest);
}

t.test('writeInstanceFile (from a path and from bytes) and the tokenized path = writeInstance, on every sample', async (t) => {
  for (const name of samples) {
    const p = samplePath(name);
    const streamed = await outcome(async () => (await deid(p, { plan })).bytes);
    t.same(await outcome(() => viaFile(p, name)), streamed, `${name} from the file`);
    t.same(await outcome(() => viaFile(fs.readFileSync(p), name)), streamed, `${name} from bytes`);
    const tokens = await outcome(() => viaTokens(fs.readFileSync(p), name));
    if (name.includes('_dfl')) t.same(tokens, Buffer.from('deflated'), `${name}: left to the streams`);
    else t.same(tokens, streamed, `${name} tokenized once`);
  }
});

t.test('the tokenized path fails like the streamed one on cut instances', async (t) => {
  const mr = fs.readFileSync(samplePath('ts/MR_small.dcm'));
  for (const cut of [1, 131, 140, 333, 1500, 5000, mr.length - 1]) {
    const bytes = mr.subarray(0, cut);
    const setup = { plan, keyed: new Keyed(KEY) };
    const streamed = await deid(bytes, { plan }).then(() => undefined, (e: { code: string; loc: { offset?: number } }) => e);
    t.ok(streamed, `cut at ${cut}: the streamed passes fail`);
    try {
      const tk = prepareBytes(bytes, 'buffer', setup);
      t.ok(tk?.error, `cut at ${cut}: the facts were complete (the pixel data was read); the edit fails`);
      await t.rejects(writeTokensFile(tk!, path.join(tmp, `cut-${n++}.dcm`), 'buffer', setup, new Map()), { code: streamed!.code });
    } catch (e) {
      t.same({ code: (e as { code: string }).code, loc: (e as { loc: unknown }).loc }, { code: streamed!.code, loc: streamed!.loc }, `cut at ${cut}: same code and offset`);
    }
  }
});

function cores(): TokenCore[] {
  const env = { plan, keyed, facts: facts(), shiftDays: 11, counts: new Map<string, number>() };
  return [new EditorCore(profileRule(env), { maxBufferedBytes: 1 << 20 }), new InserterCore(methodElements(plan))];
}
const writerOptions = { mediaStorageSOPInstanceUID: '1.2.3.4.5', metaElements: metaEdits(plan) };

async function streamed(p: string, tokenizer: TokenizerOptions): Promise<Buffer | string> {
  return outcome(async () => {
    const chunks: Buffer[] = [];
    const sink = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c); cb(); } });
    await pipeline([fs.createReadStream(p, { highWaterMark: 777 }), dicomTokenizer(tokenizer), ...cores().map(tokenShell), dicomWriter(writerOptions), sink]);
    return Buffer.concat(chunks);
  });
}

function synced(p: string, tokenizer: TokenizerOptions, readBytes: number): Promise<Buffer | string> {
  return outcome(async () => {
    const dest = path.join(tmp, `sync-${n++}.dcm`);
    const fd = fs.openSync(dest, 'wx');
    try {
      editFileSync(p, fd, cores(), writerOptions, { tokenizer, readBytes });
    } catch (e) {
      if (e instanceof NeedsStreams) return Buffer.from('needs streams');
      throw e;
    } finally {
      fs.closeSync(fd);
    }
    return fs.readFileSync(dest);
  });
}

t.test('editFileSync = the stream pipeline with small reads and small value chunks', async (t) => {
  const small: TokenizerOptions = { maxValueBytes: 64, chunkBytes: 50 };
  for (const name of samples) {
    const p = samplePath(name);
    for (const tokenizer of [{}, small]) {
      const want = await streamed(p, tokenizer);
      for (const readBytes of [97, 4096, 65537]) {
        const got = await synced(p, tokenizer, readBytes);
        // A deflated dataset is left to the stream path (writeInstanceFile falls back to it: tested above).
        if (name.includes('_dfl')) t.same(got, Buffer.from('needs streams'), `${name}: deflated`);
        else t.same(got, want, `${name} ${JSON.stringify(tokenizer)} read ${readBytes}`);
      }
    }
  }
});

t.test('a file written with DICM at byte 0 (no preamble) is de-identified to the bytes of the file with one, on every path', async (t) => {
  for (const name of ['ts/CT1_UNC.explicit_little_endian.dcm', 'ts/MR_small_implicit.dcm', 'rt/rtplan.dcm', 'ts/image_dfl.dcm', 'encapsulated/MR_small_RLE.dcm']) {
    const p = samplePath(name);
    const want = (await deid(p, { plan })).bytes;
    const bare = fs.readFileSync(p).subarray(128);
    const bareFile = path.join(tmp, `bare-${n++}`);
    fs.writeFileSync(bareFile, bare);
    t.ok((await deid(bare, { plan })).bytes.equals(want), `${name}: streamed`);
    t.same(await outcome(() => viaFile(bareFile, name)), want, `${name}: from the file`);
    t.same(await outcome(() => viaFile(bare, name)), want, `${name}: from bytes`);
    if (!name.includes('_dfl')) t.same(await outcome(() => viaTokens(bare, name)), want, `${name}: tokenized once`);
    // these cores write the preamble as read: the original's, with its bytes zeroed, is what comes out
    const zeroed = path.join(tmp, `zeroed-${n++}.dcm`);
    fs.writeFileSync(zeroed, Buffer.concat([Buffer.alloc(128), bare]));
    const stream = await streamed(zeroed, {});
    t.ok(Buffer.isBuffer(stream), `${name}: the stream pipeline writes it`);
    for (const readBytes of [97, 65537]) {
      const sync = await synced(bareFile, {}, readBytes);
      if (name.includes('_dfl')) t.same(sync, Buffer.from('needs streams'), `${name}: deflated`);
      else t.same(sync, stream, `${name}: editFileSync, read ${readBytes}`);
    }
  }
});
