// Structured clone of module sources (seed 000: transfer between agents).
// serializeSource() gives a plain record that survives structured clone
// (postMessage, v8.serialize); deserializeSource() rebuilds the source. A
// rooted source keeps its key (URL + attributes) and content, so importing
// it on the other side finds or creates the same canonical entry there; an
// eval-ish source gets a fresh eval id at every deserialization, so a clone
// never aliases another instance.

import { isModuleSource, isWasmModule, type SourceKind } from './brand.js';
import type { AnyModuleSource } from './identity.js';
import { createModuleSource, moduleSourceMetadata, moduleSourceText, type ModuleSource } from './module-source.js';
import { compileWasmSource, wasmSourceRecord } from './wasm-source.js';
import type { SourceRealm } from './source-realm.js';

export interface SerializedSource {
  /** Marks the record's format (checked on the way back in). */
  canon: 'module-source/1';
  kind: SourceKind;
  /** JS source text (kind ModuleSource). */
  text?: string;
  /** Wasm bytes (kind WebAssembly.Module). */
  bytes?: Uint8Array;
  /** The URL of a rooted source; absent for an eval-ish one. */
  url?: string;
  attributes: Record<string, string>;
  /** Where an eval-ish source resolves relative specifiers. */
  baseURL?: string;
}

export function serializeSource(source: AnyModuleSource): SerializedSource {
  if (isModuleSource(source)) {
    const meta = moduleSourceMetadata(source as ModuleSource);
    return {
      canon: 'module-source/1',
      kind: 'ModuleSource',
      text: moduleSourceText(source as ModuleSource),
      ...(meta.url !== undefined ? { url: meta.url } : {}),
      attributes: { ...meta.attributes },
      ...(meta.url === undefined && meta.baseURL !== undefined ? { baseURL: meta.baseURL } : {}),
    };
  }
  if (isWasmModule(source)) {
    const record = wasmSourceRecord(source);
    if (!record) {
      throw new TypeError('serializeSource: this WebAssembly.Module was compiled outside canon, so its bytes are unknown');
    }
    return {
      canon: 'module-source/1',
      kind: 'WebAssembly.Module',
      bytes: record.bytes.slice(),
      ...(record.url !== undefined ? { url: record.url } : {}),
      attributes: { ...record.attributes },
    };
  }
  throw new TypeError(`serializeSource: expected a module source, got ${source === null ? 'null' : typeof source}`);
}

/** Whether a value is a record serializeSource() made (as it arrives from postMessage, from any copy of canon). */
export function isSerializedSource(value: unknown): value is SerializedSource {
  return typeof value === 'object' && value !== null && (value as { canon?: unknown }).canon === 'module-source/1';
}

/** Rebuilds a source from a record serializeSource() made, for `realm` (default: Node's own realm). */
export function deserializeSource(record: SerializedSource, realm?: SourceRealm): AnyModuleSource {
  if (typeof record !== 'object' || record === null || record.canon !== 'module-source/1') {
    throw new TypeError('deserializeSource: not a serialized module source (expected a record from serializeSource())');
  }
  if (record.url !== undefined && typeof record.url !== 'string') throw new TypeError('deserializeSource: url must be a string');
  if (record.kind === 'ModuleSource') {
    if (typeof record.text !== 'string') throw new TypeError('deserializeSource: a ModuleSource record needs its text');
    return createModuleSource(record.text, { url: record.url, attributes: record.attributes, baseURL: record.baseURL, realm });
  }
  if (record.kind === 'WebAssembly.Module') {
    if (!(record.bytes instanceof Uint8Array)) throw new TypeError('deserializeSource: a WebAssembly.Module record needs its bytes');
    return compileWasmSource(record.bytes, { url: record.url, attributes: record.attributes, realm });
  }
  throw new TypeError(`deserializeSource: unknown source kind ${JSON.stringify(record.kind)}`);
}
