// installGlobals(): opt-in changes to the global environment, for programs
// that want the proposals' globals without canon's imports. It defines
// `globalThis.ModuleSource`, `WebAssembly.namespaceInstance` (Wasm ESM
// integration) where the host has none, and, on hosts without a native
// %AbstractModuleSource%, re-parents WebAssembly.Module (and its prototype)
// under canon's, so `wasmModule instanceof AbstractModuleSource` holds.
// Nothing else is wrapped. Idempotent; uninstallGlobals() undoes it.

import { AbstractModuleSource, hasNativeAbstractModuleSource } from './abstract-module-source.js';
import { ModuleSource } from './module-source.js';
import { namespaceInstance } from '../wasm/instances.js';

interface Saved {
  moduleParent: object | null;
  moduleProtoParent: object | null;
  moduleSourceGlobal: PropertyDescriptor | undefined;
  namespaceInstance: PropertyDescriptor | undefined;
}

let saved: Saved | undefined;

export function installGlobals(): void {
  if (saved) return;
  saved = {
    moduleParent: Object.getPrototypeOf(WebAssembly.Module),
    moduleProtoParent: Object.getPrototypeOf(WebAssembly.Module.prototype),
    moduleSourceGlobal: Object.getOwnPropertyDescriptor(globalThis, 'ModuleSource'),
    namespaceInstance: Object.getOwnPropertyDescriptor(WebAssembly, 'namespaceInstance'),
  };
  if (!saved.namespaceInstance) {
    Object.defineProperty(WebAssembly, 'namespaceInstance', { value: namespaceInstance, writable: true, configurable: true, enumerable: false });
  }
  if (!hasNativeAbstractModuleSource) {
    Object.setPrototypeOf(WebAssembly.Module, AbstractModuleSource);
    Object.setPrototypeOf(WebAssembly.Module.prototype, AbstractModuleSource.prototype);
  }
  // As the built-in constructors are: writable, configurable, not enumerable.
  Object.defineProperty(globalThis, 'ModuleSource', { value: ModuleSource, writable: true, configurable: true, enumerable: false });
}

export function uninstallGlobals(): void {
  if (!saved) return;
  Object.setPrototypeOf(WebAssembly.Module, saved.moduleParent);
  Object.setPrototypeOf(WebAssembly.Module.prototype, saved.moduleProtoParent);
  if (!saved.namespaceInstance) delete (WebAssembly as { namespaceInstance?: unknown }).namespaceInstance;
  if (saved.moduleSourceGlobal) Object.defineProperty(globalThis, 'ModuleSource', saved.moduleSourceGlobal);
  else delete (globalThis as { ModuleSource?: unknown }).ModuleSource;
  saved = undefined;
}

export function globalsInstalled(): boolean {
  return saved !== undefined;
}
