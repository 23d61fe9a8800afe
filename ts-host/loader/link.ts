// Link: connect a loaded graph's module records. Every request was resolved
// while loading, so the linker is a map lookup. Linking runs one graph at a
// time per registry (it does no I/O, so this costs nothing), because the
// engine cannot link two graphs that share a module concurrently.

import vm from 'node:vm';
import { isErrorNamed, ModuleLinkError } from '../errors.js';
import type { ImportPhase } from '../sources/analysis.js';
import { normalizeAttributes } from '../sources/attributes.js';
import { dependencyOf, type ModuleRequest } from '../module-graph.js';
import { forEachDependency, type Entry } from './entry.js';
import { entryOfModule } from './instantiate.js';
import { DEFER_PHASE_MARK, SOURCE_PHASE_MARK } from './lower.js';
import { mark, spent } from '../profile.js';
import { settled } from './promises.js';

/**
 * A module whose evaluation failed is, in the spec, "evaluated" with an
 * error: linking a new importer to it succeeds and evaluating the importer
 * rethrows that same error at the dependency's place in evaluation order.
 * The engine refuses to link to an errored record, so the linker hands out a
 * stand-in with the same export names whose evaluation throws the original
 * error object.
 */
function erroredStandIn(module: vm.Module, context: vm.Context | undefined): vm.Module {
  const names = Reflect.ownKeys(module.namespace).filter((k): k is string => typeof k === 'string');
  const error = module.error;
  // A SourceTextModule rather than a SyntheticModule: Node 20 also reports an
  // error thrown by synthetic evaluation steps as uncaught.
  const exports = names.length ? `let v;\nexport { ${names.map((n) => `v as ${JSON.stringify(n)}`).join(', ')} };\n` : '';
  return new vm.SourceTextModule(`${exports}throw import.meta.error;\n`, {
    identifier: module.identifier,
    context,
    initializeImportMeta: (meta) => {
      (meta as { error?: unknown }).error = error;
    },
  });
}

/** Set once any module's evaluation has failed: until then no record can be errored, so the linker skips the check. */
export const evaluationFailures = { seen: false };

/** The module that answers a source-phase import: its default export is the source (one per entry). */
export function sourceFacade(entry: Entry): vm.Module {
  if (!entry.sourceFacade) {
    const source = entry.loaded!.source;
    entry.sourceFacade = new vm.SyntheticModule(['default'], function (this: vm.SyntheticModule) {
      this.setExport('default', source);
    }, { identifier: `${entry.key} (source phase)`, context: entry.realm.context });
  }
  return entry.sourceFacade;
}

const linker = (specifier: string, referencing: vm.Module, extra: { attributes?: object }): vm.Module => {
  const from = entryOfModule.get(referencing)!;
  const phase = specifier.endsWith(SOURCE_PHASE_MARK) ? 'source' : specifier.endsWith(DEFER_PHASE_MARK) ? 'defer' : null;
  if (phase !== null) specifier = specifier.slice(0, -(phase === 'source' ? SOURCE_PHASE_MARK : DEFER_PHASE_MARK).length);
  return answer(from, dependencyOf(from, specifier, normalizeAttributes(extra.attributes), phase), phase, specifier);
};

/** The specifier the engine sees for a request (lower.ts marks phase imports). */
function engineSpecifier(request: ModuleRequest): string {
  return request.phase === 'source' ? request.specifier + SOURCE_PHASE_MARK
    : request.phase === 'defer' ? request.specifier + DEFER_PHASE_MARK
    : request.specifier;
}

/** The module record that answers `from`'s request for `dep` in `phase`. */
function answer(from: Entry, dep: Entry | undefined, phase: ImportPhase, specifier: string): vm.Module {
  if (phase === 'source' && dep?.loaded?.source) return sourceFacade(dep);
  if (phase === 'defer' && dep?.deferFacade) return dep.deferFacade;
  if (!dep?.module) throw new Error(`canon internal error: ${specifier} from ${from.key} was not loaded before linking`);
  return evaluationFailures.seen && dep.module.status === 'errored' ? erroredStandIn(dep.module, dep.realm.context) : dep.module;
}

/** The first module (depth-first, in request order) that requests `specifier` and is not linked. */
function findReferrer(root: Entry, specifier: string): Entry | undefined {
  const seen = new Set<Entry>();
  const visit = (entry: Entry): Entry | undefined => {
    if (seen.has(entry) || !entry.module || entry.module.status !== 'unlinked') return undefined;
    seen.add(entry);
    const requests = entry.loaded?.requests ?? [];
    for (let i = 0; i < requests.length; i++) {
      const dep = entry.dependencies?.[i];
      if (dep && requests[i]!.phase === null) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    return requests.some((r) => r.specifier === specifier) ? entry : undefined;
  };
  return visit(root);
}

/** Every entry of the graph below `root` whose module is still unlinked (after a failed link). */
function unlinkedBelow(root: Entry): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<Entry>();
  const visit = (entry: Entry) => {
    if (seen.has(entry)) return;
    seen.add(entry);
    if (entry.module?.status === 'unlinked') out.push(entry);
    forEachDependency(entry, (dep, request) => {
      if (request.phase === null) visit(dep);
    });
  };
  visit(root);
  return out;
}

