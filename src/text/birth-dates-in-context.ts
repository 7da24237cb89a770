import { BIRTH_DATE_CONTEXT, type ContextValue } from './types.js';

/** One answer per context array (a FHIR patient's context is shared by all its records' texts). */
const BIRTHS = new WeakMap<readonly ContextValue[], string[] | null>();

/** The patient's birth dates among its context values (BIRTH_DATE_CONTEXT), or undefined for none. */
export function birthDatesIn(context: readonly ContextValue[]): string[] | undefined {
  let b = BIRTHS.get(context);
  if (b === undefined) {
    const found = context.filter((v) => v.infoType === BIRTH_DATE_CONTEXT).map((v) => v.value);
    BIRTHS.set(context, (b = found.length ? found : null));
  }
  return b ?? undefined;
}
