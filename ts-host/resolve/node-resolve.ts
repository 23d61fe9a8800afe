// Node's resolution, for bare specifiers (and, for require(), every
// specifier) that no import map answers. Two well-kept resolvers do the work,
// each the closest thing to the running Node there is:
//
// - import: import-meta-resolve's moduleResolve, a port of Node's own ESM
//   resolver (node_modules lookup, "exports"/"imports" with conditions,
//   self-reference, "main" fallback, real paths for symlinks), with Node's
//   error codes;
// - require: Node's own CommonJS resolver (Module._resolveFilename, what require.resolve calls:
//   extensions, index files, directories, "exports" with the require condition).
//
// Results go through the registry's Wasm resolution cache, so each of these
// runs once per (directory, specifier, kind). Both libraries keep their own
// process-wide package.json caches, which canon cannot drop: an edited
// package.json is seen by a new process (README, "Differences from Node").

import Module from 'node:module';
import { createRequire } from '../builtins.js';
import { dirname } from 'node:path';
import { hrefToPath, pathToHref } from './file-url.js';

const pathToURL = (path: string) => new URL(pathToHref(path));
import type * as ImportMetaResolve from 'import-meta-resolve';
import { ModuleNotFoundError, PackageResolutionError, type ErrorSite } from '../errors.js';
import type { PersistedResolutions } from './persisted-resolutions.js';

/** What Node's CommonJS resolver reads of the module that calls require(). */
interface RequiringModule {
  id: string;
  filename: string;
  paths: string[];
}

/**
 * Node's CommonJS resolver, as every require() calls it (Module._resolveFilename,
 * the entry point tools such as proxyquire and ts-node use): a stand-in
 * parent per directory costs less than a createRequire() function.
 */
const ModuleInternals = Module as unknown as {
  _resolveFilename(request: string, parent: RequiringModule, isMain: boolean): string;
  _findPath(request: string, paths: string[] | null, isMain: boolean): string | false;
  _nodeModulePaths(directory: string): string[];
  _extensions: Record<string, unknown>;
};

/** Node's own resolver as loaded: a program that replaces it (module-alias, proxyquire) is asked instead of kept answers. */
const nodeResolveFilename = ModuleInternals._resolveFilename;
/**
 * Node reads NODE_PATH once, at start-up; with symlinks preserved, answers are not real paths, which the
 * kept rows' dependencies assume.
 */
