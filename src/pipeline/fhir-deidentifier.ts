import { Transform, type TransformCallback } from 'node:stream';
import type { DeidConfig } from '../config/model.js';
import { parseConfig } from '../config/load-config.js';
import { DeidError } from '../core/errors.js';
import { decodeKey } from '../core/key.js';
import { failed, ok, type Failed, type Item } from '../core/record.js';
import { deidentifyItem, type BundleState } from '../fhir/deidentify-item.js';
import type { FhirEnv } from '../fhir/env.js';
import { deidDefaultConfig, makeFhirEnv } from '../fhir/make-env.js';
import { LineSplitterCore, type SplitLine } from '../sources/line-splitter.js';
import { parseLine } from '../sources/ndjson-records.js';

export interface FhirDeidentifierOptions {
  /**
   * A Google DeidentifyConfig object (v1 or v1beta1) or an already normalized
   * DeidConfig; default: deid's BASIC profile.
   */
  config?: unknown;
  /** ≥ 32 bytes, or text holding them as hex or base64. Required: pseudonyms must be linkable. */
  key: Buffer | string;
  /** 'object' (default): resources in, resources out. 'bytes': NDJSON in, NDJSON out. */
  mode?: 'object' | 'bytes';
  /** Location name used in failures (default '-'). */
  file?: string;
}

/**
 * A Transform that de-identifies FHIR resources, for use in any stream
 * pipeline. A record that cannot be de-identified is not an error of the
 * stream: it is left out and reported through the 'failed' event (with its
 * location and code, never its content), as in node-csv's skip mode.
 */
export class FhirDeidentifier extends Transform {
  readonly env: FhirEnv;
  readonly counts = { in: 0, out: 0, failed: 0 };
  readonly #bundle: BundleState = {};
  readonly #file: string;
  readonly #bytes: boolean;
  readonly #splitter: LineSplitterCore | undefined;
  #index = 0;

  constructor(opts: FhirDeidentifierOptions) {
    const bytes = opts.mode === 'bytes';
    super({ writableObjectMode: !bytes, readableObjectMode: !bytes });
    this.#bytes = bytes;
    this.#file = opts.file ?? '-';
    this.env = makeFhirEnv(toConfig(opts.config), typeof opts.key === 'string' ? decodeKey(Buffer.from(opts.key)) : decodeKey(opts.key));
    if (bytes) this.#splitter = new LineSplitterCore({ file: this.#file });
  }

  override _transform(chunk: unknown, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.#bytes) {
      // In object mode `line` is the record's 1-based position in the stream.
      const loc = { file: this.#file, line: ++this.#index };
      this.#emit(isObject(chunk) ? ok(chunk, loc) : failed('NOT_AN_OBJECT', 'Record is not a JSON object', loc));
      cb();
      return;
    }
    const lines: Array<SplitLine | Failed> = [];
    this.#splitter!.push(chunk as Buffer, lines);
    this.#lines(lines);
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.#splitter) {
      const lines: Array<SplitLine | Failed> = [];
      this.#splitter.end(lines);
      this.#lines(lines);
    }
    cb();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    // patients' values spilled to disk (a long stream of many patients) are removed
    this.env.context.close();
    cb(err);
  }

  #lines(lines: Array<SplitLine | Failed>): void {
    for (const l of lines) {
      if ('kind' in l) this.#emit(l);
      else this.#emit(parseLine(l.line, { file: this.#file, line: l.lineNo, offset: l.offset }));
    }
  }

  #emit(input: Item): void {
    this.counts.in++;
    const item = input.kind === 'ok' ? deidentifyItem(input, this.env, this.#bundle) : input;
    if (item.kind === 'failed') {
      this.counts.failed++;
      this.emit('failed', item);
      return;
    }
    if (item.kind !== 'ok') return;
    this.counts.out++;
    this.push(this.#bytes ? JSON.stringify(item.value) + '\n' : item.value);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toConfig(config: unknown): DeidConfig {
  if (config === undefined) return deidDefaultConfig();
  if (isObject(config) && typeof config.digest === 'string' && isObject(config.text)) return config as unknown as DeidConfig;
  if (!isObject(config)) throw new DeidError('CONFIG_INVALID', 'config must be an object');
  return parseConfig(config, 'config');
}

export function fhirDeidentifier(opts: FhirDeidentifierOptions): FhirDeidentifier {
  return new FhirDeidentifier(opts);
}
