// import.meta.hot: what a module says about being replaced while the program
// runs (registry.reload, `canon run --watch`). The shape is the one bundlers'
// dev servers settled on (Vite's import.meta.hot, after webpack's
// module.hot): accept itself or some of its dependencies, dispose of what it
// set up before its instance goes, hand data to the next instance, or
// decline (a change below it restarts the program).

/** A dependency a module accepts, with the callback that gets its new namespace(s). */
export interface DependencyAccept {
  /** The dependencies' keys (resolved from the specifiers the module gave). */
  readonly keys: readonly string[];
  /** Called with the new namespace (one specifier) or namespaces (an array), in the order given. */
  readonly callback: ((namespaces: any) => void) | undefined;
  /** Whether accept() was given an array (the callback then gets an array). */
  readonly many: boolean;
}

export class HotContext {
  /** What the previous instance's dispose callbacks left for this one ({} for the first). */
  readonly data: Record<string, unknown>;
  /** @internal Set by accept() or accept(callback): this module takes its own replacement. */
  selfAccepted = false;
  /** @internal */
  selfCallback: ((namespace: object) => void) | undefined;
  /** @internal */
  readonly dependencyAccepts: DependencyAccept[] = [];
  /** @internal */
  readonly disposers: ((data: Record<string, unknown>) => void | Promise<void>)[] = [];
  /** @internal Set by decline(): a change at or below this module restarts the program. */
  declined = false;
  readonly #resolve: (specifier: string) => string;
  readonly #invalidate: (message?: string) => void;

  /** @internal */
  constructor(data: Record<string, unknown>, resolve: (specifier: string) => string, invalidate: (message?: string) => void) {
    this.data = data;
    this.#resolve = resolve;
    this.#invalidate = invalidate;
  }

  /**
   * accept(): this module can be replaced by a new instance of itself.
   * accept(callback): the same, and callback(newNamespace) runs on the old
   * instance's side once the new one has evaluated.
   * accept(specifier | specifiers, callback): changes to those dependencies
   * stop here: they are re-imported and callback gets their new namespaces,
   * while this module keeps its instance.
   */
  accept(first?: string | readonly string[] | ((namespace: object) => void), callback?: (namespaces: any) => void): void {
    if (first === undefined || typeof first === 'function') {
      this.selfAccepted = true;
      this.selfCallback = first;
      return;
    }
    const specifiers = typeof first === 'string' ? [first] : [...first];
    if (specifiers.some((s) => typeof s !== 'string')) throw new TypeError('import.meta.hot.accept: dependencies must be specifiers (strings)');
    if (callback !== undefined && typeof callback !== 'function') throw new TypeError('import.meta.hot.accept: the callback must be a function');
    this.dependencyAccepts.push({ keys: specifiers.map((s) => this.#resolve(s)), callback, many: typeof first !== 'string' });
  }

  /** callback(data) runs before this instance is replaced: close what it opened, and leave state in `data` for the next one. */
  dispose(callback: (data: Record<string, unknown>) => void | Promise<void>): void {
    if (typeof callback !== 'function') throw new TypeError('import.meta.hot.dispose: the callback must be a function');
    this.disposers.push(callback);
  }

  /** This module cannot be replaced: a change that reaches it restarts the program. */
  decline(): void {
    this.declined = true;
  }

  /** Reload this module's importers as if its file had changed (for a module that finds it cannot apply an update itself). */
  invalidate(message?: string): void {
    this.#invalidate(message);
  }
}
