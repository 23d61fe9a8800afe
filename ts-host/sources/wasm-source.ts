// WebAssembly.Module as a module source. Every Wasm source canon makes goes
// through compileWasmSource(), which also records the source's bytes, hash
// and host metadata in a WeakMap (not as properties on the module, which
// stays a plain WebAssembly.Module).

import { engineCore } from '../engine-core.js';
import { isErrorNamed, WasmCompileError } from '../errors.js';
import { normalizeAttributes, type Attributes } from './attributes.js';
import { newEvalId } from './eval-id.js';
import type { SourceMetadata } from './module-source.js';
import type { SourceRealm } from './source-realm.js';

interface WasmRecord extends SourceMetadata {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly hash: bigint;
  /** The realm whose WebAssembly.Module compiled it; undefined for Node's own. */
  readonly realm: SourceRealm | undefined;
}

const records = new WeakMap<WebAssembly.Module, WasmRecord>();

export interface WasmSourceOptions {
  /** The resolved URL; without one the source is eval-ish and gets an eval id. */
  url?: string | undefined;
  attributes?: unknown;
  /** The XXH3-128 of the bytes, when the caller already has it. */
  hash?: bigint | undefined;
  /** The realm whose WebAssembly compiles it (the source is that realm's Module); default Node's own. */
  realm?: SourceRealm | undefined;
  /** An eval-ish source's id, when it is a copy of one (the same key); default a fresh one. */
  evalId?: string | undefined;
}

/** Copies `bytes` (so later changes by the caller cannot alter the source) and validates the type. */
function ownBytes(bytes: unknown): Uint8Array<ArrayBuffer> {
  if (bytes instanceof Uint8Array) return bytes.slice();
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes.slice(0));
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
  throw new TypeError(`compileWasmSource: expected bytes (Uint8Array, ArrayBuffer or a view), got ${bytes === null ? 'null' : typeof bytes}`);
}

function record(module: WebAssembly.Module, bytes: Uint8Array<ArrayBuffer>, options: WasmSourceOptions, attributes: Attributes): WebAssembly.Module {
  records.set(module, {
    bytes,
    hash: options.hash ?? engineCore().hash128(bytes),
    url: options.url,
    attributes,
    evalId: options.url === undefined ? options.evalId ?? newEvalId() : undefined,
    baseURL: options.url,
    realm: options.realm,
  });
  return module;
}

/**
 * The compile options of "parse a WebAssembly module" in the ESM integration:
 * the JS String Builtins and imported string constants. Every Wasm source is
 * compiled with them, so a source-phase import gives the same module an
 * evaluation import instantiates. An engine without them ignores the
 * argument; the Wasm module record then supplies both itself (wasm/js-string.ts).
 */
export const WASM_COMPILE_OPTIONS = Object.freeze({ builtins: ['js-string'], importedStringConstants: 'wasm:js/string-constants' });

// The compile options argument is not in the DOM typings yet.
type CompileWithOptions = {
  Module: new (bytes: BufferSource, options: object) => WebAssembly.Module;
  compile: (bytes: BufferSource, options: object) => Promise<WebAssembly.Module>;
};
/** The WebAssembly that compiles for `realm`. */
const wasmOf = (realm: SourceRealm | undefined) => (realm?.WebAssembly ?? WebAssembly) as unknown as CompileWithOptions;

function compileError(error: unknown, url: string | undefined): unknown {
  // By name: a realm's CompileError is not an instance of Node's own.
  if (!isErrorNamed(error, 'CompileError')) return error;
  return new WasmCompileError(`invalid WebAssembly module: ${error.message}`, { url: url ?? '<bytes>' }, { cause: error });
}

/** Compiles bytes into a Wasm module source (synchronously). */
export function compileWasmSource(bytes: ArrayBufferView | ArrayBufferLike, options: WasmSourceOptions = {}): WebAssembly.Module {
  const own = ownBytes(bytes);
  const attributes = normalizeAttributes(options.attributes);
  let module: WebAssembly.Module;
  try {
    module = new (wasmOf(options.realm).Module)(own, WASM_COMPILE_OPTIONS);
  } catch (error) {
    throw compileError(error, options.url);
  }
  return record(module, own, options, attributes);
}

/** Compiles bytes into a Wasm module source off the main thread where the engine can. */
export async function compileWasmSourceAsync(bytes: ArrayBufferView | ArrayBufferLike, options: WasmSourceOptions = {}): Promise<WebAssembly.Module> {
  const own = ownBytes(bytes);
  const attributes = normalizeAttributes(options.attributes);
  let module: WebAssembly.Module;
  try {
    module = await wasmOf(options.realm).compile(own, WASM_COMPILE_OPTIONS);
  } catch (error) {
    throw compileError(error, options.url);
  }
  return record(module, own, options, attributes);
}

/** The recorded bytes, hash and metadata of a Wasm source, or undefined if canon did not compile it. */
export function wasmSourceRecord(module: WebAssembly.Module): (WasmRecord & { readonly bytes: Uint8Array }) | undefined {
  return records.get(module);
}
