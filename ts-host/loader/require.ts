// Running CommonJS modules, and the `require` they get. Everything goes
// through the registry that holds the module: require() of a file finds the
// same entry an import of its URL finds (one instance per file, however it
// is reached), require() of an ES module completes it synchronously with the
// import.sync machinery (Node's require(esm)), import() goes to the
// registry's dynamic import. `module` is an instance of Node's own Module
// class, so `module.constructor`, `module.paths`, `require.main === module`
// and `require.cache` behave as in Node.

import Module from 'node:module';
import { createRequire } from '../builtins.js';
import { dirname } from 'node:path';
import { filenameOf, hrefToPath, pathToHref } from '../resolve/file-url.js';
import vm from 'node:vm';
import { ImportSyncError, isErrorNamed, ModuleSyntaxError, RequireError, type ErrorSite } from '../errors.js';
import type { Attributes } from '../sources/attributes.js';
import type { Entry } from './entry.js';
import { linkLeafSync } from './link.js';
import { mark, profile, recorded, spentOwn } from '../profile.js';
import { settled } from './promises.js';
import { runWithStatCache } from './stat-cache.js';
import { loadThroughHandler, registeredHandler, type ExtensionHandler } from './require-extensions.js';
import type { CjsCode } from './parse-cjs.js';

type NodeModule = NodeJS.Module;

const JSON_ATTRIBUTES: Attributes = Object.freeze({ type: 'json' });

/** Node's Module internals canon uses, as Node itself does for every CommonJS module. */
const ModuleClass = Module as unknown as {
  new (id: string, parent?: NodeModule): NodeModule;
  _nodeModulePaths(directory: string): string[];
  _extensions: Record<string, unknown>;
};

/** What the registry provides to the CommonJS modules it holds. */
export interface RequireHost {
  /** Resolves as require() does (Node's CommonJS resolver, through the resolution cache): a file: or node: URL. */
  resolve(specifier: string, referrer: Entry): string;
  /** The canonical entry of a file: URL (with these attributes, default none), loaded synchronously (its load error thrown). */
  entryFor(url: string, site: ErrorSite, attributes?: Attributes): Entry;
  /** Resolves as require() does from a URL that is no entry (createRequire's). */
  resolveFrom(specifier: string, referrer: string): string;
  /** The namespace of an ES (or Wasm) module entry, completed synchronously (import.sync's machinery). */
  importSync(entry: Entry, site: ErrorSite): object;
  /**
   * Drops the entries of a URL: its file was removed from require.cache, so
   * the next require() runs it afresh; or a require() of it failed, which
   * Node does not keep either.
   */
  forget(url: string, attributes: Attributes): void;
  /** What lowered phase syntax in a CommonJS module calls (import.source(), import.defer(), import.sync()). */
  phaseHost(referrer: Entry): object;
  /** import() in a CommonJS module. */
  importDynamically(specifier: string, referrer: Entry, attributes: Record<string, string>): Promise<vm.Module>;
  /** require.cache: filename → module, as Node's Module._cache. */
  readonly cache: Record<string, NodeModule>;
  /** require.main: the program's main module, if it is CommonJS. */
  main: NodeModule | undefined;
  /** Checks the registry's policy for what require() takes from Node directly (builtins, native addons); throws a PolicyError. */
  admit(url: string, site: ErrorSite): void;
}

/** A `module` as Node makes one for a file: its id and filename, its node_modules lookup paths, listed among its parent's children. */
function newModule(filename: string, parent?: NodeModule): NodeModule {
  const module = new ModuleClass(filename, parent);
  module.filename = filename;
  module.paths = ModuleClass._nodeModulePaths(dirname(filename));
  return module;
}

/** Node's own require, for native addons (they have no module text for canon to run). */
function nativeRequire(filename: string): NodeJS.Require {
  return createRequire(filename);
}

/** Builtins are the same from every module: one require answers them all. */
const builtinRequire = createRequire(import.meta.url);

/** Runs a CommonJS entry once (a second call, or one from a cycle, gets its module.exports as they are) and returns module.exports. */
export function runCommonJS(entry: Entry, host: RequireHost, parent?: NodeModule, beforeRun?: (module: NodeModule) => void): unknown {
  if (entry.commonjs) return entry.commonjs.exports;
  const filename = filenameOf(entry.key);
  const directory = dirname(filename);
  const module = newModule(filename, parent);
  // In a vm context, `exports` starts as one of the realm's objects, as the module's own `{}` would be.
  if (entry.realm.context) module.exports = Object.create(entry.realm.Object.prototype) as object;
  // (Before its require is made: the main module's require.main is itself.)
  beforeRun?.(module);
  const require = makeRequire(entry, module, host);
  module.require = require;
  entry.commonjs = module;
  host.cache[filename] = module;
  const code = entry.loaded!.value as CjsCode;
  if (code.dynamicImports) code.importDynamically = (specifier, attributes) => host.importDynamically(specifier, entry, attributes);
  const fn = code.fn!;
  const start = mark();
  const before = profile.enabled ? recorded() : 0;
  try {
    if (code.phased) fn.call(module.exports, module.exports, require, module, filename, directory, host.phaseHost(entry));
    else fn.call(module.exports, module.exports, require, module, filename, directory);
  } catch (error) {
    entry.commonjs = undefined;
    forgetFailed(filename, module, host, parent);
    throw error;
  } finally {
    spentOwn('evaluate', start, before);
  }
  module.loaded = true;
  // It ran, and an entry runs once (require.cache deletion makes a new entry): as Node keeps no
  // module wrapper after it ran, neither does canon, so its bytecode and scope data can be collected.
  code.fn = undefined;
  return module.exports;
}

