import v8 from 'node:v8';

/**
 * Caps how much bytecode TurboFan inlines into one optimized function (V8's
 * default is 920 bytes) for the `deid` process itself, never a library
 * caller's. Short runs (a folder of small DICOM instances, one file) spend
 * more CPU compiling than de-identifying: on 100 0.5 MB CT instances the
 * compiler threads executed ~800M instructions against ~800M for the main
 * thread, and on two cores they compete with it. With the cap at 200, the
 * compiler's share fell by a quarter and `deid dicom` on those 100 instances
 * took 385-394 ms instead of 423-431 ms (medians of 12 alternating runs, idle
 * two-core machine); `deid fhir` on the 200 MB benchmark input was unchanged
 * (5.43-5.59 s against 5.35-5.64 s). It changes when code is optimized, never
 * what it computes.
 */
export const MAX_INLINED_BYTECODE_CUMULATIVE = 200;

export function capInlining(): void {
  v8.setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${MAX_INLINED_BYTECODE_CUMULATIVE}`);
}
