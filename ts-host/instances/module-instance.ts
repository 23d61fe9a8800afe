// Non-canonical module instances (seed 000, "compartments and non-canonical
// instances"; DESIGN: "an API to create non-canonical instances of a source
// with their own hooks"): `new ModuleInstance(source, { registry,
// importHook, importMeta })`, or `registry.instantiate(source, options)`.
//
// An instance is a registry entry of its own for the source, outside the
// registry's URL index: importing the URL (or the source) never gives it,
// and `entries()` lists it with `canonical: false`. Its requests, static and
// dynamic, are answered once each by the importHook: another instance, a
// module source (whose canonical instance in that registry it links to), a
// specifier (resolved from the source's URL) or nothing (the source's own
// resolution). Instances never cross registries.

import { withSite, type ErrorSite } from '../errors.js';
import type { AnyModuleSource } from '../sources/identity.js';

/** What an importHook may answer for a request of the instance. */
export type ImportHookAnswer = ModuleInstance | AnyModuleSource | string | URL | undefined;

/**
 * Answers one request (specifier and its import attributes) of an instance,
 * synchronously, as resolution is in Node and browsers. Called once per
 * distinct request: a static import and an import() of the same specifier
 * get the same answer.
 */
export type ImportHook = (specifier: string, attributes: Record<string, string>) => ImportHookAnswer;

export interface ModuleInstanceOptions {
  /** The registry the instance lives in (its cache of canonical instances, its resolution rules). */
  registry: InstanceHost;
  importHook?: ImportHook;
  /** Properties added to the instance's import.meta (after url and resolve). */
  importMeta?: Record<string, unknown>;
}

/** What a registry does for the instances it holds (Registry implements it). */
export interface InstanceHost {
  /** @internal Makes the instance's entry; returns nothing the program sees. */
  adoptInstance(instance: ModuleInstance, source: AnyModuleSource, options: Omit<ModuleInstanceOptions, 'registry'>): void;
  /** Links and evaluates the instance (and what it imports); resolves to its namespace. */
  import(instance: ModuleInstance): Promise<unknown>;
}

/** A request the importHook could not answer: it threw, or answered something that is not a module. */
export const ImportHookError = withSite(TypeError);
export type ImportHookError = InstanceType<typeof ImportHookError>;

export class ModuleInstance {
  readonly #registry: InstanceHost;

  constructor(source: AnyModuleSource, options: ModuleInstanceOptions) {
    if (typeof options !== 'object' || options === null || typeof options.registry?.adoptInstance !== 'function') {
      throw new TypeError('new ModuleInstance(source, { registry }): the registry the instance lives in is required');
    }
    if (options.importHook !== undefined && typeof options.importHook !== 'function') throw new TypeError('ModuleInstance: importHook must be a function');
    this.#registry = options.registry;
    const { importHook, importMeta } = options;
    options.registry.adoptInstance(this, source, { ...(importHook ? { importHook } : {}), ...(importMeta ? { importMeta } : {}) });
  }

  /** The registry the instance lives in. */
  get registry(): InstanceHost {
    return this.#registry;
  }

  /** Links and evaluates the instance; resolves to its namespace (the same object every time). */
  import(): Promise<unknown> {
    return this.#registry.import(this);
  }
}

/** The error for an importHook that threw or answered something that is not a module. */
export function hookError(message: string, site: ErrorSite, cause?: unknown): Error {
  return new ImportHookError(message, site, cause === undefined ? undefined : { cause });
}
