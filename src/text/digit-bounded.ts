/**
 * A number (an MRN, a phone or an SSN as written) is found wherever no digit
 * touches it: `MRN4455667` and `SSN078-05-1120` hold one, as `#4455667` does.
 * Only values that begin and end with a digit and hold six digits or more, so
 * a short number is not found inside every code that holds it.
 */
export function digitBounded(value: string): boolean {
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (!(first >= 48 && first <= 57 && last >= 48 && last <= 57)) return false;
  let digits = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  return digits >= 6;
}
