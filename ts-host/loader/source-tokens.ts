// import(source) in module code: the engine converts import()'s argument to a
// string (ToString) before the host sees it, so lowered code passes it
// through import.meta.canonSpecifier() first (loader/lower.ts), which turns a
// source object into a one-time token string; the registry's dynamic-import
// callback takes the source back by that token. Tokens are used once: a
// token that leaks into a string is useless afterwards.

import { isModuleSource, isWasmModule } from '../sources/brand.js';
import type { AnyModuleSource } from '../sources/identity.js';

export class SourceTokens {
  readonly #sources = new Map<string, AnyModuleSource>();
  readonly #prefix: string;
  #next = 0;

  /** `registryId` keeps tokens of registries apart (a token names the registry that made it). */
  constructor(registryId: number) {
    this.#prefix = `canon-source:${registryId}:`;
  }

  /** What import(value) passes to the engine: a token for a source object; anything else unchanged. */
  tokenFor(value: unknown): unknown {
    if (!isModuleSource(value) && !isWasmModule(value)) return value;
    const token = this.#prefix + this.#next++;
    this.#sources.set(token, value as AnyModuleSource);
    return token;
  }

  /**
   * The source a token stands for (taken: a token is used once), or
   * undefined when `specifier` is not one. import(source, { with }) is a
   * TypeError: a source already carries its attributes.
   */
  take(specifier: string, attributes: Record<string, string>): AnyModuleSource | undefined {
    const source = this.#sources.get(specifier);
    if (source === undefined) return undefined;
    this.#sources.delete(specifier);
    if (Object.keys(attributes).length > 0) {
      throw new TypeError('import(source, { with }) is not allowed: a module source already carries its attributes');
    }
    return source;
  }
}
