// import defer (tc39/proposal-defer-import-eval): the deferred namespace, the
// asynchronous dependencies evaluated eagerly, and the module that hands the
// namespace to the importer (lowered `import defer * as ns` is a default
// import of it, see lower.ts).

import vm from 'node:vm';
import { describeSite, type ErrorSite } from '../errors.js';
import type { ModuleRequest } from '../module-graph.js';
import { forEachDependency, type Entry } from './entry.js';
import { NO_ATTRIBUTES } from '../sources/attributes.js';
import { evaluateSync } from './evaluate.js';
import { entryOfModule } from './instantiate.js';

/**
 * The proposal's GatherAsynchronousTransitiveDependencies: below `target`,
 * each not-yet-evaluated module with top-level await, without looking
 * further below it. These are evaluated eagerly, before the importer.
 */
export function asyncDependencies(target: Entry): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<Entry>();
  const visit = (entry: Entry) => {
    if (seen.has(entry)) return;
    seen.add(entry);
    const status = entry.module?.status;
    if (status === 'evaluated' || status === 'evaluating' || status === 'errored') return;
    if (hasTopLevelAwait(entry)) {
      out.push(entry);
      return;
    }
    forEachDependency(entry, (dep, request) => {
      if (request.phase !== 'source') visit(dep);
    });
  };
  visit(target);
  return out;
}

/** Whether an entry's module has top-level await (only JS modules can). */
function hasTopLevelAwait(entry: Entry): boolean {
  return entry.loaded?.kind === 'js' && (entry.loaded.source as { hasTopLevelAwait: boolean }).hasTopLevelAwait;
}

/**
 * The proposal's ReadyForSyncExecution: the module and everything it needs
 * can run now, synchronously: nothing on the way is still evaluating (a
 * cycle reaching back into a module on the stack) or has top-level await.
 */
export function readyForSyncExecution(entry: Entry, seen = new Set<Entry>()): boolean {
  if (seen.has(entry)) return true;
  seen.add(entry);
  const status = entry.module?.status;
  if (status === 'evaluated' || status === 'errored') return true;
  if (status === 'evaluating' || hasTopLevelAwait(entry)) return false;
  let ready = true;
  forEachDependency(entry, (dep, request) => {
    if (ready && request.phase !== 'source') ready = readyForSyncExecution(dep, seen);
  });
  return ready;
}

/**
 * The module answering `import defer` of `target`: its default export is the
 * deferred namespace; it imports the eager dependencies, so the engine
 * evaluates them, in graph order, before the importer.
 */
export function deferFacade(target: Entry, namespace: object, eager: Entry[]): vm.Module {
  const identifier = `${target.key} (deferred)`;
  if (eager.length === 0) {
    return new vm.SyntheticModule(['default'], function (this: vm.SyntheticModule) {
      this.setExport('default', namespace);
    }, { identifier, context: target.realm.context });
  }
  const text = eager.map((_, i) => `import "${i}";`).join('') + 'export default import.meta.deferred;';
  const facade = new vm.SourceTextModule(text, {
    identifier,
    context: target.realm.context,
    initializeImportMeta: (meta) => {
      (meta as { deferred?: object }).deferred = namespace;
    },
  });
  // The linker finds the facade's requests ("0", "1", ...) like any entry's.
  const requests: ModuleRequest[] = eager.map((_, i) => ({ specifier: String(i), attributes: NO_ATTRIBUTES, phase: null }));
  entryOfModule.set(facade, { key: identifier, loaded: { requests }, dependencies: eager } as unknown as Entry);
  return facade;
}

/**
 * The deferred namespace of an entry: an exotic object whose string-keyed
 * operations (get, has, keys, descriptors, define, delete) first evaluate the
 * module (synchronously, once) and then act on its namespace. Symbol keys and
 * "then" do not trigger evaluation.
 */
export function deferredNamespace(entry: Entry): object {
  const site: ErrorSite = { url: entry.key, phase: 'defer' };
  // The proxy's target mirrors the namespace's shape so the proxy invariants
  // hold: its export names, writable but not configurable. It is filled on
  // first use, since the names exist once the module is linked.
  const shape = Object.create(null) as Record<string | symbol, unknown>;
  Object.defineProperty(shape, Symbol.toStringTag, { value: 'Deferred Module' });
  let filled = false;
  const fill = () => {
    if (filled) return;
    for (const name of Reflect.ownKeys(entry.module!.namespace)) {
      if (typeof name === 'string') Object.defineProperty(shape, name, { value: undefined, writable: true, enumerable: true, configurable: false });
    }
    Object.preventExtensions(shape);
    filled = true;
  };
  const symbolLike = (key: string | symbol) => typeof key === 'symbol' || key === 'then';
  const namespace = () => {
    fill();
    // EnsureDeferredNamespaceEvaluation: a module that cannot complete synchronously now is a TypeError, and nothing runs.
    if (entry.module!.status !== 'evaluated' && !readyForSyncExecution(entry)) {
      throw new TypeError(`The deferred module ${entry.key} cannot be evaluated now: it or a module it needs is still being evaluated${describeSite(site)}`);
    }
    evaluateSync(entry, site);
    return entry.module!.namespace as Record<string, unknown>;
  };
  const own = (t: object, key: string | symbol) => Object.prototype.hasOwnProperty.call(t, key);
  return new Proxy(shape, {
    get: (t, key) => (symbolLike(key) ? Reflect.get(t, key) : namespace()[key as string]),
    has: (t, key) => (symbolLike(key) ? (fill(), Reflect.has(t, key)) : key in namespace()),
    ownKeys: (t) => {
      namespace();
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor: (t, key) => {
      fill();
      if (symbolLike(key)) return Reflect.getOwnPropertyDescriptor(t, key);
      const ns = namespace();
      return own(t, key) ? { value: ns[key as string], writable: true, enumerable: true, configurable: false } : undefined;
    },
    set: () => false,
    // [[DefineOwnProperty]]: a string key reads the property first ([[GetOwnProperty]], which
    // evaluates), then accepts only a descriptor that changes nothing, as for any namespace.
    defineProperty: (t, key, desc) => {
      fill();
      if (symbolLike(key)) return Reflect.defineProperty(t, key, desc);
      const ns = namespace();
      if (!own(t, key)) return false;
      if (desc.configurable === true || desc.enumerable === false || desc.writable === false || desc.get || desc.set) return false;
      return !('value' in desc) || Object.is(desc.value, ns[key as string]);
    },
    // [[Delete]]: a string key asks for the export list, which evaluates the module.
    deleteProperty: (t, key) => {
      fill();
      if (symbolLike(key)) return Reflect.deleteProperty(t, key);
      namespace();
      return !own(t, key);
    },
    isExtensible: (t) => (fill(), Reflect.isExtensible(t)),
    setPrototypeOf: (_t, proto) => proto === null,
    preventExtensions: (t) => (fill(), Reflect.preventExtensions(t)),
  });
}
