// Module sources: the intrinsic, the JS and Wasm source kinds, analysis,
// identity and cloning.

export { AbstractModuleSource, hasNativeAbstractModuleSource, type AbstractModuleSourceConstructor } from './abstract-module-source.js';
export { ModuleSource, type SourceMetadata } from './module-source.js';
export { compileWasmSource, compileWasmSourceAsync, type WasmSourceOptions } from './wasm-source.js';
export { sourceInfo, sourceHash, sourcesEqual, type AnyModuleSource, type SourceInfo } from './identity.js';
export { serializeSource, deserializeSource, type SerializedSource } from './clone.js';
export { installGlobals, uninstallGlobals } from './globals.js';
export { sourceKind, type SourceKind } from './brand.js';
export type { ModuleImport, ModuleExport, DirectExport, Reexport, ReexportAll, ImportPhase } from './analysis.js';
export type { Attributes } from './attributes.js';
