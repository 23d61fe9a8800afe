// import(source) across realms. The proposal's EvaluateImportCall rejects
// with a TypeError when the source's module record belongs to another realm
// than the importer's; a registry does that by default. With
// `crossRealmSources: 'copy'` it instead imports a copy of the source made
// for its own realm: the same key (URL and attributes, or eval id) and
// content, so the copy finds the same instance every time, as a source
// structured-cloned into the realm would (one copy per source and realm).

import { isModuleSource } from '../sources/brand.js';
import { sourceInfo, type AnyModuleSource } from '../sources/identity.js';
import { createModuleSource, moduleSourceMetadata, moduleSourceRealm, moduleSourceText, type ModuleSource } from '../sources/module-source.js';
import type { SourceRealm } from '../sources/source-realm.js';
import { compileWasmSource, wasmSourceRecord } from '../sources/wasm-source.js';
import { mainRealm, type Realm } from './realm.js';

/** What a registry does with another realm's source: refuse it (the spec), or import a copy made for its realm. */
export type CrossRealmSources = 'reject' | 'copy';

export function crossRealmOption(value: unknown): CrossRealmSources {
  if (value === undefined) return 'reject';
  if (value === 'reject' || value === 'copy') return value;
  throw new TypeError(`Registry: crossRealmSources must be 'reject' or 'copy', got ${String(value)}`);
}

/** The realm a source was made for (Node's own for sources made without one). */
export function realmOfSource(source: AnyModuleSource): SourceRealm {
  const realm = isModuleSource(source) ? moduleSourceRealm(source as ModuleSource) : wasmSourceRecord(source as WebAssembly.Module)?.realm;
  return realm ?? mainRealm;
}

const copies = new WeakMap<SourceRealm, WeakMap<object, AnyModuleSource>>();

function copyFor(source: AnyModuleSource, realm: Realm): AnyModuleSource {
  let byRealm = copies.get(realm);
  if (!byRealm) copies.set(realm, (byRealm = new WeakMap()));
  let copy = byRealm.get(source);
  if (copy) return copy;
  if (isModuleSource(source)) {
    const meta = moduleSourceMetadata(source as ModuleSource);
    copy = createModuleSource(moduleSourceText(source as ModuleSource), { ...meta, realm });
  } else {
    const record = wasmSourceRecord(source as WebAssembly.Module);
    // Compiled outside canon: its bytes are unknown (sourceInfo says so in its own words).
    if (!record) return sourceInfo(source) as never;
    copy = compileWasmSource(record.bytes, { url: record.url, attributes: record.attributes, evalId: record.evalId, hash: record.hash, realm });
  }
  byRealm.set(source, copy);
  return copy;
}

/**
 * The source `realm` imports for `source`: itself when it is the realm's,
 * else a TypeError of `errorRealm` (the realm of the code that asked), or
 * with 'copy' the realm's copy.
 */
export function sourceForRealm(source: AnyModuleSource, realm: Realm, mode: CrossRealmSources, errorRealm: Realm, what: string): AnyModuleSource {
  if (realmOfSource(source) === realm) return source;
  if (mode === 'copy') return copyFor(source, realm);
  throw new errorRealm.TypeError(`${what}: the module source belongs to another realm (a registry imports only sources made in its own realm; the option crossRealmSources: 'copy' imports a copy instead)`);
}
