// Live bindings for mutable global exports. The spec ties the export's
// binding to the global itself: reading it always gives the global's current
// value (ExecuteModule, "associate all future mutations of globaladdr with
// the ECMA-262 binding record"). An ES module binding cannot be computed on
// read, so canon refreshes it instead: a Wasm module that exports a mutable
// global, or imports one (it can change a global another module exports),
// exports its functions as thin wrappers, and every return from such a
// wrapper, normal or by exception, re-reads every live global binding in the
// process. A change is therefore seen as soon as control comes back to JS
// through a Wasm module's exports; a change made while Wasm is still running
// (seen by a JS import it calls) or through the WebAssembly.Global object
// directly shows at the next such return.
//
// Modules without mutable globals export their functions as they are (the
// instance's own exported functions), so for them nothing differs from the
// spec. The instance behind a namespace (namespaceInstance) always has the
// unwrapped functions, and Wasm modules importing from Wasm modules get the
// unwrapped functions too (resolve-export.ts), so calls between Wasm modules
// never go through a wrapper.

const live = new Set<WeakRef<() => void>>();

/** Registers a record's refresher (the record keeps it alive; dropped once collected). */
export function addLiveBindings(refresh: () => void): void {
  live.add(new WeakRef(refresh));
}

/** Re-reads every live global binding. */
export function refreshLiveBindings(): void {
  for (const ref of live) {
    const refresh = ref.deref();
    if (refresh) refresh();
    else live.delete(ref);
  }
}

type AnyFunction = (...args: unknown[]) => unknown;

/** An exported function that refreshes the live bindings when it returns or throws. */
export function refreshingWrapper(fn: AnyFunction): AnyFunction {
  // An arrow function: like a Wasm exported function, it is not a constructor.
  const wrapper = (...args: unknown[]) => {
    try {
      return fn(...args);
    } finally {
      refreshLiveBindings();
    }
  };
  Object.defineProperty(wrapper, 'name', { value: fn.name });
  Object.defineProperty(wrapper, 'length', { value: fn.length });
  return wrapper;
}
