/** Whether a value can be given to a worker thread (structured clone): a config holding functions cannot. */
export function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}
