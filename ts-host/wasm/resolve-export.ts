// ResolveExport (ECMA-262 16.2.1.6.3) over canon's entry graph, for the
// Wasm module record's ExecuteModule: an import is taken from the module
// that really defines the binding, following `export { x } from`,
// `import { x } ...; export { x }` and `export *`. It matters when that
// module is a Wasm module: the import then gets the instance's own export
// (the WebAssembly.Global itself, not its unwrapped value), and a Wasm
// module that is not instantiated yet is a LinkError (esm-integration
// document/js-api, ExecuteModule).
//
// The engine has already linked the graph (so every name resolves and none
// is ambiguous); this only finds where each binding lives.

import { moduleSourceLex, type ModuleSource } from '../sources/module-source.js';
import type { GraphNode } from '../module-graph.js';

export type Resolution =
  | { entry: GraphNode; bindingName: string }
  /** A namespace object (`export * as ns from`): a JS value. */
  | { entry: GraphNode; bindingName: null };

function dependencyFor(entry: GraphNode, specifier: string): GraphNode | undefined {
  const index = entry.loaded?.requests.findIndex((r) => r.specifier === specifier && r.phase === null) ?? -1;
  return index < 0 ? undefined : entry.dependencies?.[index];
}

export function resolveExport(entry: GraphNode, name: string, resolveSet: { entry: GraphNode; name: string }[] = []): Resolution | null {
  const loaded = entry.loaded;
  if (!loaded || loaded.kind !== 'js') return { entry, bindingName: name };
  const source = loaded.source as ModuleSource;
  // A module without requests defines every name it exports (the common case: no parse).
  if (moduleSourceLex(source).imports.length === 0) return { entry, bindingName: name };
  if (resolveSet.some((r) => r.entry === entry && r.name === name)) return null; // circular import request
  resolveSet.push({ entry, name });
  const exports = source.exports();
  for (const e of exports) {
    if (e.type === 'direct' && e.names.includes(name)) return { entry, bindingName: name };
  }
  for (const e of exports) {
    if (e.type !== 'reexport' || e.name !== name) continue;
    const dep = dependencyFor(entry, e.from);
    if (!dep) return null;
    return e.import === null ? { entry: dep, bindingName: null } : resolveExport(dep, e.import, resolveSet);
  }
  if (name === 'default') return null;
  for (const e of exports) {
    if (e.type !== 'reexport-all') continue;
    const dep = dependencyFor(entry, e.from);
    const resolution = dep && resolveExport(dep, name, resolveSet);
    if (resolution) return resolution;
  }
  return null;
}
