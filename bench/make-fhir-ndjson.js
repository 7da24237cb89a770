// Builds a large NDJSON file by replicating the FHIR sample exports, each copy
// with fresh ids: every UUID in a copy gets a copy-specific prefix, so
// references stay consistent inside a copy and no two copies share a resource.
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

const UUID = /\b[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;

/** Copy number `copy` of NDJSON text: every UUID gets a copy-specific prefix (copy 0 is the original). */
export function freshCopy(text, copy) {
  if (copy === 0) return text;
  const prefix = (0x10000000 + copy).toString(16).slice(-8);
  return text.replace(UUID, `${prefix}$1`);
}

export async function makeFhirNdjson(out, sources, minBytes) {
  const files = sources.flatMap((dir) =>
    fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson') && !f.startsWith('log')).sort().map((f) => path.join(dir, f)),
  );
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const ws = fs.createWriteStream(out);
  let bytes = 0;
  let records = 0;
  for (let copy = 0; bytes < minBytes; copy++) {
    for (const t of texts) {
      const s = freshCopy(t, copy);
      if (!ws.write(s)) await once(ws, 'drain');
      bytes += Buffer.byteLength(s);
      records += s.split('\n').length - 1;
    }
  }
  ws.end();
  await once(ws, 'finish');
  return { bytes, records };
}
