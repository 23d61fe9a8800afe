// The module record an ES module links to when it imports a CommonJS
// module: a dynamic module record (seed 002) built on a generated JS facade,
// as the Wasm records are (ts-host/wasm/facade.ts):
//
//   const c = import.meta.commonjs;
//   const v = c.execute();               runs the CommonJS module (or takes what require() made)
//   let e0 = v[0], e1 = v[1];
//   export { e0 as "default", e1 as "parse" };
//
// Its export names are fixed when the record is made: "default" (the
// module.exports value; "module.exports" too where the running Node has that
// name), the names cjs-module-lexer finds (Node's hint, so `import * as ns`
// and Object.keys(ns) match Node), and every name the importers of this graph
// ask for. A name asked for that the lexer did not find is "pending": the
// engine links it, and evaluation checks it once the module has run, in graph
// order, before any importer runs; missing, it is a SyntaxError naming the
// importer, the binding and the module.

import vm from 'node:vm';
import { assignSite, ModuleLinkError, type ErrorSite } from '../errors.js';
import type { Entry } from './entry.js';
import { nodeAtLeast } from '../node-version.js';
import { mark, spent } from '../profile.js';

/** Node >= 23 also exports module.exports under the name "module.exports" (nodejs/node#54563). */
const MODULE_EXPORTS_NAME = nodeAtLeast(23);

/** Who asked for a name the lexer did not find: checked once the module has run. */
export interface PendingName {
  name: string;
  site: ErrorSite;
}

/** The host side of one facade, reached as import.meta.commonjs. */
interface FacadeHost {
  execute(): unknown[];
}

const hosts = new WeakMap<vm.Module, FacadeHost>();

function initializeImportMeta(meta: object, module: vm.SourceTextModule): void {
  (meta as { commonjs?: FacadeHost }).commonjs = hosts.get(module);
}

/** Whether a CommonJS module's exports provide `name` at run time (own or inherited, but not from Object.prototype). */
function provides(exports: unknown, name: string): boolean {
  if (exports === null || (typeof exports !== 'object' && typeof exports !== 'function')) return false;
  return Object.hasOwn(exports, name) || (name in exports && !(name in Object.prototype));
}

/**
 * Creates the facade of a CommonJS entry. `hinted` are the lexer's names,
 * `pending` the names importers ask for beyond them; `run` runs the module
 * (once) and returns its module.exports.
 */
export function createCjsFacade(entry: Entry, hinted: Iterable<string>, pending: PendingName[], run: () => unknown): vm.SourceTextModule {
  const start = mark();
  const names = ['default'];
  if (MODULE_EXPORTS_NAME) names.push('module.exports');
  const known = new Set(names);
  for (const name of hinted) if (!known.has(name)) known.add(name), names.push(name);
  const hintedCount = names.length;
  const checks: PendingName[] = [];
  for (const p of pending) {
    if (!known.has(p.name)) known.add(p.name), names.push(p.name);
    if (names.indexOf(p.name) >= hintedCount) checks.push(p);
  }
  const text = [
    'const v = import.meta.commonjs.execute();',
    `let ${names.map((_, i) => `e${i} = v[${i}]`).join(', ')};`,
    `export { ${names.map((n, i) => `e${i} as ${JSON.stringify(n)}`).join(', ')} };`,
  ].join('\n');
  const module = new vm.SourceTextModule(text, { identifier: entry.key, context: entry.realm.context, initializeImportMeta });
  hosts.set(module, {
    execute: () => {
      const exports = run();
      for (const { name, site } of checks) {
        if (!provides(exports, name)) {
          // The site's line and column are the importing statement's, in the referrer: kept as
          // properties, but not printed after the imported module's URL as if they were its own.
          const { line, column, ...where } = site;
          const error = new ModuleLinkError(`The requested module '${site.specifier}' does not provide an export named '${name}' (a CommonJS module: its module.exports has no '${name}' after it ran)`, where);
          assignSite(error, { line, column });
          throw error;
        }
      }
      return names.map((name) => (name === 'default' || name === 'module.exports' ? exports
        : exports === null || exports === undefined ? undefined : (exports as Record<string, unknown>)[name]));
    },
  });
  spent('compile', start);
  return module;
}
