// ExecuteModule of a Wasm module record (WebAssembly/esm-integration,
// document/js-api): read the imports, instantiate the module synchronously
// (its start function runs here), record [[Instance]], and produce the values
// the facade initialises its export bindings with:
// - functions, memories, tables and tags as the instance exports them;
// - globals unwrapped to their values; a mutable one stays live
//   (live-bindings.ts);
// - a global whose value has no JS form (v128) has no value: the spec leaves
//   its binding uninitialised. A module binding can only stay uninitialised
//   if its declaration never runs, which no module that finishes evaluation
//   can arrange, so canon binds `undefined` there (as Node does natively).

import { WasmLinkError } from './errors.js';
import { isErrorNamed } from '../errors.js';
import { setNamespaceInstance, type WasmRecordState } from './instances.js';
import { addLiveBindings, refreshingWrapper } from './live-bindings.js';
import { readImports } from './read-imports.js';

export interface ExecuteResult {
  /** One value per export, in the module's export order. */
  values: unknown[];
  /** Indexes (into the exports) of the live global bindings. */
  live: number[];
}

function instantiateCore(state: WasmRecordState, importObject: WebAssembly.Imports): WebAssembly.Instance {
  try {
    // The realm's Instance: the exported functions, memories and tables are the realm's objects.
    return new state.entry.realm.WebAssembly.Instance(state.module, importObject);
  } catch (error) {
    // The engine's own link checks (a function's signature, a global's type
    // or mutability, a memory's limits...) fail before the start function
    // runs; name the Wasm module. Anything else (a trap or a JS exception
    // from the start function) passes unchanged.
    // By name: a realm's LinkError is not an instance of Node's own.
    if (isErrorNamed(error, 'LinkError') && !(error instanceof WasmLinkError) && /^WebAssembly\.Instance\(\)/.test(error.message)) {
      throw new WasmLinkError(error.message.replace(/^WebAssembly\.Instance\(\): /, ''), { url: state.url }, { cause: error });
    }
    throw error;
  }
}

/** Reads a global's value; undefined (and not live) when it has no JS form. */
function globalValue(global: WebAssembly.Global): { value: unknown; readable: boolean } {
  try {
    return { value: global.value, readable: true };
  } catch {
    return { value: undefined, readable: false };
  }
}

export function executeModule(state: WasmRecordState, namespace: object, read: (binding: number) => unknown): ExecuteResult {
  const importObject = readImports(state, read);
  const instance = instantiateCore(state, importObject);
  state.instance = instance;
  setNamespaceInstance(namespace, instance);

  const exports = state.iface.exports;
  const raw = exports.map((e) => instance.exports[e.name]);
  const live: number[] = [];
  const values = exports.map((e, i) => {
    if (e.kind !== 'global') return raw[i];
    const { value, readable } = globalValue(raw[i] as WebAssembly.Global);
    // Unknown mutability (an unreadable global section) counts as mutable.
    if (readable && e.global?.mutable !== false) live.push(i);
    return value;
  });
  const importsMutable = state.iface.imports.some((i) => i.kind === 'global' && i.global?.mutable !== false);
  if (live.length > 0 || importsMutable) {
    exports.forEach((e, i) => {
      if (e.kind === 'function') values[i] = refreshingWrapper(raw[i] as (...args: unknown[]) => unknown);
    });
  }
  return { values, live };
}

/**
 * Called by the facade once its export bindings are initialised: `set[k]`
 * assigns the binding of live global `live[k]`.
 */
export function startLiveBindings(state: WasmRecordState, live: number[], set: ((value: unknown) => void)[]): void {
  const instanceExports = state.instance!.exports;
  const globals = live.map((i) => instanceExports[state.iface.exports[i]!.name] as WebAssembly.Global);
  state.refresh = () => {
    for (let k = 0; k < globals.length; k++) set[k]!(globals[k]!.value);
  };
  addLiveBindings(state.refresh);
}

