// The graph walk: loads the static graph below a module, depth-first in
// request order, resolving each request through the registry (WalkHost).
// Files load synchronously; asynchronous loads are started and waited for
// only when nothing else is left to walk. import.sync drives the same walk
// and never waits.

import { ImportSyncError, ModuleSyntaxError, type ErrorSite, type Phase } from '../errors.js';
import type { GraphFailure } from '../registry-types.js';
import type { Entry } from './entry.js';
import { firstOf, settledWith } from './promises.js';

/** What the walk asks of the registry: loading an entry, resolving a request, compiling records, dropping an entry. */
export interface WalkHost {
  /** Loads a file: (or node:) entry synchronously when it can; whether it did (or failed). */
  loadSync(entry: Entry, site: ErrorSite, compile: boolean): boolean;
  /** Loads an entry asynchronously (settles when its own load is done). */
  load(entry: Entry, site: ErrorSite): Promise<void>;
  /** The entry request `index` of `entry` resolves to (made if new). */
  dependency(entry: Entry, index: number): Entry;
  /** Compiles the walk's module records in one batch. */
  compile(pending: { entry: Entry; site: ErrorSite }[], failures?: GraphFailure[]): void;
  /** Takes an entry out of the registry. */
  drop(entry: Entry): void;
}

/** How import.sync walks: never waiting, loading from disk only if the policy allows. */
export interface SyncWalk {
  hostLoading: boolean;
  /** The import.sync call's site, for its ImportSyncErrors. */
  site: ErrorSite;
}

/** The loads a walk waits for, by entry. */
export type WalkWaits = Map<Entry, { done: Promise<Entry>; site: ErrorSite }>;

export interface WalkResult {
  /** Every entry the walk went below (not those only reached by source-phase imports). */
  walked: Set<Entry>;
  /** Entries `import defer` reached. */
  deferred: Entry[];
}

const NO_SOURCE_KIND_NAMES: Partial<Record<string, string>> = { json: 'JSON modules', text: 'text modules', bytes: 'bytes modules' };

/** JSON, text, bytes and builtin modules have no source object: a source-phase import of one is a SyntaxError. */
export function noSourcePhase(entry: Entry, site: ErrorSite): ModuleSyntaxError {
  const what = NO_SOURCE_KIND_NAMES[entry.loaded!.kind] ?? 'builtin modules';
  return new ModuleSyntaxError(`${what} have no source phase`, { ...site, url: entry.key, phase: 'source' });
}

/**
 * Loads the static graph below `root`, depth-first in request order. Files
 * load synchronously (no promise per module). Entries that need an
 * asynchronous load are started and the walk goes on elsewhere until one of
 * them is needed: then it yields that wait to its driver (the registry's loadGraph awaits;
 * import.sync's walk never waits, it throws ImportSyncError instead). The
 * first failure met stops it. Returns the entries it walked and those that
 * `import defer` reached.
 */
export function* walkGraph(host: WalkHost, root: Entry, phase: Phase, rootSite: ErrorSite, sync?: SyncWalk, failures?: GraphFailure[], waiting: WalkWaits = new Map()): Generator<Promise<Entry>, WalkResult, Entry> {
  const deferred: Entry[] = [];
  const expanded = new Set<Entry>();
  // `sourceOnly`: reached by a source-phase import, so loaded but not walked below.
  const stack: { entry: Entry; site: ErrorSite; sourceOnly?: boolean }[] = [{ entry: root, site: rootSite }];
  // Module records are compiled after the walk, in one batch: reading,
  // lexing and compiling each in a run of its own is markedly faster than
  // interleaving them per module (the engine's parser stays hot).
  const uncompiled: { entry: Entry; site: ErrorSite }[] = [];
  try {
    while (stack.length > 0 || waiting.size > 0) {
      if (stack.length === 0) {
        const entry = yield firstOf([...waiting.values()].map((w) => w.done));
        stack.push({ entry, site: waiting.get(entry)!.site });
        waiting.delete(entry);
      }
      const { entry, site, sourceOnly } = stack.pop()!;
      if (expanded.has(entry) || waiting.has(entry)) continue;
      if (entry.status === 'new' && (!sync || sync.hostLoading)) host.loadSync(entry, site, false);
      if (entry.status === 'new' || entry.status === 'loading') {
        if (sync) throw new ImportSyncError(entry.status === 'new' ? 'not loaded' : 'still loading', entry.key, sync.site);
        const done = settledWith(host.load(entry, site), entry);
        waiting.set(entry, { done, site: sourceOnly ? { ...site, phase: 'source' } : site });
        continue;
      }
      if (entry.status === 'errored') {
        if (!failures) throw entry.error;
        failures.push({ specifier: site.specifier, referrer: site.referrer, url: entry.key, error: entry.error });
        continue;
      }
      if (sourceOnly) {
        if (!entry.loaded!.source) throw noSourcePhase(entry, site);
        continue;
      }
      expanded.add(entry);
      // No record yet, or it was dropped after a failed link of another graph.
      if (!entry.module) uncompiled.push({ entry, site });
      const requests = entry.loaded!.requests;
      const deps: Entry[] = new Array(requests.length);
      for (let i = 0; i < requests.length; i++) {
        if (!failures) {
          try {
            deps[i] = host.dependency(entry, i);
          } catch (error) {
            // A request that cannot be resolved (or is refused) fails the graph: the entries just made for
            // its siblings, never loaded, go too, so the registry is as it was before this module's requests.
            for (let j = 0; j < i; j++) if (deps[j]!.status === 'new') host.drop(deps[j]!);
            throw error;
          }
          continue;
        }
        try {
          deps[i] = host.dependency(entry, i);
        } catch (error) {
          failures.push({ specifier: requests[i]!.specifier, referrer: entry.key, url: undefined, error });
        }
      }
      for (let i = requests.length - 1; i >= 0; i--) {
        const request = requests[i]!;
        if (deps[i] === undefined) continue; // a failure recorded above
        if (request.phase === 'source') {
          stack.push({ entry: deps[i]!, site: { specifier: request.specifier, referrer: entry.key, phase: 'source' }, sourceOnly: true });
          continue;
        }
        if (request.phase === 'defer') {
          if (sync) throw new ImportSyncError('not linkable synchronously', `${entry.key} uses import defer`, sync.site);
          if (!deferred.includes(deps[i]!)) deferred.push(deps[i]!);
        }
        if (!expanded.has(deps[i]!)) {
          stack.push({ entry: deps[i]!, site: { specifier: request.specifier, referrer: entry.key, phase } });
        }
      }
    }
  } catch (error) {
    // A module met earlier in the walk that does not compile failed first.
    host.compile(uncompiled);
    throw error;
  }
  host.compile(uncompiled, failures);
  return { walked: expanded, deferred };
}
