// The module graph as code outside the loader reads it (the Wasm
// integration in wasm/): each node's key, what was loaded (kind, source,
// requests), its engine module record and the dependencies its requests
// resolved to. The loader's entries (loader/entry.ts) have this shape and
// are handed in as such: readers need nothing of the loader's record.

import type vm from 'node:vm';
import type { ImportPhase } from './sources/analysis.js';
import { attributesKey, type Attributes } from './sources/attributes.js';

/** One static module request, in source order. */
export interface ModuleRequest {
  specifier: string;
  attributes: Attributes;
  phase: ImportPhase;
}

export interface GraphNode {
  /** The resolved URL, or the eval id of an eval-ish source. */
  readonly key: string;
  /** What was loaded: its kind ('js', 'wasm', ...), its source object if it has one, its requests. */
  readonly loaded: { readonly kind: string; readonly source: unknown; readonly requests: readonly ModuleRequest[] } | undefined;
  /** The engine's module record. */
  readonly module: vm.Module | undefined;
  /** The nodes the requests resolved to, parallel to loaded.requests (undefined where not resolved yet). */
  readonly dependencies: readonly (GraphNode | undefined)[] | undefined;
  /** The realm the module evaluates in: the vm context its records are made in (undefined: Node's own) and that realm's WebAssembly. */
  readonly realm: { readonly context: vm.Context | undefined; readonly WebAssembly: typeof WebAssembly };
}

/**
 * The node the request (specifier, attributes, phase) of `node` resolved
 * to, if it has been resolved. Requests are unique by those three, so this
 * finds at most one; modules have few requests, so a scan does.
 */
export function dependencyOf<N extends GraphNode>(node: N, specifier: string, attributes: Attributes, phase: ImportPhase): N | undefined {
  const requests = node.loaded?.requests;
  if (!requests || !node.dependencies) return undefined;
  const text = attributesKey(attributes);
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i]!;
    if (r.specifier === specifier && r.phase === phase && (r.attributes === attributes || attributesKey(r.attributes) === text)) return node.dependencies[i] as N | undefined;
  }
  return undefined;
}
