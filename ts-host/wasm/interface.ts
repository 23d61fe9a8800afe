// What the ESM integration needs to know about a Wasm module, read once per
// WebAssembly.Module: its imports (with global types and which are builtins),
// its exports (with global types), its module requests, and the checks of
// "parse a WebAssembly module" (esm-integration document/js-api).

import { wasmSourceRecord } from '../sources/wasm-source.js';
import { readBinaryInterface, type GlobalType } from './binary.js';
import { WasmLinkError, type WasmExternKind } from './errors.js';
import { isBuiltinImport } from './js-string.js';

export interface WasmImport {
  module: string;
  name: string;
  kind: WasmExternKind;
  /** For a global import, when the binary could be read. */
  global: GlobalType | undefined;
  /** A js-string builtin: supplied by the host, not requested. */
  builtin: boolean;
  /** Index of the facade's binding for (module, name); -1 for a builtin. */
  binding: number;
}

export interface WasmExport {
  name: string;
  kind: WasmExternKind;
  /** For a global export, when the binary could be read. */
  global: GlobalType | undefined;
}

export interface WasmInterface {
  imports: WasmImport[];
  exports: WasmExport[];
  /** [[RequestedModules]]: import module names, each once, first-seen order, builtins left out. */
  requests: string[];
  /** The facade's import bindings: one per distinct (module, name), in first-seen order. */
  bindings: { module: string; name: string }[];
}

const cache = new WeakMap<WebAssembly.Module, WasmInterface>();

/** The interface of a Wasm module (cached). */
export function wasmInterface(module: WebAssembly.Module): WasmInterface {
  let found = cache.get(module);
  if (!found) {
    found = describe(module);
    cache.set(module, found);
  }
  return found;
}

function describe(module: WebAssembly.Module): WasmInterface {
  const declaredImports = WebAssembly.Module.imports(module);
  const declaredExports = WebAssembly.Module.exports(module);
  const bytes = wasmSourceRecord(module)?.bytes;
  const binary = bytes ? readBinaryInterface(bytes) : undefined;
  // The engine's lists are authoritative; the binary adds global types when it agrees with them.
  // An engine that compiled with the builtins and string constants leaves those imports out of its list.
  const withoutBuiltins = binary?.imports.filter((b) => !isBuiltinImport(b.module, b.name, b.kind));
  const binaryImports = binary && binary.imports.length === declaredImports.length ? binary.imports
    : withoutBuiltins && withoutBuiltins.length === declaredImports.length ? withoutBuiltins : undefined;
  const binaryExports = binary && binary.exports.length === declaredExports.length ? binary.exports : undefined;

  const requests: string[] = [];
  const requested = new Set<string>();
  const bindings: { module: string; name: string }[] = [];
  const bindingIndex = new Map<string, number>();
  const imports = declaredImports.map((d, i): WasmImport => {
    const kind = d.kind as WasmExternKind;
    const builtin = isBuiltinImport(d.module, d.name, kind);
    let binding = -1;
    if (!builtin) {
      if (!requested.has(d.module)) {
        requested.add(d.module);
        requests.push(d.module);
      }
      const key = `${d.module}\u0000${d.name}`;
      binding = bindingIndex.get(key) ?? -1;
      if (binding < 0) {
        binding = bindings.length;
        bindingIndex.set(key, binding);
        bindings.push({ module: d.module, name: d.name });
      }
    }
    const b = binaryImports?.[i];
    const global = b && b.module === d.module && b.name === d.name ? b.global : undefined;
    return { module: d.module, name: d.name, kind, global, builtin, binding };
  });
  const exports = declaredExports.map((d, i): WasmExport => {
    const b = binaryExports?.[i];
    return { name: d.name, kind: d.kind as WasmExternKind, global: b && b.name === d.name ? b.global : undefined };
  });
  return { imports, exports, requests, bindings };
}

const isReserved = (name: string) => name.startsWith('wasm:') || name.startsWith('wasm-js:');

/**
 * The reserved-name checks of "parse a WebAssembly module": a LinkError for
 * an import module name starting with "wasm-js:" ("wasm:" module names stay
 * allowed: builtins, and polyfills of future ones), and for an import or
 * export name starting with "wasm:" or "wasm-js:".
 */
export function checkReservedNames(iface: WasmInterface, url: string): void {
  for (const i of iface.imports) {
    if (i.builtin) continue; // a string constant's name is its value ("wasm:hello" included), not a reserved name
    if (i.module.startsWith('wasm-js:')) {
      throw new WasmLinkError(`The import module name ${JSON.stringify(i.module)} is reserved ("wasm-js:" prefix)`, { specifier: i.module, importName: i.name, importKind: i.kind, url });
    }
    if (isReserved(i.name)) {
      throw new WasmLinkError(`The import name ${JSON.stringify(i.name)} of ${JSON.stringify(i.module)} is reserved ("wasm:" and "wasm-js:" prefixes)`, { specifier: i.module, importName: i.name, importKind: i.kind, url });
    }
  }
  for (const e of iface.exports) {
    if (isReserved(e.name)) {
      throw new WasmLinkError(`The export name ${JSON.stringify(e.name)} is reserved ("wasm:" and "wasm-js:" prefixes)`, { exportName: e.name, url });
    }
  }
}
