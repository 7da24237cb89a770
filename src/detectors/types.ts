import type { Finding, Likelihood } from '../text/types.js';

/** Everything a detector may read about one input text; built once per findPhi call. */
export interface ScanInput {
  readonly text: string;
  /** False when the text has no ASCII digit: digit-only detectors skip it. */
  readonly hasDigits: boolean;
  /** True when letters are mostly upper case (capitalisation is then no cue). */
  readonly shouting: boolean;
}

export interface Detector {
  readonly name: string;
  /** The infoTypes this detector can emit (used to skip it when none is wanted). */
  readonly infoTypes: readonly string[];
  /** Skip when the text has no digit. */
  readonly needsDigits: boolean;
  detect(input: ScanInput, out: Finding[]): void;
}

export const LIKELIHOODS: readonly Likelihood[] = ['VERY_UNLIKELY', 'UNLIKELY', 'POSSIBLE', 'LIKELY', 'VERY_LIKELY'];

export function likelihoodRank(l: Likelihood): number {
  return LIKELIHOODS.indexOf(l);
}

/** Moves a likelihood up (positive) or down (negative) by `steps`, clamped. */
export function adjust(l: Likelihood, steps: number): Likelihood {
  const i = Math.max(0, Math.min(LIKELIHOODS.length - 1, likelihoodRank(l) + steps));
  return LIKELIHOODS[i]!;
}
