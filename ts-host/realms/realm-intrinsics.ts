// A realm's own %AbstractModuleSource% and %ModuleSource%: classes made by
// code run in the realm, so their prototypes, the arrays and objects their
// methods return and the TypeErrors they throw are the realm's. The state
// behind them stays canon's: a realm's source is made by canon's
// ModuleSource constructor with the realm's class as new.target
// (sources/module-source.ts), so it has canon's private state and brand, and
// the realm's methods read it through the host functions below.
//
// Where the engine has a native %AbstractModuleSource% (Node >= 24: the
// prototype of WebAssembly.Module), the realm's own native one is used;
// elsewhere the realm gets a class of the same shape and its
// WebAssembly.Module is put under it, so `instanceof AbstractModuleSource`
// holds for Wasm and JS sources there too. `ModuleSource` is defined on the
// realm's global, as the proposal's global object has it (unless the context
// already defines one).

import vm from 'node:vm';
import { nativeAbstractModuleSource, type AbstractModuleSourceConstructor } from '../sources/abstract-module-source.js';
import { isModuleSource, sourceKind } from '../sources/brand.js';
import { createModuleSource, ModuleSource } from '../sources/module-source.js';
import type { SourceRealm } from '../sources/source-realm.js';

export interface RealmIntrinsics {
  /** The realm's %AbstractModuleSource%. */
  readonly AbstractModuleSource: AbstractModuleSourceConstructor;
  /** The realm's %ModuleSource%: its JS sources are instances of it. */
  readonly ModuleSource: typeof ModuleSource;
}

/** What the realm's classes ask of canon (each reads a source's state, which only canon holds). */
interface IntrinsicsHost {
  isModuleSource(value: unknown): boolean;
  kind(value: unknown): string | undefined;
  imports(source: object): unknown[];
  exports(source: object): unknown[];
  importMeta(source: object): boolean;
  hasTopLevelAwait(source: object): boolean;
  fromText(text: string, baseURL: unknown): object;
  /** The realm's native %AbstractModuleSource%, if the engine has one. */
  native: AbstractModuleSourceConstructor | undefined;
}

// Runs in the realm: every object literal, array and error here is the realm's.
const INTRINSICS_SCRIPT = `(host) => {
  'use strict';
  const hasNative = host.native !== undefined;
  const AbstractModuleSource = hasNative ? host.native : class AbstractModuleSource {
    constructor() {
      throw new TypeError('AbstractModuleSource is not a constructor: module sources come from the host');
    }
    get [Symbol.toStringTag]() {
      return host.kind(this);
    }
  };
  const check = (value, what) => {
    if (!host.isModuleSource(value)) throw new TypeError('ModuleSource.prototype.' + what + ' called on an object that is not a ModuleSource');
  };
  const copyImport = (i) => ({ specifier: i.specifier, phase: i.phase, attributes: i.attributes === null ? null : { ...i.attributes } });
  const copyExport = (e) => (e.type === 'direct' ? { type: 'direct', names: Array.from(e.names) } : { ...e });
  class ModuleSource {
    constructor() {
      throw new TypeError('ModuleSource cannot be constructed directly: use \`import source\`, import.source() or ModuleSource.fromText()');
    }
    static fromText(text, options = {}) {
      if (typeof text !== 'string') throw new TypeError('ModuleSource.fromText: text must be a string, got ' + typeof text);
      return host.fromText(text, options?.baseURL);
    }
    imports() {
      check(this, 'imports');
      return Array.from(host.imports(this), copyImport);
    }
    exports() {
      check(this, 'exports');
      return Array.from(host.exports(this), copyExport);
    }
    get importMeta() {
      check(this, 'importMeta');
      return host.importMeta(this);
    }
    get hasTopLevelAwait() {
      check(this, 'hasTopLevelAwait');
      return host.hasTopLevelAwait(this);
    }
    get [Symbol.toStringTag]() {
      return host.isModuleSource(this) ? 'ModuleSource' : undefined;
    }
  }
  Object.setPrototypeOf(ModuleSource, AbstractModuleSource);
  Object.setPrototypeOf(ModuleSource.prototype, AbstractModuleSource.prototype);
  if (!hasNative) {
    Object.setPrototypeOf(WebAssembly.Module, AbstractModuleSource);
    Object.setPrototypeOf(WebAssembly.Module.prototype, AbstractModuleSource.prototype);
  }
  if (!Object.hasOwn(globalThis, 'ModuleSource')) {
    Object.defineProperty(globalThis, 'ModuleSource', { value: ModuleSource, writable: true, configurable: true, enumerable: false });
  }
  return { AbstractModuleSource, ModuleSource };
}`;

const canonMethods = ModuleSource.prototype;
const getter = (name: 'importMeta' | 'hasTopLevelAwait') => Object.getOwnPropertyDescriptor(canonMethods, name)!.get!;
const importMetaOf = getter('importMeta');
const hasTopLevelAwaitOf = getter('hasTopLevelAwait');

/** Makes the realm's classes, once per context (realm.ts keeps them); `realm` is the record its sources will name. */
export function installRealmIntrinsics(context: vm.Context, realm: SourceRealm): RealmIntrinsics {
  const host: IntrinsicsHost = {
    isModuleSource,
    kind: sourceKind,
    imports: (source) => canonMethods.imports.call(source as ModuleSource),
    exports: (source) => canonMethods.exports.call(source as ModuleSource),
    importMeta: (source) => importMetaOf.call(source) as boolean,
    hasTopLevelAwait: (source) => hasTopLevelAwaitOf.call(source) as boolean,
    fromText: (text, baseURL) => createModuleSource(text, {
      url: undefined,
      attributes: undefined,
      baseURL: baseURL === undefined ? undefined : new URL(String(baseURL)).href,
      realm,
    }),
    native: undefined,
  };
  host.native = nativeAbstractModuleSource(vm.runInContext('WebAssembly.Module', context) as Function);
  const make = vm.runInContext(INTRINSICS_SCRIPT, context, { filename: 'canon:realm-intrinsics' }) as (host: IntrinsicsHost) => RealmIntrinsics;
  return make(host);
}
