// The import half of the Wasm module record's ExecuteModule
// (WebAssembly/esm-integration, document/js-api, "ExecuteModule"): for each
// import in order, the value comes from the binding the imported module
// exports, checked by the import's kind. It runs when the record is
// evaluated, so its dependencies have run (or, in a cycle, may not have).

import { dependencyOf } from '../module-graph.js';
import { NO_ATTRIBUTES } from '../sources/attributes.js';
import { WasmImportReferenceError, WasmImportValueError, WasmLinkError, describeImport, type WasmErrorSite } from './errors.js';
import { isErrorNamed } from '../errors.js';
import { recordState, type WasmRecordState } from './instances.js';
import type { WasmImport } from './interface.js';
import { builtinImportValue } from './js-string.js';
import { resolveExport } from './resolve-export.js';

// Brand checks without side effects: these getters throw a TypeError for
// anything but the real object (an internal-slot check, unlike instanceof).
const memoryBuffer = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer')!.get!;
const tableLength = Object.getOwnPropertyDescriptor(WebAssembly.Table.prototype, 'length')!.get!;

function implementsBy(getter: () => unknown, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    getter.call(value);
    return true;
  } catch {
    return false;
  }
}

const globalValue = Object.getOwnPropertyDescriptor(WebAssembly.Global.prototype, 'value')!.get!;
/**
 * A global's brand check: its value getter works on any realm's Global and
 * throws for anything else, but also for a v128 global (no JS value); those
 * are recognised by instanceof, Node's own or the importing realm's.
 */
function isGlobal(v: unknown, realm: { readonly WebAssembly: typeof WebAssembly }): v is WebAssembly.Global {
  return implementsBy(globalValue, v) || v instanceof WebAssembly.Global || v instanceof realm.WebAssembly.Global;
}
const Tag = (WebAssembly as unknown as { Tag?: new (type: { parameters: string[] }) => object }).Tag;
const WasmException = (WebAssembly as unknown as { Exception?: new (tag: object, payload: unknown[]) => { is(tag: unknown): boolean } }).Exception;
/**
 * A tag's brand check: Exception.prototype.is() throws a TypeError for
 * anything but a real WebAssembly.Tag (instanceof would take an object made
 * from Tag.prototype, which the engine then refuses with a bare LinkError).
 */
const tagProbe = Tag && WasmException ? new WasmException(new Tag({ parameters: [] }), []) : undefined;
function isTag(value: unknown): boolean {
  if (!tagProbe || typeof value !== 'object' || value === null) return false;
  try {
    tagProbe.is(value);
    return true;
  } catch {
    return false;
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return Object.prototype.toString.call(v).slice(8, -1);
  return typeof v;
}

/** The value of one import whose binding comes from a JS module (or JSON, or a builtin module). */
function fromJSValue(imp: WasmImport, v: unknown, site: WasmErrorSite, realm: { readonly WebAssembly: typeof WebAssembly }): unknown {
  const what = describeImport(site);
  switch (imp.kind) {
    case 'function':
      if (typeof v !== 'function') throw new WasmLinkError(`The function ${what} is not callable (got ${describeValue(v)})`, site);
      return v;
    case 'global': {
      if (isGlobal(v, realm)) return v; // used as is; the engine checks its type and mutability
      const type = imp.global;
      if (type?.value === 'v128') throw new WasmLinkError(`The v128 global ${what} needs a WebAssembly.Global, not a plain value (got ${describeValue(v)})`, site);
      if (type?.mutable) throw new WasmLinkError(`The mutable global ${what} needs a WebAssembly.Global, not a plain value (got ${describeValue(v)})`, site);
      if (type && (type.value === 'i32' || type.value === 'i64' || type.value === 'f32' || type.value === 'f64')) {
        // global_alloc of ToWebAssemblyValue(v, valtype): the spec converts (ToInt32, ToBigInt64...)
        // where the JS API's instantiate() would refuse a value of the wrong typeof.
        try {
          return new WebAssembly.Global({ value: type.value, mutable: false }, v as never);
        } catch (error) {
          throw new WasmImportValueError(`The ${type.value} global ${what} cannot take this value: ${(error as Error).message}`, site, { cause: error });
        }
      }
      // Reference types: the engine applies ToWebAssemblyValue itself.
      return v;
    }
    case 'memory':
      if (!implementsBy(memoryBuffer, v)) throw new WasmLinkError(`The memory ${what} must be a WebAssembly.Memory (got ${describeValue(v)})`, site);
      return v;
    case 'table':
      if (!implementsBy(tableLength, v)) throw new WasmLinkError(`The table ${what} must be a WebAssembly.Table (got ${describeValue(v)})`, site);
      return v;
    case 'tag':
      if (!isTag(v)) throw new WasmLinkError(`The tag ${what} must be a WebAssembly.Tag (got ${describeValue(v)})`, site);
      return v;
  }
}

/**
 * Builds the import object of `state`'s module. `read(binding)` reads one of
 * the facade's import bindings (and throws a ReferenceError in its TDZ).
 */
export function readImports(state: WasmRecordState, read: (binding: number) => unknown): WebAssembly.Imports {
  const importObject: Record<string, Record<string, unknown>> = Object.create(null);
  for (const imp of state.iface.imports) {
    const site: WasmErrorSite = { specifier: imp.module, importName: imp.name, importKind: imp.kind, url: state.url };
    let value: unknown;
    if (imp.builtin) {
      value = builtinImportValue(imp.module, imp.name);
      if (value === undefined) throw new WasmLinkError(`The builtin ${describeImport(site)} needs WebAssembly GC, which this engine lacks`, site);
    } else {
      const dependency = dependencyOf(state.entry, imp.module, NO_ATTRIBUTES, null);
      const resolution = dependency && resolveExport(dependency, imp.name);
      const origin = resolution && resolution.bindingName !== null && resolution.entry.loaded?.kind === 'wasm' ? resolution : undefined;
      if (origin) {
        // The binding is a Wasm module's export: take the instance's own export.
        const instance = recordState(origin.entry.module)?.instance;
        if (!instance) {
          throw new WasmLinkError(
            `The ${describeImport(site)} comes from the WebAssembly module ${origin.entry.key}, which is not instantiated yet (a cycle between WebAssembly modules)`,
            site,
          );
        }
        value = instance.exports[origin.bindingName!];
      } else {
        let v: unknown;
        try {
          v = read(imp.binding);
        } catch (error) {
          if (!isErrorNamed(error, 'ReferenceError')) throw error;
          throw new WasmImportReferenceError(`The ${describeImport(site)} is not initialized yet (its module has not run: a cycle)`, site, { cause: error });
        }
        value = fromJSValue(imp, v, site, state.entry.realm);
      }
    }
    (importObject[imp.module] ??= Object.create(null) as Record<string, unknown>)[imp.name] = value;
  }
  return importObject as WebAssembly.Imports;
}
