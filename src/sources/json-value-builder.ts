import type { Token } from 'stream-json/parser.js';

/**
 * Builds one JSON value from packed stream-json tokens, refusing nesting
 * deeper than a limit: past it the value is dropped token by token (memory
 * stays bounded) and only the depth is tracked until the value closes.
 * Objects are built like JSON.parse builds them: a `__proto__` key becomes an
 * own property, never the prototype.
 */
export class JsonValueBuilder {
  private stack: unknown[] = [];
  private keys: Array<string | null> = [];
  private key: string | null = null;
  private depth = 0;
  /** The finished value, once `consume` returned true. */
  value: unknown = undefined;
  /** The value nested deeper than the limit and was dropped. */
  tooDeep = false;

  constructor(private readonly maxDepth: number) {}

  /** Feeds one token; true when the value is complete. */
  consume(tok: Token): boolean {
    switch (tok.name) {
      case 'startObject':
      case 'startArray':
        if (++this.depth > this.maxDepth) {
          if (!this.tooDeep) {
            this.tooDeep = true;
            this.stack = [];
            this.keys = [];
          }
          return false;
        }
        if (this.tooDeep) return false;
        this.keys.push(this.key);
        this.key = null;
        this.stack.push(tok.name === 'startObject' ? {} : []);
        return false;
      case 'endObject':
      case 'endArray': {
        --this.depth;
        if (this.tooDeep) return this.depth === 0;
        const v = this.stack.pop();
        this.key = this.keys.pop() ?? null;
        return this.add(v);
      }
      case 'keyValue':
        if (!this.tooDeep) this.key = tok.value;
        return false;
      case 'stringValue':
        return this.tooDeep ? false : this.add(tok.value);
      case 'numberValue':
        return this.tooDeep ? false : this.add(Number(tok.value));
      case 'nullValue':
        return this.tooDeep ? false : this.add(null);
      case 'trueValue':
        return this.tooDeep ? false : this.add(true);
      case 'falseValue':
        return this.tooDeep ? false : this.add(false);
      default:
        return false;
    }
  }

  private add(v: unknown): boolean {
    if (this.stack.length === 0) {
      this.value = v;
      return true;
    }
    const top = this.stack[this.stack.length - 1];
    if (Array.isArray(top)) {
      top.push(v);
    } else {
      const k = this.key as string;
      if (k === '__proto__') {
        Object.defineProperty(top, k, { value: v, enumerable: true, writable: true, configurable: true });
      } else {
        (top as Record<string, unknown>)[k] = v;
      }
    }
    return false;
  }
}
