// Realms: where a registry's modules evaluate. Node's own realm is the main
// one; `new Registry({ context })` evaluates in a vm.Context, a realm with its
// own globals and intrinsics (Array, Object.prototype, TypeError,
// WebAssembly, and canon's AbstractModuleSource and ModuleSource there).
//
// A Realm is what the loader needs from one: the context every module record,
// CommonJS function and script is compiled in, the realm's WebAssembly (Wasm
// sources are its Modules and instances its Instances), its JSON (JSON
// modules are its objects), its TypeError (what import() of another realm's
// source rejects with) and its module source classes. One Realm per context,
// so two registries on one context share their realm and its sources.

import vm from 'node:vm';
import { AbstractModuleSource } from '../sources/abstract-module-source.js';
import { ModuleSource } from '../sources/module-source.js';
import { installRealmIntrinsics, type RealmIntrinsics } from './realm-intrinsics.js';

export interface Realm extends RealmIntrinsics {
  /** The context modules evaluate in; undefined for Node's own realm. */
  readonly context: vm.Context | undefined;
  /** The realm's WebAssembly namespace: it compiles Wasm sources and instantiates them. */
  readonly WebAssembly: typeof WebAssembly;
  /** The realm's JSON (JSON modules parse into the realm's objects). */
  readonly JSON: JSON;
  /** The realm's TypeError. */
  readonly TypeError: TypeErrorConstructor;
  /** The realm's Uint8Array (what `import ... with { type: 'bytes' }` gives). */
  readonly Uint8Array: Uint8ArrayConstructor;
  /** The realm's Object (a CommonJS module's first `exports` inherits from its prototype). */
  readonly Object: ObjectConstructor;
}

/** Node's own realm: every registry without a context evaluates here. */
export const mainRealm: Realm = {
  context: undefined,
  WebAssembly,
  JSON,
  TypeError,
  Uint8Array,
  Object,
  ModuleSource,
  AbstractModuleSource,
};

const realms = new WeakMap<vm.Context, Realm>();

/** The realm of a context (made on first use: its intrinsics are installed then); Node's own for undefined. */
export function realmOf(context: vm.Context | undefined): Realm {
  if (context === undefined) return mainRealm;
  if (typeof context !== 'object' || context === null || !vm.isContext(context)) {
    throw new TypeError(`Registry: context must be a vm.Context (vm.createContext()), got ${context === null ? 'null' : typeof context}`);
  }
  let realm = realms.get(context);
  if (!realm) {
    const globals = vm.runInContext('({ WebAssembly, JSON, TypeError, Uint8Array, Object })', context) as Pick<Realm, 'WebAssembly' | 'JSON' | 'TypeError' | 'Uint8Array' | 'Object'>;
    // The realm's sources name their realm, so the object exists before its classes do.
    const made = { context, ...globals } as Realm;
    Object.assign(made, installRealmIntrinsics(context, made));
    realms.set(context, made);
    realm = made;
  }
  return realm;
}
