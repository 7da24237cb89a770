import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedInput } from '../sources/open-inputs.js';
import { DEFAULT_SNIFF_LIMIT, gunzipped, readInputBatches, sniffFormat } from '../sources/open-inputs.js';
import { DEFAULT_MAX_LINE_LENGTH } from '../sources/line-splitter.js';
import { MarkedLines } from '../sources/marked-lines.js';
import { readInto } from '../sources/read-into.js';
import { contextValuesOf, patientIdOf, type PatientContext } from '../fhir/patient.js';
import { isResourceType } from '../fhir/r4-types.js';

type Json = Record<string, unknown>;

const PATIENT_MARK = Buffer.from('"Patient"');

/**
 * First pass for contextual de-identification: the structured identifiers of
 * every Patient in the (re-readable) inputs, so a note read before its
 * patient's record is still scrubbed. Bulk files named for another resource
 * type are skipped, and in NDJSON only lines that mention "Patient" are
 * cut out and parsed (MarkedLines). Unreadable records are ignored here; the main pass reports them.
 * An input without a path (stdin not copied to a file) is skipped: there,
 * patients are learnt as they stream by.
 */
export async function collectPatientContext(inputs: readonly ResolvedInput[], context: PatientContext): Promise<void> {
  for (const input of inputs) {
    if (input.path === null) continue;
    const type = /^([A-Z][A-Za-z]+)(?=[.\-_])/.exec(path.basename(input.path))?.[1];
    if (type && type !== 'Patient' && type !== 'Bundle' && isResourceType(type)) continue;
    if (input.format === 'ndjson' || (input.format === 'sniff' && sniffedNdjson(input.path))) await scanNdjson(input, context);
    else await scanDocuments(input, context);
  }
}

/** Whether a file whose name does not tell its format holds plain NDJSON (sniffFormat on its first bytes). */
function sniffedNdjson(file: string): boolean {
  const head = Buffer.allocUnsafe(DEFAULT_SNIFF_LIMIT);
  let n = 0;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      for (let k; n < head.length && (k = fs.readSync(fd, head, n, head.length - n, n)) > 0; ) n += k;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false; // the main pass reports an unreadable input
  }
  return sniffFormat(head.subarray(0, n), n < head.length, DEFAULT_SNIFF_LIMIT, true) === 'ndjson';
}

function learn(resource: unknown, context: PatientContext, fullUrl?: string): void {
  if (!resource || typeof resource !== 'object') return;
  const r = resource as Json;
  if (r.resourceType === 'Patient') {
    const id = patientIdOf(r, fullUrl);
    if (id) context.add(id, contextValuesOf(r));
  } else if (r.resourceType === 'Bundle' && Array.isArray(r.entry)) {
    for (const e of r.entry as Json[]) learn(e?.resource, context, typeof e?.fullUrl === 'string' ? e.fullUrl : undefined);
  }
}

async function scanNdjson(input: ResolvedInput, context: PatientContext): Promise<void> {
  const finder = new MarkedLines(PATIENT_MARK, DEFAULT_MAX_LINE_LENGTH);
  const lines: Buffer[] = [];
  const raw = input.gzip ? fs.createReadStream(input.path!, { highWaterMark: 256 * 1024 }) : undefined;
  // corrupt gzip data: the patients decoded before the bad byte are learnt, as the main pass reads them
  const bytes = raw ? gunzipped(raw, { reread: () => fs.createReadStream(input.path!, { highWaterMark: 256 * 1024 }) }) : readInto(input.path!, Buffer.allocUnsafeSlow(256 * 1024));
  const drain = () => {
    for (const line of lines) {
      const b = line[0] === 0xef && line[1] === 0xbb && line[2] === 0xbf ? line.subarray(3) : line;
      try {
        learn(JSON.parse(b.toString('utf8')), context);
      } catch {
        /* reported by the main pass */
      }
    }
    lines.length = 0;
  };
  try {
    for await (const chunk of bytes) {
      finder.push(chunk as Buffer, lines);
      drain();
    }
    finder.end(lines);
    drain();
  } catch {
    /* a corrupt file is reported by the main pass */
  } finally {
    raw?.destroy();
  }
}

async function scanDocuments(input: ResolvedInput, context: PatientContext): Promise<void> {
  try {
    // what the Bundle's id keys is no concern of this pass
    for await (const batch of readInputBatches(input, { readAheadIds: false })) {
      for (const item of batch) {
        if (item.kind !== 'ok') continue;
        const v = item.value as Json;
        if (item.loc.entry !== undefined) learn(v?.resource, context, typeof v?.fullUrl === 'string' ? v.fullUrl : undefined);
        else learn(v, context);
      }
    }
  } catch {
    /* reported by the main pass */
  }
}
