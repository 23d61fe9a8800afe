// Instantiate: create the engine's module record for a loaded entry. JS
// becomes a vm.SourceTextModule (V8 parses here: a syntax error is a load
// failure, as ParseModule is in the spec); JSON and builtins become
// vm.SyntheticModules.

import vm from 'node:vm';
import { locate } from '../diagnostics/syntax-position.js';
import { isErrorNamed, ModuleSyntaxError, VmModulesUnavailableError, type ErrorSite } from '../errors.js';
import { moduleSourceText, type ModuleSource } from '../sources/module-source.js';
import { createWasmFacade } from '../wasm/index.js';
import { detachedEntryFor, type Entry } from './entry.js';
import type { Loaded } from './load.js';
import { mark, profile, spent } from '../profile.js';

export interface InstantiateHooks {
  initializeImportMeta(meta: ImportMeta, entry: Entry): void;
  importModuleDynamically(specifier: string, entry: Entry, attributes: Record<string, string>): Promise<vm.Module>;
}

/** Which entry a module record belongs to (the linker and dynamic import need it). */
export const entryOfModule = new WeakMap<vm.Module, Entry>();

interface VmCallbacks {
  initializeImportMeta(meta: object, module: vm.SourceTextModule): void;
  importModuleDynamically(specifier: string, module: vm.Module, attributes: Record<string, string>): Promise<vm.Module>;
}

const callbacksByHooks = new WeakMap<InstantiateHooks, VmCallbacks>();

/** A record's entry; for a deleted plain module (whose record Node keeps), a stand-in made from its key (entry.ts). */
function entryOf(module: vm.Module): Entry {
  return entryOfModule.get(module) ?? detachedEntryFor(module.identifier);
}

/**
 * The engine's callbacks, one pair per registry rather than two closures per
 * module: the engine passes the module record, which names the entry.
 */
function vmCallbacks(hooks: InstantiateHooks): VmCallbacks {
  let callbacks = callbacksByHooks.get(hooks);
  if (!callbacks) {
    callbacks = {
      initializeImportMeta: (meta, module) => hooks.initializeImportMeta(meta as ImportMeta, entryOf(module)),
      importModuleDynamically: (specifier, module, attributes) => hooks.importModuleDynamically(specifier, entryOf(module), attributes),
    };
    callbacksByHooks.set(hooks, callbacks);
  }
  return callbacks;
}

export function instantiate(entry: Entry, loaded: Loaded, hooks: InstantiateHooks, site: ErrorSite): vm.Module {
  // The first place canon needs the vm module records: say which flag is missing.
  if (typeof vm.SourceTextModule !== 'function') throw new VmModulesUnavailableError();
  let module: vm.Module;
  switch (loaded.kind) {
    case 'js': {
      const text = loaded.compileText ?? moduleSourceText(loaded.source as ModuleSource);
      const start = mark();
      try {
        const callbacks = vmCallbacks(hooks);
        const options: vm.SourceTextModuleOptions = {
          identifier: entry.key,
          context: entry.realm.context,
          initializeImportMeta: callbacks.initializeImportMeta,
          importModuleDynamically: callbacks.importModuleDynamically as never,
        };
        // With a persistent cache, the module's record compiles it (with V8's code cache where it has one).
        module = loaded.cache ? loaded.cache.compile(text, options) : new vm.SourceTextModule(text, options);
      } catch (error) {
        if (!isErrorNamed(error, 'SyntaxError')) throw error;
        throw new ModuleSyntaxError(error.message, { ...site, url: entry.key, ...locate(text, 'module', error.message) }, { cause: error });
      } finally {
        spent('compile', start);
      }
      profile.modules++;
      break;
    }
    case 'json':
    case 'text':
    case 'bytes': {
      const value = loaded.value;
      module = new vm.SyntheticModule(['default'], function (this: vm.SyntheticModule) {
        this.setExport('default', value);
      }, { identifier: entry.key, context: entry.realm.context });
      break;
    }
    case 'builtin': {
      const namespace = loaded.value as Record<string, unknown>;
      const names = Object.keys(namespace);
      module = new vm.SyntheticModule(names, function (this: vm.SyntheticModule) {
        for (const name of names) this.setExport(name, namespace[name]);
      }, { identifier: entry.key, context: entry.realm.context });
      break;
    }
    case 'cjs':
      // Made by the registry's walk, with the names its importers ask for (loader/commonjs.ts).
      throw new Error(`canon internal error: a CommonJS record for ${entry.key} outside a graph walk`);
    case 'wasm':
      // A generated JS facade whose requests are the Wasm module's import
      // module names; evaluating it instantiates the module (ts-host/wasm).
      module = createWasmFacade(entry, loaded.source as WebAssembly.Module);
      break;
  }
  entryOfModule.set(module, entry);
  return module;
}
