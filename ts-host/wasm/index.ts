// Wasm ESM integration (WebAssembly/esm-integration): .wasm modules as ES
// modules. The loader calls wasmModuleRequests() when it loads a Wasm module
// and createWasmFacade() when it instantiates one; users get
// namespaceInstance().
//
//   binary.ts          global types from the binary (imports, exports)
//   interface.ts       a module's imports, exports, requests; reserved names
//   js-string.ts       the js-string builtins
//   facade.ts          the module record: a generated JS facade
//   execute.ts         ExecuteModule: instantiate, export values
//   read-imports.ts    ExecuteModule: the import values and their checks
//   resolve-export.ts  ResolveExport over the entry graph
//   live-bindings.ts   mutable global exports as live bindings
//   instances.ts       [[Instance]] per record; namespaceInstance()
//   errors.ts          WasmLinkError and friends

import { checkReservedNames, wasmInterface } from './interface.js';

export { createWasmFacade, facadeText } from './facade.js';
export { namespaceInstance } from './instances.js';
export { WasmLinkError, WasmImportValueError, WasmImportReferenceError } from './errors.js';
export { wasmInterface, checkReservedNames, type WasmInterface, type WasmImport, type WasmExport } from './interface.js';

/**
 * The module requests of a Wasm module ("parse a WebAssembly module"): its
 * import module names, each once, in first-seen order, builtins left out.
 * Throws a WasmLinkError for a reserved import or export name.
 */
export function wasmModuleRequests(module: WebAssembly.Module, url: string): string[] {
  const iface = wasmInterface(module);
  checkReservedNames(iface, url);
  return iface.requests;
}
