// What a source is and whether two sources are the same: the content hash
// (XXH3-128) decides quickly, exact comparison decides for sure (DESIGN:
// "equality is always confirmed by exact byte comparison, never by hash
// alone").

import { NO_ATTRIBUTES, type Attributes } from './attributes.js';
import { isModuleSource, isWasmModule, type SourceKind } from './brand.js';
import { moduleSourceHash, moduleSourceMetadata, moduleSourceText, type ModuleSource } from './module-source.js';
import { wasmSourceRecord } from './wasm-source.js';

export type AnyModuleSource = ModuleSource | WebAssembly.Module;

export interface SourceInfo {
  kind: SourceKind;
  /** The primary key: the URL of a rooted source, the eval id of an eval-ish one. */
  key: string;
  url: string | undefined;
  evalId: string | undefined;
  attributes: Attributes;
  baseURL: string | undefined;
  /** XXH3-128 of the content (UTF-8 text or Wasm bytes). */
  hash: bigint;
}

function foreignWasm(what: string): TypeError {
  return new TypeError(`${what}: this WebAssembly.Module was compiled outside canon, so its bytes are unknown (compile it with compileWasmSource())`);
}

function notASource(what: string, value: unknown): TypeError {
  return new TypeError(`${what}: expected a module source (ModuleSource or WebAssembly.Module), got ${value === null ? 'null' : typeof value === 'object' ? Object.prototype.toString.call(value) : typeof value}`);
}

/** Kind, key, metadata and hash of a source. */
export function sourceInfo(source: AnyModuleSource): SourceInfo {
  if (isModuleSource(source)) {
    const meta = moduleSourceMetadata(source as ModuleSource);
    return { kind: 'ModuleSource', key: (meta.url ?? meta.evalId)!, ...meta, hash: moduleSourceHash(source as ModuleSource) };
  }
  if (isWasmModule(source)) {
    const record = wasmSourceRecord(source);
    if (!record) throw foreignWasm('sourceInfo');
    const { url, evalId, attributes, baseURL, hash } = record;
    return { kind: 'WebAssembly.Module', key: (url ?? evalId)!, url, evalId, attributes: attributes ?? NO_ATTRIBUTES, baseURL, hash };
  }
  throw notASource('sourceInfo', source);
}

/** The XXH3-128 content hash of a source. */
export function sourceHash(source: AnyModuleSource): bigint {
  if (isModuleSource(source)) return moduleSourceHash(source as ModuleSource);
  if (isWasmModule(source)) {
    const record = wasmSourceRecord(source);
    if (!record) throw foreignWasm('sourceHash');
    return record.hash;
  }
  throw notASource('sourceHash', source);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Whether two sources have the same content: same kind, same hash, and then
 * the same text or bytes exactly. Metadata (URL, attributes) is not content.
 * A WebAssembly.Module compiled outside canon equals only itself.
 */
export function sourcesEqual(a: AnyModuleSource, b: AnyModuleSource): boolean {
  if (a === b) {
    if (!isModuleSource(a) && !isWasmModule(a)) throw notASource('sourcesEqual', a);
    return true;
  }
  if (isModuleSource(a)) {
    if (!isModuleSource(b)) {
      if (!isWasmModule(b)) throw notASource('sourcesEqual', b);
      return false;
    }
    return moduleSourceHash(a as ModuleSource) === moduleSourceHash(b as ModuleSource) &&
      moduleSourceText(a as ModuleSource) === moduleSourceText(b as ModuleSource);
  }
  if (!isWasmModule(a)) throw notASource('sourcesEqual', a);
  if (!isWasmModule(b)) {
    if (!isModuleSource(b)) throw notASource('sourcesEqual', b);
    return false;
  }
  const ra = wasmSourceRecord(a);
  const rb = wasmSourceRecord(b);
  if (!ra || !rb) return false;
  return ra.hash === rb.hash && bytesEqual(ra.bytes, rb.bytes);
}