/** As Node: a module that threw is not cached (requiring it again runs it again), nor among its parent's children. */
function forgetFailed(filename: string, module: NodeModule, host: RequireHost, parent: NodeModule | undefined): void {
  if (host.cache[filename] === module) delete host.cache[filename];
  const siblings = parent?.children;
  if (siblings) siblings.splice(siblings.indexOf(module) >>> 0, 1);
}

/** Node's checks on require()'s argument. */
function checkRequest(id: unknown): asserts id is string {
  if (typeof id !== 'string') {
    const error = new TypeError(`The "id" argument must be of type string. Received ${id === null ? 'null' : typeof id}`);
    Object.defineProperty(error, 'code', { value: 'ERR_INVALID_ARG_TYPE' });
    throw error;
  }
  if (id === '') {
    const error = new TypeError(`The argument 'id' must be a non-empty string. Received ''`);
    Object.defineProperty(error, 'code', { value: 'ERR_INVALID_ARG_VALUE' });
    throw error;
  }
}

/**
 * Who calls require(): an entry (a CommonJS module of the registry), whose
 * requests resolve through the registry's resolution cache, or the URL
 * createRequire() was given.
 */
type Requirer = Entry | { readonly key: string; readonly createdFor: true };

/** How a requirer's request resolves (as require() does). */
function resolveFor(requirer: Requirer, specifier: string, host: RequireHost): string {
  return 'createdFor' in requirer ? host.resolveFrom(specifier, requirer.key) : host.resolve(specifier, requirer);
}

/** The `require` of one CommonJS module (or of createRequire's stand-in module); as Node's, its properties are plain values. */
function makeRequire(requirer: Requirer, module: NodeModule, host: RequireHost): NodeJS.Require {
  const require = ((id: unknown) => {
    checkRequest(id);
    return requireFrom(requirer, module, id, host);
  }) as NodeJS.Require;
  const resolve = ((request: unknown, options?: { paths?: string[] }) => {
    checkRequest(request);
    // Lookup paths of one's own are Node's business: its resolver answers.
    if (options?.paths) return nativeRequire(module.filename).resolve(request, options);
    const url = resolveFor(requirer, request, host);
    return url.startsWith('node:') ? (request.startsWith('node:') ? url : url.slice(5)) : hrefToPath(url);
  }) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => nativeRequire(module.filename).resolve.paths(request);
  require.resolve = resolve;
  require.cache = host.cache;
  require.extensions = ModuleClass._extensions as NodeJS.RequireExtensions;
  require.main = host.main;
  return require;
}

/** What require(id) gives in `module` (of `requirer`). */
function requireFrom(requirer: Requirer, module: NodeModule, id: string, host: RequireHost): unknown {
  const url = resolveFor(requirer, id, host);
  if (url.startsWith('node:')) {
    host.admit(url, { specifier: id, referrer: requirer.key, url, phase: 'require' });
    return builtinRequire(id.startsWith('node:') ? id : url);
  }
  const filename = hrefToPath(url);
  const cached = host.cache[filename];
  if (cached) {
    if (!module.children.includes(cached)) module.children.push(cached);
    return cached.exports;
  }
  const handler = registeredHandler(filename);
  if (handler) return requireThroughHandler(handler, requirer, id, url, filename, module, host);
  if (filename.endsWith('.node')) {
    host.admit(url, { specifier: id, referrer: requirer.key, url, phase: 'require' });
    return nativeRequire(module.filename)(filename);
  }
  const site: ErrorSite = { specifier: id, referrer: requirer.key, url, phase: 'require' };
  if (filename.endsWith('.json')) return requireJSON(url, filename, module, host, site);
  let target = host.entryFor(url, site);
  if (target.loaded!.kind === 'cjs') {
    // Run before, then taken out of require.cache: Node runs it afresh.
    if (target.commonjs) {
      host.forget(target.key, target.attributes);
      target = host.entryFor(url, site);
    }
    return runCommonJS(target, host, module);
  }
  const namespace = requireModule(host, target, site) as Record<string, unknown>;
  // A module that exports "module.exports" chooses what require() gives (Node >= 20.19).
  if ('module.exports' in namespace) return namespace['module.exports'];
  return withEsModuleMark(namespace, target.realm.context);
}

