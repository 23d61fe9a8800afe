// Errors of the Wasm ESM integration. Each is an instance of exactly the class
// the spec throws (WebAssembly.LinkError, TypeError, ReferenceError), with
// canon's fields as own properties (specErrorClass, ts-host/errors.ts), and
// names the Wasm module
// (`url`), the import module (`specifier`) and, for an import, its field
// (`importName`) and kind (`importKind`).

import { specErrorClass, type ErrorSite } from '../errors.js';

export type WasmExternKind = 'function' | 'table' | 'memory' | 'global' | 'tag';

export interface WasmErrorSite extends ErrorSite {
  /** The field of the import ("f" in `(import "./m.js" "f" ...)`). */
  importName?: string | undefined;
  importKind?: WasmExternKind | undefined;
  /** A reserved export name. */
  exportName?: string | undefined;
}

/** `import "f" of "./m.js"`, or `export "f"`. */
export function describeImport(site: WasmErrorSite): string {
  if (site.importName !== undefined) return `import ${JSON.stringify(site.importName)} of ${JSON.stringify(site.specifier ?? '')}`;
  if (site.exportName !== undefined) return `export ${JSON.stringify(site.exportName)}`;
  return 'module';
}

/**
 * A WebAssembly module that cannot be linked: a reserved name, an import
 * value of the wrong kind or type, an import from a Wasm module that is not
 * instantiated yet (a cycle).
 */
export const WasmLinkError = specErrorClass<WebAssembly.LinkError, 'ERR_CANON_WASM_LINK', WasmErrorSite>('WasmLinkError', WebAssembly.LinkError, 'ERR_CANON_WASM_LINK');
export type WasmLinkError = InstanceType<typeof WasmLinkError>;

/**
 * A plain JS value that cannot be converted to the type of the global it is
 * imported as (ToWebAssemblyValue threw; the spec propagates that TypeError).
 */
export const WasmImportValueError = specErrorClass<TypeError, 'ERR_CANON_WASM_IMPORT_VALUE', WasmErrorSite>('WasmImportValueError', TypeError, 'ERR_CANON_WASM_IMPORT_VALUE');
export type WasmImportValueError = InstanceType<typeof WasmImportValueError>;

/**
 * An import whose binding is not initialised yet: a JS module in a cycle with
 * the Wasm module has not run (GetBindingValue throws a ReferenceError).
 */
export const WasmImportReferenceError = specErrorClass<ReferenceError, 'ERR_CANON_WASM_IMPORT_UNINITIALIZED', WasmErrorSite>('WasmImportReferenceError', ReferenceError, 'ERR_CANON_WASM_IMPORT_UNINITIALIZED');
export type WasmImportReferenceError = InstanceType<typeof WasmImportReferenceError>;
