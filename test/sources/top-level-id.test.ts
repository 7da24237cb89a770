import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ID_TOO_LONG } from '../../src/core/record.js';
import { MAX_ID_TEXT, TopLevelIdScanner } from '../../src/sources/top-level-id.js';
import { openInputs } from '../../src/sources/open-inputs.js';
import { fixedChunks } from '../helpers/rechunk-bytes.js';
import { sharedData } from '../helpers/run-cli.js';

/** The scanner's answer with the text cut into pieces of `size` bytes. */
function scan(text: string, size: number): unknown {
  const s = new TopLevelIdScanner();
  for (const chunk of fixedChunks(Buffer.from(text), size)) s.push(chunk);
  return s.value();
}

t.test('the top-level id, wherever it is and however the text is cut, as JSON.parse reads it', async (t) => {
  const docs = [
    '{"resourceType":"Bundle","entry":[{"resource":{"id":"inner"}}],"id":"late"}',
    '{"id":"first","entry":[]}',
    '{"entry":[{"fullUrl":"x","id":"entry-id"}],"meta":{"id":"meta-id"}}',
    '{"a":"\\"id\\":\\"no\\"","b":["id",{"id":"deep"}],"id" : "sp\\"aced\\\\"}',
    '{"\\u0069d":"escaped-key","entry":[]}',
    '{"id":"one","id":"two"}',
    '{"id":42,"entry":[]}',
    '{"text":"ends with a backslash \\\\","id":"after-backslash"}',
    '\ufeff{"entry":[{"note":"}]},\\"id\\":1"}],"id":"after-brackets-in-strings"}',
    '{"entry":[],"idx":"not it"}',
    '{"entry":[{"resource":{"id":"cut"',
  ];
  for (const doc of docs) {
    let want: unknown;
    try {
      want = (JSON.parse(doc.replace(/^\ufeff/, '')) as { id?: unknown }).id;
    } catch {
      want = undefined;
    }
    for (const size of [1, 2, 3, 7, 1000]) t.same(scan(doc, size), want, `${doc} in pieces of ${size}`);
  }
});

t.test('real Bundles: the id of every HL7 example moved after entry is found', async (t) => {
  const dir = path.join(sharedData, 'fhir-samples/hl7-r4-examples/bundles');
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const b = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
    const { id, ...rest } = b;
    const late = JSON.stringify({ ...rest, id }, null, 1);
    t.equal(scan(late, 4096), id, f);
  }
});

t.test('an id value too long to be a FHIR id: only that it is, nothing of its text kept', async (t) => {
  const huge = 'x'.repeat(3 * 1024 * 1024);
  const held = (s: TopLevelIdScanner): number => {
    const capture = (s as unknown as { capture: Buffer[] | null }).capture;
    return capture ? capture.reduce((n, b) => n + b.length, 0) : 0;
  };
  for (const [doc, want] of [
    [`{"resourceType":"Bundle","entry":[],"id":"${huge}"}`, ID_TOO_LONG],
    [`{"id":"${huge}","entry":[]}`, ID_TOO_LONG],
    [`{"id":"short","entry":[],"id":"${huge}"}`, ID_TOO_LONG],
    [`{"id":"${huge}","entry":[],"id":"short"}`, 'short'],
    [`{"entry":[],"id":{"a":"${huge}"}}`, ID_TOO_LONG],
    [`{"entry":[],"id":[${'1,'.repeat(200_000)}1]}`, ID_TOO_LONG],
    // whitespace around the value is not its text; a longest id in escapes still fits
    [`{"entry":[],"id":${' '.repeat(1_000_000)}"${'a'.repeat(64)}"${'\n'.repeat(1_000_000)}}`, 'a'.repeat(64)],
    [`{"entry":[],"id":"${'\\u0041'.repeat(64)}"}`, 'A'.repeat(64)],
    [`{"entry":[],"id":"${'b'.repeat(65)}"}`, 'b'.repeat(65)],
  ] as const) {
    for (const size of [7, 4096, 65536]) {
      const s = new TopLevelIdScanner();
      let most = 0;
      for (const chunk of fixedChunks(Buffer.from(doc), size)) {
        s.push(chunk);
        most = Math.max(most, held(s));
      }
      t.equal(s.value(), want, `${doc.slice(0, 40)}… in pieces of ${size}`);
      t.ok(most <= MAX_ID_TEXT, `at most ${MAX_ID_TEXT} bytes held (${most})`);
    }
  }
});

t.test('openInputs in 64-byte reads: a multi-MB id after entry is read ahead as too long, the head id replaced by the last', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deid-long-id-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entry = '[{"resource":{"resourceType":"Basic","id":"e"}}]';
  for (const [name, text, want] of [
    ['huge', `{"resourceType":"Bundle","type":"collection","entry":${entry},"id":"${'x'.repeat(3 * 1024 * 1024)}"}`, ID_TOO_LONG],
    ['two', `{"resourceType":"Bundle","id":"first","entry":${entry},"id":"last"}`, 'last'],
  ] as const) {
    const file = path.join(dir, `${name}.json`);
    fs.writeFileSync(file, text);
    const starts: unknown[] = [];
    for await (const item of openInputs([file], { readSize: 64 })) if ((item as { kind: string }).kind === 'start') starts.push((item as { laterId?: unknown }).laterId);
    t.same(starts, [want], name);
  }
});
