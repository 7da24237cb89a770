import type { Path } from './tokens.js';

/**
 * The Specific Character Set in force at each depth: a sequence item may
 * declare its own (0008,0005), which then applies to the text of that item
 * and of the items inside it (PS3.5 6.1.2.3, PS3.3 C.12.1.1.2). Elements
 * arrive in stream order, so an item's declaration (its lowest tag but one)
 * is noted before the text it governs.
 */
export class CharsetScopes {
  /** path key of the declaring item → its Specific Character Set */
  readonly #items = new Map<string, string>();

  constructor(public top: string | undefined) {}

  /** Records the (0008,0005) value found at `path` ([] = the dataset). */
  note(path: Path, value: string): void {
    if (path.length === 0) this.top = value;
    else this.#items.set(key(path, path.length), value);
  }

  /** The charset of an element at `path`. */
  at(path: Path): string | undefined {
    if (this.#items.size === 0) return this.top;
    for (let n = path.length; n > 0; n--) {
      const v = this.#items.get(key(path, n));
      if (v !== undefined) return v;
    }
    return this.top;
  }
}

function key(path: Path, n: number): string {
  let k = '';
  for (let i = 0; i < n; i++) k += `${path[i]!.tag}.${path[i]!.item}/`;
  return k;
}
