// Source analysis of a compiled WebAssembly module, in the shapes JS sources
// use (./analysis.ts), read from WebAssembly.Module.imports/exports.
//
// imports() follows the Wasm ESM integration ("parse a WebAssembly module",
// WebAssembly/esm-integration document/js-api): [[RequestedModules]] is the
// set of import module names, so each name once, in first-seen order, with
// no phase and no attributes (Wasm cannot express either).
//
// The engine applies compile options before this runs: a module compiled
// with `builtins: ['js-string']` (as Node 26 compiles `import source` of a
// .wasm) no longer lists its `wasm:js-string` imports, and the ESM
// integration does not request them either.

import { InvalidArgumentError } from '../errors.js';
import type { ModuleExport, ModuleImport } from './analysis.js';

export type WasmExternKind = 'function' | 'global' | 'memory' | 'table' | 'tag';

export interface WasmAnalysis {
  imports: ModuleImport[];
  exports: ModuleExport[];
  /** Every import as the module declares it, in order. */
  wasmImports: { module: string; name: string; kind: WasmExternKind }[];
  /** Every export as the module declares it, in order. */
  wasmExports: { name: string; kind: WasmExternKind }[];
}

export function analyzeWasm(module: WebAssembly.Module): WasmAnalysis {
  let declaredImports: WebAssembly.ModuleImportDescriptor[];
  let declaredExports: WebAssembly.ModuleExportDescriptor[];
  try {
    // These brand-check their argument (a Module from any realm passes).
    declaredImports = WebAssembly.Module.imports(module);
    declaredExports = WebAssembly.Module.exports(module);
  } catch (error) {
    const invalid = new InvalidArgumentError(`analyzeWasm: expected a WebAssembly.Module, got ${describe(module)}`);
    Object.defineProperty(invalid, 'cause', { value: error, configurable: true, writable: true });
    throw invalid;
  }
  // Copies with exactly these fields: engines may add more (type reflection).
  const wasmImports = declaredImports.map(({ module: from, name, kind }) => ({ module: from, name, kind: kind as WasmExternKind }));
  const wasmExports = declaredExports.map(({ name, kind }) => ({ name, kind: kind as WasmExternKind }));

  const imports: ModuleImport[] = [];
  const seen = new Set<string>();
  for (const { module: specifier } of wasmImports) {
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    imports.push({ specifier, phase: null, attributes: null });
  }

  // Every export in one record, names sorted by code units as the JS
  // exports() sorts them; no record at all when nothing is exported.
  const names = wasmExports.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const exports: ModuleExport[] = names.length === 0 ? [] : [{ type: 'direct', names }];

  return { imports, exports, wasmImports, wasmExports };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return Object.prototype.toString.call(value);
  return typeof value;
}
