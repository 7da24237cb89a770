import { BIRTH_DATE_CONTEXT, type ContextValue } from './types.js';

/** The patient's birth dates among its context values (TextEnv.birthDates), or undefined for none. */
export function birthDatesIn(context: readonly ContextValue[]): string[] | undefined {
  const found = context.filter((v) => v.infoType === BIRTH_DATE_CONTEXT).map((v) => v.value);
  return found.length ? found : undefined;
}
