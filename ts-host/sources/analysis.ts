// The shapes of source analysis, shared by JS and Wasm sources. They follow
// the source-analysis API of tc39/proposal-esm-phase-imports as it stood
// before it was split out of the proposal (spec.emu at e68f931,
// %AbstractModuleSource%.prototype.imports/exports), extended with the
// `defer` phase and import attributes.

/** null is the evaluation phase (a plain `import`). */
export type ImportPhase = null | 'source' | 'defer';

/**
 * One entry of [[RequestedModules]]: a static import or `export ... from`
 * request, deduplicated by (specifier, attributes, phase) in source order.
 * `attributes` is null when there are none, else sorted by key.
 */
export interface ModuleImport {
  specifier: string;
  phase: ImportPhase;
  attributes: Readonly<Record<string, string>> | null;
}

/** One local binding and every name it is exported under (sorted). */
export interface DirectExport {
  type: 'direct';
  names: string[];
}

/**
 * An export of another module's binding, written `export { a as b } from 'c'`
 * or `import { a as z } from 'c'; export { z as b }`. `import` is null for a
 * namespace (`export * as b from 'c'`, `import * as z from 'c'; export { z as b }`).
 */
export interface Reexport {
  type: 'reexport';
  name: string;
  import: string | null;
  from: string;
}

/** `export * from 'c'`. */
export interface ReexportAll {
  type: 'reexport-all';
  from: string;
}

export type ModuleExport = DirectExport | Reexport | ReexportAll;
