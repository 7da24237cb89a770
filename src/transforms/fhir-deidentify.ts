import { Transform, type TransformCallback } from 'node:stream';
import type { Item } from '../core/record.js';
import { RECORD_QUEUE } from '../sources/open-inputs.js';
import type { FhirEnv } from '../fhir/env.js';
import { deidentifyItem, type BundleState } from '../fhir/deidentify-item.js';

/** Stage `fhir-deidentify`: Items in, de-identified Items out (thin shell over deidentifyItem). */
export class FhirDeidentify extends Transform {
  readonly #bundle: BundleState = {};
  constructor(readonly env: FhirEnv) {
    super({ objectMode: true, highWaterMark: RECORD_QUEUE });
  }

  override _transform(item: Item, _enc: BufferEncoding, cb: TransformCallback): void {
    cb(null, deidentifyItem(item, this.env, this.#bundle));
  }
}

export function fhirDeidentify(env: FhirEnv): FhirDeidentify {
  return new FhirDeidentify(env);
}
