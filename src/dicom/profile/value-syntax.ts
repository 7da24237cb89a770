/**
 * PS3.5 6.2 value syntax of the text VRs the profile keeps as they are when it
 * keeps them at all (TM under Modified Dates; TM, CS, IS, DS under Clean;
 * these and AS, DA, DT when an option retains the attribute or it is a safe
 * private attribute): a
 * value of such an element that does not parse as its VR is record content of
 * unknown meaning (a name, or a full date written under VR TM) and is not
 * passed through. Each backslash-separated value may be empty; the padding
 * spaces PS3.5 allows are ignored. TM and DA also accept the ACR-NEMA
 * `HH:MM:SS` and `YYYY.MM.DD` forms PS3.5 tells readers to expect.
 */
const SYNTAX: Record<string, RegExp> = {
  AS: /^\d{3}[DWMY]$/,
  // Months 01-12, days 01-31, hours 00-23: 99999999 is no date.
  DA: /^\d{4}(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|\.(?:0[1-9]|1[0-2])\.(?:0[1-9]|[12]\d|3[01]))$/,
  DT: /^\d{4}(?:(?:0[1-9]|1[0-2])(?:(?:0[1-9]|[12]\d|3[01])(?:(?:[01]\d|2[0-3])(?:[0-5]\d(?:(?:[0-5]\d|60)(?:\.\d{1,6})?)?)?)?)?)?(?:[+-]\d{4})?$/,
  TM: /^(?:[01]\d|2[0-3])(?::?[0-5]\d(?::?(?:[0-5]\d|60)(?:\.\d{1,6})?)?)?$/,
  CS: /^[A-Z0-9_ ]{0,16}$/,
  IS: /^[+-]?\d{1,12}$/,
  DS: /^(?=.{1,16}$)[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/,
};

/** Whether parsesAsVR checks this VR (the text VRs above). */
export function hasSyntax(vr: string): boolean {
  return SYNTAX[vr] !== undefined;
}

/** Whether `text` (the element's whole value) parses as `vr`; true for VRs this does not check. */
export function parsesAsVR(vr: string, text: string): boolean {
  const re = SYNTAX[vr];
  if (!re) return true;
  for (const part of text.split('\\')) {
    const v = vr === 'CS' ? part : part.trim();
    if (v !== '' && !re.test(v)) return false;
  }
  return true;
}

/** A decimal number in any length (IS and DS as writers really write them: PS3.5's 12 and 16 characters are often exceeded). */
const LOOSE_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Whether every value of `text` reads as a number (IS, DS) or a time (TM),
 * lengths aside: what an attribute the profile keeps without a rule of its
 * own must hold to be kept (a name written into SeriesNumber does not).
 */
export function readsAsVR(vr: string, text: string): boolean {
  if (vr === 'TM') return parsesAsVR('TM', text);
  if (vr !== 'IS' && vr !== 'DS') return true;
  for (const part of text.split('\\')) {
    const v = part.trim();
    if (v !== '' && !LOOSE_NUMBER.test(v)) return false;
  }
  return true;
}