/**
 * Links the graph below `root`. A missing or ambiguous export becomes a
 * ModuleLinkError naming the importing module, which becomes errored (the
 * same error is rethrown on later imports); the other modules of the failed
 * link get fresh module records next time, so nothing stays half-linked.
 */
export async function linkGraph(root: Entry, queue: { tail: Promise<unknown> }): Promise<void> {
  // Chained with await, never .then()/.catch() or by returning a promise from an async
  // function: those call Promise.prototype.then, which a program may have replaced
  // (import.defer must not call it, test262's promise-prototype-then-not-called).
  const previous = queue.tail;
  const run = (async () => {
    await previous;
    const module = root.module!;
    if (module.status !== 'unlinked') return;
    const start = mark();
    try {
      // Where the engine links synchronously, skip vm's promise per dependency.
      if (canLinkSync && USE_SYNC_LINK) return linkGraphSync(root);
      await module.link(linker);
    } catch (error) {
      throw linkFailed(root, error);
    } finally {
      spent('link', start);
    }
  })();
  queue.tail = settled(run); // the next link goes ahead after a failed one
  await run;
}

/** The engine's synchronous linking steps for one module record. */
interface SyncLinking {
  /** [[RequestedModules]] in the engine's order. */
  requests(module: vm.SourceTextModule): readonly { specifier: string; attributes: Record<string, string> }[];
  /** Records the module answering each request (nothing is resolved yet). */
  link(module: vm.SourceTextModule, specifiers: readonly string[], modules: vm.Module[]): void;
  /** InstantiateModule on a root whose graph is all linked. */
  instantiate(module: vm.SourceTextModule): void;
  /**
   * Whether link() finds each request's module by its specifier (so any
   * order will do, and a request left out fails loudly), rather than by
   * position in requests().
   */
  bySpecifier: boolean;
}

interface PublicSyncLinkable {
  linkRequests(modules: vm.Module[]): void;
  instantiate(): void;
  moduleRequests: { specifier: string; attributes: Record<string, string> }[];
}

interface ModuleWrap {
  getModuleRequests(): { specifier: string; attributes: Record<string, string> }[];
  link(specifiers: readonly string[], wraps: object[]): void;
  instantiate(): void;
}

/** Node >= 24: vm's public linkRequests / instantiate. */
function publicSyncLinking(): SyncLinking | undefined {
  if (!vm.SourceTextModule) return undefined; // no --experimental-vm-modules
  const proto = vm.SourceTextModule.prototype as unknown as Partial<PublicSyncLinkable>;
  if (typeof proto.linkRequests !== 'function') return undefined;
  return {
    requests: (m) => (m as unknown as PublicSyncLinkable).moduleRequests,
    link: (m, _specifiers, modules) => (m as unknown as PublicSyncLinkable).linkRequests(modules),
    instantiate: (m) => (m as unknown as PublicSyncLinkable).instantiate(),
    bySpecifier: false,
  };
}

/**
 * Node 20.20 (and 22.x releases with the same backport) link a
 * SourceTextModule in two synchronous engine steps, ModuleWrap#link(specifiers,
 * wraps) then ModuleWrap#instantiate(), and wrap them in one promise per
 * dependency (vm's link(linker)). Those steps are what Node 24 made public as
 * linkRequests/instantiate; calling them directly removes the promises, which
 * are most of vm's link time on a wide graph. Used only when vm's own link
 * is exactly that (its source says so), so any other Node falls back to
 * link(linker).
 */
function moduleWrapSyncLinking(): SyncLinking | undefined {
  if (!vm.SourceTextModule) return undefined;
  const proto = vm.SourceTextModule.prototype as unknown as Record<symbol, unknown>;
  const kLink = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'kLink');
  const internalLink = kLink && proto[kLink];
  if (typeof internalLink !== 'function' || !internalLink.toString().includes('this[kWrap].link(specifiers, modules)')) return undefined;
  const probe = new vm.SourceTextModule('');
  const kWrap = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'kWrap');
  const wrap = kWrap && (probe as unknown as Record<symbol, Partial<ModuleWrap>>)[kWrap];
  if (!wrap || typeof wrap.getModuleRequests !== 'function' || typeof wrap.link !== 'function' || typeof wrap.instantiate !== 'function') return undefined;
  const wrapOf = (m: vm.Module) => (m as unknown as Record<symbol, ModuleWrap>)[kWrap!]!;
  return {
    requests: (m) => wrapOf(m).getModuleRequests(),
    link: (m, specifiers, modules) => wrapOf(m).link(specifiers, modules.map(wrapOf)),
    instantiate: (m) => wrapOf(m).instantiate(),
    // Node 20.20's ModuleWrap keeps the modules in a specifier-keyed cache that
    // the engine's resolve callback reads ("request for 'x' is not in cache").
    bySpecifier: true,
  };
}

