import type { Finding, Likelihood } from '../text/types.js';
import type { Detector, ScanInput } from './types.js';

export interface PatternSpec {
  name: string;
  infoTypes: readonly string[];
  needsDigits: boolean;
  /** Must carry the `g` flag and be linear: no nested unbounded quantifiers. */
  re: RegExp;
  /** Cheap test that rules the whole text out (e.g. no '@' for emails). */
  quick?: (text: string) => boolean;
  /**
   * Decides on one match: undefined drops it; otherwise the finding. `span`
   * defaults to the whole match.
   */
  judge(m: RegExpExecArray, input: ScanInput):
    | { infoType?: string; likelihood: Likelihood; start?: number; end?: number }
    | undefined;
}

/** A detector made of one precompiled regex and a judge function. */
export function patternDetector(spec: PatternSpec): Detector {
  if (!spec.re.global) throw new Error(`pattern ${spec.name} must be global`);
  return {
    name: spec.name,
    infoTypes: spec.infoTypes,
    needsDigits: spec.needsDigits,
    detect(input: ScanInput, out: Finding[]): void {
      if (spec.quick && !spec.quick(input.text)) return;
      const re = spec.re;
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(input.text)) !== null) {
        if (m[0].length === 0) {
          re.lastIndex++;
          continue;
        }
        const v = spec.judge(m, input);
        if (v === undefined) continue;
        out.push({
          start: v.start ?? m.index,
          end: v.end ?? m.index + m[0].length,
          infoType: v.infoType ?? spec.infoTypes[0]!,
          likelihood: v.likelihood,
        });
      }
    },
  };
}