/** A file whose extension has a handler the program registered: loaded as Node would (require-extensions.ts). */
function requireThroughHandler(handler: ExtensionHandler, requirer: Requirer, id: string, url: string, filename: string, parent: NodeModule, host: RequireHost): unknown {
  const site: ErrorSite = { specifier: id, referrer: requirer.key, url, phase: 'require' };
  host.admit(url, site);
  const module = newModule(filename, parent);
  const require = makeRequire({ key: url, createdFor: true }, module, host);
  module.require = require;
  host.cache[filename] = module;
  try {
    loadThroughHandler(handler, module, require, url, site, 'createdFor' in requirer ? undefined : requirer.realm.context);
  } catch (error) {
    forgetFailed(filename, module, host, parent);
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

const marked = new WeakMap<object, object>();

/**
 * What require(esm) gives for a module with a default export, as Node does
 * since require(esm) landed: a namespace with `__esModule: true` added, so
 * that transpiled CommonJS reads `.default` as the default export. One per
 * module; the module's own namespace where it has no default export or
 * exports `__esModule` itself, or where this Node cannot link the wrapper
 * synchronously.
 */
function withEsModuleMark(namespace: Record<string, unknown>, context: vm.Context | undefined): object {
  if (!('default' in namespace) || '__esModule' in namespace) return namespace;
  let wrapper = marked.get(namespace);
  if (!wrapper) {
    const names = [...Object.keys(namespace), '__esModule'];
    const module = new vm.SyntheticModule(names, function (this: vm.SyntheticModule) {
      for (const name of names) this.setExport(name, name === '__esModule' ? true : namespace[name]);
    }, { context });
    if (!linkLeafSync(module)) return namespace;
    void settled(module.evaluate());
    wrapper = module.namespace;
    marked.set(namespace, wrapper);
  }
  return wrapper;
}

/**
 * require() of a .json file, kept in require.cache as Node does. The value is
 * the registry's JSON entry's (the one `import ... with { type: 'json' }`
 * gives), so require and import share one object, as in Node; after
 * `delete require.cache[file]` the file is read afresh.
 */
function requireJSON(url: string, filename: string, parent: NodeModule, host: RequireHost, site: ErrorSite): unknown {
  let entry = jsonEntry(url, filename, host, site);
  if (entry.commonjs) {
    host.forget(entry.key, entry.attributes);
    entry = jsonEntry(url, filename, host, site);
  }
  const module = newModule(filename, parent);
  module.exports = entry.loaded!.value;
  module.loaded = true;
  entry.commonjs = module;
  host.cache[filename] = module;
  return module.exports;
}

/** The registry's JSON entry of a file; a parse error names the file first, as Node's require does, and is not kept. */
function jsonEntry(url: string, filename: string, host: RequireHost, site: ErrorSite): Entry {
  try {
    return host.entryFor(url, site, JSON_ATTRIBUTES);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (!isErrorNamed(error, 'SyntaxError') || !isErrorNamed(cause, 'SyntaxError')) throw error;
    host.forget(url, JSON_ATTRIBUTES);
    throw new ModuleSyntaxError(`${filename}: ${cause.message}`, site, { cause });
  }
}

/** require(esm): import.sync's machinery, with Node's errors for what cannot complete synchronously. */
function requireModule(host: RequireHost, entry: Entry, site: ErrorSite): object {
  try {
    return host.importSync(entry, { ...site, phase: 'require' });
  } catch (error) {
    if (!(error instanceof ImportSyncError)) throw error;
    if (error.reason === 'top-level await') {
      throw new RequireError('ERR_REQUIRE_ASYNC_MODULE', `require() cannot be used on an ES module with top-level await: use import() instead (${entry.key})`, site, { cause: error });
    }
    if (error.reason === 'cycle still evaluating') {
      throw new RequireError('ERR_REQUIRE_CYCLE_MODULE', `Cannot require() ES Module ${entry.key} in a cycle (it is still being evaluated)`, site, { cause: error });
    }
    throw error;
  }
}

/**
 * require() of a resolved URL from outside any module (Registry#require,
 * runMain): a builtin through Node's require, a CommonJS module run (as the
 * program's main module when `main` is set), an ES module completed.
 */
export function requireURL(host: RequireHost, url: string, site: ErrorSite, main = false): unknown {
  if (url.startsWith('node:')) {
    host.admit(url, site);
    return builtinRequire(url);
  }
  const entry = host.entryFor(url, site);
  if (entry.loaded!.kind !== 'cjs') return requireModule(host, entry, site);
  if (!main) return runCommonJS(entry, host);
  // The program's main module: Node's resolver caches its stat() calls while it runs, as under node.
  return runWithStatCache(() => runCommonJS(entry, host, undefined, (module) => {
    module.id = '.';
    host.main = module;
    (process as { mainModule?: NodeModule }).mainModule = module;
  }));
}

/**
 * Node's module.createRequire(filename) for a registry: a require that
 * resolves from `filename` and loads through the registry, so what it
 * returns is what the registry's modules get (canon run installs it as
 * Module.createRequire).
 */
export function createRequireFor(host: RequireHost, filename: string | URL): NodeJS.Require {
  const url = filename instanceof URL || /^file:/.test(String(filename)) ? new URL(String(filename)).href : pathToHref(String(filename));
  const path = hrefToPath(url);
  const module = newModule(path);
  return makeRequire({ key: url, createdFor: true }, module, host);
}