// CANON_SYNC_LINK=0 forces vm's link(linker), so tests cover the fallback on every Node.
const USE_SYNC_LINK = process.env.CANON_SYNC_LINK !== '0';
const syncLinking = publicSyncLinking() ?? moduleWrapSyncLinking();

/** Whether this Node links synchronously (see publicSyncLinking, moduleWrapSyncLinking). */
export const canLinkSync = syncLinking !== undefined;

/**
 * Links a module record without requests (a SyntheticModule) synchronously:
 * through the engine's steps on Node 20.20, and by vm's link(), which does
 * no asynchronous work for such a record, on Node >= 24. Returns whether it
 * is linked.
 */
export function linkLeafSync(module: vm.Module): boolean {
  if (module.status === 'unlinked') {
    if (syncLinking?.bySpecifier) {
      syncLinking.link(module as vm.SourceTextModule, [], []);
      syncLinking.instantiate(module as vm.SourceTextModule);
    } else {
      void settled(module.link(() => {
        throw new Error('canon internal error: a module without requests asked for one');
      }));
    }
  }
  return module.status === 'linked' || module.status === 'evaluated';
}

/**
 * Links the graph below `root` synchronously (for import.sync). Only where
 * the engine can (canLinkSync); failures are handled as in linkGraph.
 */
export function linkGraphSync(root: Entry): void {
  const module = root.module!;
  if (module.status !== 'unlinked') return;
  const engine = syncLinking!;
  // Linking only records each module's dependencies, so the order does not
  // matter: a worklist, not recursion (graphs can be deep chains).
  const seen = new Set<vm.Module>([module]);
  const work: vm.Module[] = [module];
  try {
    while (work.length > 0) {
      const m = work.pop()!;
      if (!(m instanceof vm.SourceTextModule)) continue;
      const { specifiers, deps } = dependenciesOf(engine, m);
      for (let i = 0; i < deps.length; i++) {
        const dep = deps[i]!;
        if (!seen.has(dep) && dep.status === 'unlinked') {
          seen.add(dep);
          work.push(dep);
        }
      }
      engine.link(m, specifiers, deps);
    }
    engine.instantiate(module as vm.SourceTextModule);
  } catch (error) {
    throw linkFailed(root, error);
  }
}

/** The engine's requests of `m` and the module answering each. */
function dependenciesOf(engine: SyncLinking, m: vm.SourceTextModule): { specifiers: string[]; deps: vm.Module[] } {
  // The walk resolved the entry's requests by index (Registry#dependency).
  const from = entryOfModule.get(m);
  const ours = from?.loaded?.requests;
  const resolved = from?.dependencies;
  if (engine.bySpecifier && ours !== undefined && resolved?.length === ours.length && !resolved.includes(undefined)) {
    // The engine looks its requests up by specifier: no need to have it list
    // them (an object per request, most of the link's allocation).
    const specifiers: string[] = new Array(ours.length);
    const deps: vm.Module[] = new Array(ours.length);
    for (let i = 0; i < ours.length; i++) {
      const request = ours[i]!;
      specifiers[i] = engineSpecifier(request);
      deps[i] = answer(from!, resolved[i], request.phase, request.specifier);
    }
    return { specifiers, deps };
  }
  const requests = engine.requests(m);
  const specifiers: string[] = new Array(requests.length);
  const deps: vm.Module[] = new Array(requests.length);
  // The engine lists the same requests in the same order (both deduplicate by
  // specifier, attributes and phase), which the specifiers confirm one by one.
  const aligned = ours?.length === requests.length ? resolved : undefined;
  for (let i = 0; i < requests.length; i++) {
    const { specifier, attributes } = requests[i]!;
    specifiers[i] = specifier;
    const request = ours?.[i];
    const known = aligned?.[i];
    deps[i] = known !== undefined && specifier === engineSpecifier(request!)
      ? answer(from!, known, request!.phase, request!.specifier)
      : linker(specifier, m, { attributes });
  }
  return { specifiers, deps };
}

function linkFailed(root: Entry, error: unknown): unknown {
  // Not the engine's error, or one linkGraphSync already described (linkGraph calls it).
  if (!isErrorNamed(error, 'SyntaxError') || Object.hasOwn(error, 'referrer')) return error;
  const specifier = /requested module '([^']*)'/.exec(error.message)?.[1];
  const referrer = (specifier !== undefined && findReferrer(root, specifier)) || root;
  const index = referrer.loaded?.requests.findIndex((r) => r.specifier === specifier) ?? -1;
  const dep = index < 0 ? undefined : referrer.dependencies?.[index];
  const wrapped = new ModuleLinkError(error.message, {
    specifier,
    referrer: referrer.key,
    url: dep?.key,
  }, { cause: error });
  // Start the rest afresh next time; the importer that failed keeps its error.
  for (const entry of unlinkedBelow(root)) {
    if (entry !== referrer) entry.module = undefined;
  }
  referrer.status = 'errored';
  referrer.error = wrapped;
  referrer.module = undefined;
  return wrapped;
}
