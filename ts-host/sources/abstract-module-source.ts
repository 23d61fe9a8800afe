// %AbstractModuleSource%: the intrinsic every module source inherits from
// (tc39/proposal-source-phase-imports). Where the host already has it
// (Node >= 24: the prototype of WebAssembly.Module) canon uses that very
// object, so one `instanceof AbstractModuleSource` works for Wasm and JS
// sources alike; elsewhere canon provides its own with the same shape.

import { sourceKind, type SourceKind } from './brand.js';

/** The intrinsic's type: not constructible; its prototype's toStringTag names the source kind. */
export interface AbstractModuleSourceConstructor {
  readonly prototype: AbstractModuleSourceInstance;
  readonly name: 'AbstractModuleSource';
}

export interface AbstractModuleSourceInstance {
  readonly [Symbol.toStringTag]: SourceKind | string | undefined;
}

/** Whether a realm's WebAssembly.Module inherits from a native %AbstractModuleSource% (Node >= 24); that intrinsic if so. */
export function nativeAbstractModuleSource(wasmModule: Function): AbstractModuleSourceConstructor | undefined {
  const candidate: unknown = Object.getPrototypeOf(wasmModule);
  const native = typeof candidate === 'function' && candidate !== Function.prototype && candidate.name === 'AbstractModuleSource';
  return native ? (candidate as AbstractModuleSourceConstructor) : undefined;
}

const candidate = nativeAbstractModuleSource(WebAssembly.Module);

/** Whether the host provides %AbstractModuleSource% natively. */
export const hasNativeAbstractModuleSource: boolean = candidate !== undefined;

// The fallback, for hosts without the native intrinsic. A class gives the
// spec's shape: calling it throws TypeError, `prototype` is non-writable and
// non-configurable, and the accessor is named "get [Symbol.toStringTag]".
const Fallback = class AbstractModuleSource {
  constructor() {
    throw new TypeError('AbstractModuleSource is not a constructor: module sources come from the host');
  }

  get [Symbol.toStringTag](): SourceKind | undefined {
    return sourceKind(this);
  }
};

export const AbstractModuleSource: AbstractModuleSourceConstructor = candidate ?? (Fallback as unknown as AbstractModuleSourceConstructor);
