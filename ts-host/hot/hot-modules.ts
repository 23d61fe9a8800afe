// Hot reload for a registry created with { hot: true } (README "Hot
// reload"): each module instance's import.meta.hot, and registry.reload(key),
// which plans the change (plan.ts), disposes of the old instances, deletes
// them and imports the boundaries again, then calls their accept callbacks.
// It works on the registry's public operations only (ReloadTarget), so the
// registry just forwards to it.

import type { EntryRecord } from '../registry-types.js';
import { attributesKey, normalizeAttributes, type Attributes } from '../sources/attributes.js';
import { HotContext } from './hot-context.js';
import { settled } from '../loader/promises.js';
import { planReload, type HotGraph } from './plan.js';

/** What reload needs of a registry. */
export interface ReloadTarget {
  entries(): EntryRecord[];
  dependenciesOf(key: string, attributes?: Record<string, string>): { key: string; attributes: Attributes }[];
  delete(key: string, attributes?: Record<string, string>): boolean;
  import(key: string, options: { with?: Record<string, string> }): Promise<unknown>;
}

export type ReloadResult =
  /** The new instances evaluated and the accept callbacks ran. `replaced`: the keys imported again. */
  | { status: 'reloaded'; replaced: string[] }
  /** Nothing accepts the change (or a module declined it): only restarting the program applies it. `path`: from the changed key up. */
  | { status: 'restart'; reason: string; path: string[] }
  /** Importing the new instances failed (the error is the import's); the registry holds them as errored, and a reload after the fix retries. */
  | { status: 'failed'; error: unknown; replaced: string[] }
  /** The registry holds no module of that key. */
  | { status: 'not-loaded' };

interface Instance {
  key: string;
  attributes: Attributes;
  context: HotContext;
  disposed: boolean;
}

const idOf = (key: string, attributes: Attributes): string => {
  const a = attributesKey(attributes);
  return a ? `${key} ${a}` : key;
};

export class HotModules {
  /** The latest evaluated instance of each module id (its context keeps its callbacks until a new instance replaces it). */
  readonly #instances = new Map<string, Instance>();
  /** import.meta.hot.data of each module id: one object for all its instances. */
  readonly #data = new Map<string, Record<string, unknown>>();
  /** Reloads run one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * The import.meta.hot of a new module instance. `resolve` resolves the
   * module's specifiers (for accept(specifier)); `invalidate` reloads its
   * importers.
   */
  contextFor(key: string, attributes: Attributes, resolve: (specifier: string) => string, invalidate: (message?: string) => void): HotContext {
    const id = idOf(key, attributes);
    let data = this.#data.get(id);
    if (!data) this.#data.set(id, (data = {}));
    const context = new HotContext(data, resolve, invalidate);
    this.#instances.set(id, { key, attributes, context, disposed: false });
    return context;
  }

  /** Replaces the module `key` (with `attributes`) and what imports it, up to the modules that accept the change. */
  reload(target: ReloadTarget, key: string, attributes?: Record<string, string>, skipSelf = false): Promise<ReloadResult> {
    // One reload at a time, in call order; awaited, not chained with .then (a program may replace Promise.prototype.then).
    const before = this.#queue;
    const run = (async () => {
      await before;
      return this.#reload(target, key, normalizeAttributes(attributes), skipSelf);
    })();
    this.#queue = settled(run);
    return run;
  }

  async #reload(target: ReloadTarget, key: string, attributes: Attributes, skipSelf: boolean): Promise<ReloadResult> {
    const records = new Map<string, { key: string; attributes: Attributes }>();
    const importers = new Map<string, string[]>();
    for (const record of target.entries()) {
      if (!record.canonical) continue;
      const id = idOf(record.key, record.attributes);
      records.set(id, record);
      for (const dep of target.dependenciesOf(record.key, record.attributes)) {
        const depId = idOf(dep.key, dep.attributes);
        let list = importers.get(depId);
        if (!list) importers.set(depId, (list = []));
        if (!list.includes(id)) list.push(id);
      }
    }
    const changed = idOf(key, attributes);
    if (!records.has(changed)) return { status: 'not-loaded' };
    const graph: HotGraph = {
      importers: (id) => importers.get(id) ?? [],
      hot: (id) => this.#instances.get(id)?.context,
      keyOf: (id) => records.get(id)?.key ?? id,
    };
    const plan = planReload(graph, changed, skipSelf);
    if (plan.kind === 'restart') return { status: 'restart', reason: plan.reason, path: plan.path.map(graph.keyOf) };

    // The old instances clean up (importers first, as they were set up last), then go.
    for (const id of [...plan.replaced].reverse()) {
      const instance = this.#instances.get(id);
      if (!instance || instance.disposed) continue;
      instance.disposed = true;
      for (const dispose of instance.context.disposers) await dispose(instance.context.data);
    }
    const selfCallbacks = plan.selfAccepting.map((id) => this.#instances.get(id)?.context.selfCallback);
    for (const id of plan.replaced) {
      const record = records.get(id)!;
      target.delete(record.key, record.attributes);
    }
    const replaced = plan.replaced.map((id) => records.get(id)!.key);
    const importAgain = (id: string) => {
      const record = records.get(id)!;
      return target.import(record.key, Object.keys(record.attributes).length ? { with: { ...record.attributes } } : {});
    };
    try {
      for (const [i, id] of plan.selfAccepting.entries()) {
        const namespace = (await importAgain(id)) as object;
        selfCallbacks[i]?.(namespace);
      }
      for (const { importer, dependencies } of plan.acceptors) {
        const fresh = new Map<string, unknown>();
        for (const id of dependencies) fresh.set(records.get(id)!.key, await importAgain(id));
        for (const accept of this.#instances.get(importer)?.context.dependencyAccepts ?? []) {
          if (!accept.keys.some((k) => fresh.has(k))) continue;
          accept.callback?.(accept.many ? accept.keys.map((k) => fresh.get(k)) : fresh.get(accept.keys[0]!));
        }
      }
    } catch (error) {
      return { status: 'failed', error, replaced };
    }
    return { status: 'reloaded', replaced };
  }
}
