// A non-canonical instance's requests, answered by its importHook (seed 003's
// first instancing option): once per request (specifier and attributes), so a
// static import and an import() of the same specifier reach the same module.
// What the hook may answer: another instance of the registry, a module source
// (its canonical instance in the registry), a specifier (resolved from the
// instance's source), or undefined (the source's own resolution).

import type { ErrorSite } from '../errors.js';
import type { Entry } from '../loader/entry.js';
import { baseOf } from '../loader/entry.js';
import { isModuleSource, isWasmModule } from '../sources/brand.js';
import { attributesKey, type Attributes } from '../sources/attributes.js';
import type { AnyModuleSource } from '../sources/identity.js';
import { hookError, ModuleInstance } from './module-instance.js';

/** The registry's side: how each kind of answer becomes one of its entries. */
export interface ImportHookTargets {
  /** The canonical entry of `specifier` resolved from `base`. */
  entryForSpecifier(specifier: string, base: string, attributes: Attributes): Entry;
  /** The entry of an instance of this registry; undefined for another registry's. */
  entryOfInstance(instance: ModuleInstance): Entry | undefined;
  /** The registry's instance of a source (its canonical one for the source's key and content). */
  entryForSource(source: AnyModuleSource, site: ErrorSite): Entry;
}

export class ImportHookAnswers {
  /** What each instance's hook answered, by request. */
  readonly #answers = new WeakMap<Entry, Map<string, Entry>>();

  /** The entry `entry`'s request leads to: asked of its hook once, then remembered (until that entry is deleted). */
  dependency(entry: Entry, specifier: string, attributes: Attributes, targets: ImportHookTargets): Entry {
    let answers = this.#answers.get(entry);
    if (!answers) this.#answers.set(entry, (answers = new Map()));
    const request = `${specifier}\0${attributesKey(attributes)}`;
    let target = answers.get(request);
    if (!target || target.deleted) answers.set(request, (target = ask(entry, specifier, attributes, targets)));
    return target;
  }
}

function ask(entry: Entry, specifier: string, attributes: Attributes, targets: ImportHookTargets): Entry {
  const site: ErrorSite = { specifier, referrer: entry.key, phase: 'evaluation' };
  let answer: unknown;
  try {
    answer = entry.importHook!(specifier, { ...attributes });
  } catch (error) {
    throw hookError(`the importHook threw`, site, error);
  }
  if (answer === undefined) return targets.entryForSpecifier(specifier, baseOf(entry), attributes);
  if (typeof answer === 'string' || answer instanceof URL) return targets.entryForSpecifier(String(answer), baseOf(entry), attributes);
  if (answer instanceof ModuleInstance) {
    const target = targets.entryOfInstance(answer);
    if (!target) throw hookError('the importHook answered an instance of another registry (instances never cross registries)', site);
    return target;
  }
  if (isModuleSource(answer) || isWasmModule(answer)) return targets.entryForSource(answer as AnyModuleSource, site);
  throw hookError(`the importHook answered ${answer === null ? 'null' : typeof answer}, not an instance, a source, a specifier or undefined`, site);
}
