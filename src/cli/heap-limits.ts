import v8 from 'node:v8';

/**
 * V8 settings for the `deid` process itself (never for a library caller's
 * process). Records are parsed, rewritten and dropped at a high rate, and by
 * default V8 lets the young generation grow to 2 x 16 MB and the old
 * generation to about twice what survived the last full collection: on the
 * 200 MB benchmark input peak RSS then ranged 160-210 MB from run to run for
 * ~30 MB of live data.
 *
 * - Old generation: grows by HEAP_GROWING_PERCENT over what survived instead
 *   of V8's adaptive factor (up to 4x).
 * - Young generation: `--max-semi-space-size` is read only when the process
 *   starts, so its cap cannot be set from here; the growth factor can, and is
 *   set to 1 (no further growth) once a semi-space reaches SEMI_SPACE_MB, and
 *   back to 2 if V8 shrinks it below that. Growing no further than 1 MB (the
 *   start) would cost ~25% more CPU in collections.
 *
 * Both flags are read by V8 at each collection. They change when memory is
 * reclaimed, never what the program computes.
 */
export const HEAP_GROWING_PERCENT = 20;
export const SEMI_SPACE_MB = 8;

/**
 * The timer lives on globalThis: bin/deid.js loads this module from dist/cli,
 * and the bundle in dist/bundle has its own copy of it.
 */
const TIMER = Symbol.for('deid.heapLimits.timer');
const holder = globalThis as { [TIMER]?: NodeJS.Timeout };

export function limitHeapGrowth(): void {
  if (holder[TIMER]) return;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let factor = 2;
  const check = () => {
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (!ns) return;
    // new_space holds two semi-spaces
    const want = ns.space_size >= 2 * SEMI_SPACE_MB * 1024 * 1024 ? 1 : 2;
    if (want !== factor) {
      v8.setFlagsFromString(`--semi-space-growth-factor=${want}`);
      factor = want;
    }
  };
  const timer = setInterval(check, 20);
  timer.unref();
  holder[TIMER] = timer;
}

/**
 * For a run with worker threads, when the process runs under limitHeapGrowth:
 * V8 flags are shared by every isolate of the process, and a worker's heap is
 * configured from them when it starts. The young generation stops growing in
 * every thread (the main thread keeps the one it has), and workers start
 * theirs at `workerSemiSpaceMb`, the most their resourceLimits allow. A new
 * isolate sets the growth factor back as it starts (with a worker running,
 * the main thread's young generation then grew from 16 to 32 MB), so this is
 * called again as each worker comes online. Returns false (nothing changed)
 * in a process that did not call limitHeapGrowth, such as a library caller's.
 */
export function fixYoungGeneration(workerSemiSpaceMb: number): boolean {
  const timer = holder[TIMER];
  if (!timer) return false;
  clearInterval(timer);
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString(`--min-semi-space-size=${workerSemiSpaceMb}`);
  return true;
}
