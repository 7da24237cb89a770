import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { TopLevelIdScanner } from '../../src/sources/top-level-id.js';
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