const searchesMore = Boolean(process.env.NODE_PATH) || process.env.NODE_PRESERVE_SYMLINKS === '1'
  || [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((flag) => flag.startsWith('--preserve-symlinks'));

/**
 * Whether answers kept from earlier runs still describe what Node's
 * resolvers would say now: not when the program replaced the CommonJS
 * resolver or registered extensions (ts-node, @babel/register), nor under
 * NODE_PATH (a search the kept rows do not describe) or with symlinks preserved.
 */
function nodeResolversAsLoaded(): boolean {
  // Node's own three extensions: a handler replaced in place (pirates, @babel/register) does not change resolution.
  return ModuleInternals._resolveFilename === nodeResolveFilename && Object.keys(ModuleInternals._extensions).length === 3 && !searchesMore;
}

/**
 * import-meta-resolve, loaded on the first bare specifier: its ES module
 * imports node:v8, node:assert, node:fs and node:util, whose ESM facades cost
 * a few ms of every start-up. The build turns it into one CommonJS file
 * (dist/ts-host/resolve/import-meta-resolve.cjs, `npm run bundle:deps`), so a
 * require loads it when it is needed, from this module or from the bundled
 * command line (dist/ts-host/cli/bundle.cjs) alike.
 */
let resolver: typeof ImportMetaResolve | undefined;
function moduleResolve(specifier: string, parent: URL, conditions: Set<string>, preserveSymlinks: boolean): URL {
  if (!resolver) {
    const require = createRequire(import.meta.url);
    try {
      resolver = require(new URL('../resolve/import-meta-resolve.cjs', import.meta.url).pathname) as typeof ImportMetaResolve;
    } catch {
      // Not built (tsc alone): the package itself, through require(esm) (Node >= 20.19).
      resolver = require('import-meta-resolve') as typeof ImportMetaResolve;
    }
  }
  return resolver.moduleResolve(specifier, parent, conditions, preserveSymlinks);
}

/** Which of Node's resolvers answers: `import` (ESM) or `require` (CommonJS). */
export type ResolveKind = 'import' | 'require';

/** What `require` resolves to for a builtin: its `node:` URL. */
const builtinRequire = (name: string) => (name.startsWith('node:') ? name : `node:${name}`);

/**
 * The conditions the running Node uses for `import` or `require`: node, the
 * kind, module-sync where require(esm) is on (Node >= 20.19 / 22.12), then
 * the user's ("default" is implied).
 */
export function nodeConditions(kind: ResolveKind, user: readonly string[] = []): Set<string> {
  const base = ['node', kind];
  if ((process.features as { require_module?: boolean }).require_module) base.push('module-sync');
  return new Set([...base, ...user]);
}

/** Node's error codes that mean "there is no such module". */
const NOT_FOUND = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

export class NodeResolution {
  readonly #conditions: Set<string>;
  /** For require() with user conditions: require, node, module-sync where on, the user's (default is implied). */
  readonly #requireConditions: Set<string> | undefined;
  /** A stand-in requiring module per referrer directory, for Node's CommonJS resolver. */
  readonly #parents = new Map<string, RequiringModule>();
  /** Answers kept across runs (the persistent cache: README "Cache"), opened on the first resolution; undefined for none. */
  persisted: PersistedResolutions | (() => PersistedResolutions) | undefined;

  /** Kept answers are checked against the file system again before their next use (files may have changed: a reload). */
  forgetChecks(): void {
    if (typeof this.persisted === 'object') this.persisted.forgetChecks();
  }

  #kept(): PersistedResolutions | undefined {
    if (typeof this.persisted === 'function') this.persisted = this.persisted();
    return this.persisted !== undefined && nodeResolversAsLoaded() ? this.persisted : undefined;
  }

  constructor(conditions: readonly string[] = []) {
    this.#conditions = nodeConditions('import', conditions);
    if (conditions.length > 0) this.#requireConditions = nodeConditions('require', conditions);
  }

  /** Resolves as `import` does from `referrer` (a URL). */
  resolveImport(specifier: string, referrer: string): string {
    const kept = referrer.startsWith('file:') ? this.#kept() : undefined;
    const dir = kept ? dirname(hrefToPath(referrer)) : '';
    const known = kept?.lookup('import', dir, specifier);
    if (known !== undefined) return known;
    try {
      const href = moduleResolve(specifier, new URL(referrer), this.#conditions, false).href;
      kept?.record('import', dir, specifier, href);
      return href;
    } catch (error) {
      // "#/x" imports: newer Nodes (26) accept them, import-meta-resolve 4.2 does not yet. Node's own
      // resolver (its CommonJS entry point) answers with the running Node's rules.
      if (specifier.startsWith('#/') && (error as { code?: unknown }).code === 'ERR_INVALID_MODULE_SPECIFIER') {
        try {
          return this.resolveRequire(specifier, referrer);
        } catch {
          // the running Node refuses them too: the original error
        }
      }
      throw translate(error, { specifier, referrer, phase: 'evaluation' });
    }
  }

  /**
   * The file `node <path>` runs: the path itself, or with Node's extension
   * and index lookup (`node app` runs app.js, `node dir` dir/index.js), as a
   * real path. Undefined when there is no such file.
   */
  resolveMain(path: string): string | undefined {
    const found = ModuleInternals._findPath(path, null, true);
    return found === false ? undefined : pathToHref(found);
  }

  /** Resolves as `require` does from `referrer` (a file: URL; other referrers resolve from the working directory). */
  resolveRequire(specifier: string, referrer: string): string {
    // A directory referrer (a registry's baseURL) stands for a file in it, as createRequire(dir + '/') does.
    const from = referrer.startsWith('file:') ? hrefToPath(referrer) + (referrer.endsWith('/') ? '[eval]' : '') : `${process.cwd()}/[eval]`;
    const dir = dirname(from);
    const kept = this.#kept();
    const known = kept?.lookup('require', dir, specifier);
    if (known !== undefined) return known;
    const href = this.#resolveRequire(specifier, referrer, from, dir);
    kept?.record('require', dir, specifier, href);
    return href;
  }

  #resolveRequire(specifier: string, referrer: string, from: string, dir: string): string {
    let parent = this.#parents.get(dir);
    if (!parent) {
      // What Node's resolver reads of a requiring module: its file and lookup paths.
      parent = { id: from, filename: from, paths: ModuleInternals._nodeModulePaths(dir) };
      this.#parents.set(dir, parent);
    }
    // Node's CommonJS resolver knows only the process's conditions (node --conditions): with
    // conditions of the registry's own, a package's "exports"/"imports" are read by the ESM
    // resolver under the require conditions; anything it cannot answer goes to Node's.
    if (this.#requireConditions && !specifier.startsWith('.') && !specifier.startsWith('/')) {
      try {
        return moduleResolve(specifier, pathToURL(from), this.#requireConditions, false).href;
      } catch {
        // not a package with "exports"/"imports" that answer: Node's CommonJS rules
      }
    }
    let resolved: string;
    try {
      resolved = ModuleInternals._resolveFilename(specifier, parent, false);
    } catch (error) {
      throw translate(error, { specifier, referrer, phase: 'require' });
    }
    return resolved.startsWith('/') ? pathToHref(resolved) : builtinRequire(resolved);
  }
}

/** The package a bare specifier names ("@scope/name" or "name"), or undefined for anything else. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Node's resolution error as canon's: the same code, the specifier, the referrer, and the package it names. */
function translate(error: unknown, site: ErrorSite): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return error;
  const translated = translateCode(error as Error, code, site);
  const name = packageNameOf(site.specifier ?? '');
  if (name !== undefined) Object.defineProperty(translated, 'packageName', { value: name, enumerable: true });
  return translated;
}

function translateCode(error: Error, code: string, site: ErrorSite): Error {
  const message = error.message.split('\n')[0]!;
  if (NOT_FOUND.has(code)) {
    const notFound = new ModuleNotFoundError(message, site, { cause: error });
    // require()'s own code, which programs test for (`e.code === 'MODULE_NOT_FOUND'`).
    if (code === 'MODULE_NOT_FOUND') Object.defineProperty(notFound, 'code', { value: code });
    return notFound;
  }
  return new PackageResolutionError(code, message, site, { cause: error });
}
