// Which modules a change replaces (registry.reload): from the changed module
// up through its importers until every path meets a module that accepts the
// change, as bundlers' hot module replacement does. A module instance's
// bindings are fixed when it links, so nothing above a boundary can be
// re-pointed: the changed module and every importer up to the boundaries
// are deleted and imported again (the SystemJS way), and each boundary's
// callback gets the new namespace. A path that reaches a module nobody
// imports (the program's main module, or one loaded by import() or
// require(), whose importers are not static) without a boundary, or a
// module that declined, means the program must restart.

import type { HotContext } from './hot-context.js';

/** The graph as the planner sees it: module ids (key + attributes), their static importers and hot contexts. */
export interface HotGraph {
  importers(id: string): readonly string[];
  hot(id: string): HotContext | undefined;
  /** The key an id names (what dependency accepts are resolved to). */
  keyOf(id: string): string;
}

export type ReloadPlan =
  | {
      kind: 'hot';
      /** Every module replaced: the changed one and the importers up to the boundaries, changed module first. */
      replaced: string[];
      /** Modules that accept their own replacement, imported again in this order. */
      selfAccepting: string[];
      /** Importers that accept replaced dependencies (they keep their instance), with those dependencies. */
      acceptors: { importer: string; dependencies: string[] }[];
    }
  | { kind: 'restart'; reason: string; path: string[] };

/** Plans the reload of `changed`; `skipSelf`: its own accept does not count (import.meta.hot.invalidate()). */
export function planReload(graph: HotGraph, changed: string, skipSelf = false): ReloadPlan {
  const replaced = [changed];
  const seen = new Set(replaced);
  const via = new Map<string, string>();
  const selfAccepting: string[] = [];
  const acceptors = new Map<string, Set<string>>();
  const pathTo = (id: string): string[] => {
    const path = [id];
    for (let at = via.get(id); at !== undefined; at = via.get(at)) path.push(at);
    return path.reverse();
  };
  for (let i = 0; i < replaced.length; i++) {
    const id = replaced[i]!;
    const hot = graph.hot(id);
    if (hot?.declined) return { kind: 'restart', reason: `${graph.keyOf(id)} declines hot updates`, path: pathTo(id) };
    if (hot?.selfAccepted && !(skipSelf && id === changed)) {
      selfAccepting.push(id);
      continue;
    }
    const importers = graph.importers(id);
    if (importers.length === 0) return { kind: 'restart', reason: `no module accepts the change (it reached ${graph.keyOf(id)}, which nothing imports statically)`, path: pathTo(id) };
    for (const importer of importers) {
      const accepts = graph.hot(importer)?.dependencyAccepts.some((a) => a.keys.includes(graph.keyOf(id)));
      if (accepts) {
        let deps = acceptors.get(importer);
        if (!deps) acceptors.set(importer, (deps = new Set()));
        deps.add(id);
      } else if (!seen.has(importer)) {
        seen.add(importer);
        via.set(importer, id);
        replaced.push(importer);
      }
    }
  }
  // An importer that is itself replaced gets new instances of its dependencies by being imported again.
  const kept = [...acceptors].filter(([importer]) => !seen.has(importer));
  return { kind: 'hot', replaced, selfAccepting, acceptors: kept.map(([importer, deps]) => ({ importer, dependencies: [...deps] })) };
}
