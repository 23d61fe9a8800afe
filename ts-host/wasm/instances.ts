// The state behind each Wasm module record (its facade's vm.Module): the
// module, the entry, and [[Instance]] once ExecuteModule has run. And the
// spec's WebAssembly.namespaceInstance(), from the namespace to the instance.

import type vm from 'node:vm';
import type { GraphNode } from '../module-graph.js';
import type { WasmInterface } from './interface.js';

export interface WasmRecordState {
  /** The module's node in the graph (the loader's entry). */
  readonly entry: GraphNode;
  readonly url: string;
  readonly module: WebAssembly.Module;
  readonly iface: WasmInterface;
  /** [[Instance]]: empty until the record is evaluated. */
  instance: WebAssembly.Instance | undefined;
  /** Refreshes the record's live global bindings (kept here so it lives as long as the record). */
  refresh: (() => void) | undefined;
}

const records = new WeakMap<vm.Module, WasmRecordState>();
const instancesByNamespace = new WeakMap<object, WebAssembly.Instance>();

export function setRecordState(module: vm.Module, state: WasmRecordState): void {
  records.set(module, state);
}

/** The state of a Wasm module record, or undefined if `module` is not one. */
export function recordState(module: vm.Module | undefined): WasmRecordState | undefined {
  return module && records.get(module);
}

export function setNamespaceInstance(namespace: object, instance: WebAssembly.Instance): void {
  instancesByNamespace.set(namespace, instance);
}

/**
 * WebAssembly.namespaceInstance(namespace) of the esm-integration spec: the
 * WebAssembly.Instance behind the namespace of an evaluated Wasm module
 * (the same instance whose exports the namespace shows). A TypeError for
 * anything else, including a Wasm namespace whose module has not been
 * evaluated yet (it has no instance).
 */
export function namespaceInstance(namespace: unknown): WebAssembly.Instance {
  const instance = typeof namespace === 'object' && namespace !== null ? instancesByNamespace.get(namespace) : undefined;
  if (!instance) {
    const what = namespace === null ? 'null' : typeof namespace === 'object' ? Object.prototype.toString.call(namespace) : typeof namespace;
    throw new TypeError(`namespaceInstance: expected the namespace of an evaluated WebAssembly module, got ${what}`);
  }
  return instance;
}
