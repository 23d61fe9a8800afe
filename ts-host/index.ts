// canon: the whole engine. `canon-modules/core` is the Wasm core alone.

export * from './core/index.js';
export * from './sources/index.js';
export { analyzeWasm, type WasmAnalysis, type WasmExternKind } from './sources/analyze-wasm.js';
export { namespaceInstance, WasmLinkError, WasmImportValueError, WasmImportReferenceError } from './wasm/index.js';
export {
  Registry,
  type RegistryOptions, type ImportOptions, type EntryRecord,
  type ResolveHook, type DefaultResolve, type ImportMetaHook, type ImportSyncPolicy, type LoadGraphOptions,
} from './registry.js';
export {
  DirectoryStore, MemoryStore, ModuleCache, CacheDirectoryError, defaultCacheDir,
  type CacheStore, type CacheOption, type DirectoryStoreOptions, type ModuleCacheOptions, type StoreInfo,
} from './cache/index.js';
export type { LoadHook, LoadResult, LoadContext, DefaultLoad } from './loader/load.js';
export type { EntryStatus, ModuleKind } from './loader/entry.js';
export type { ReloadResult } from './hot/hot-modules.js';
export { ModuleInstance, ImportHookError, type ImportHook, type ImportHookAnswer, type ModuleInstanceOptions } from './instances/module-instance.js';
export { createWorker, workerRegistry, type CreateWorkerOptions } from './workers/create-worker.js';
export type { HotContext } from './hot/hot-context.js';
export {
  parseImportMap, resolveSpecifier, isImportMap,
  ImportMapError, ModuleResolutionError, type ImportMap,
} from './resolve/import-map.js';
export {
  ModuleSyntaxError, ModuleNotFoundError, UnknownBuiltinModuleError, ModuleLinkError, ImportAttributeError,
  WasmCompileError, UnsupportedModuleError, InvalidArgumentError, ImportSyncError, type ImportSyncReason,
  VmModulesUnavailableError, UnknownModuleFormatError, HookError, HookResultError, type HookName, ModuleLoadTimeoutError,
  PolicyError, type PolicyGate,
} from './errors.js';
export { Policy, type PolicyOptions, type RuleListOptions } from './policy/index.js';
