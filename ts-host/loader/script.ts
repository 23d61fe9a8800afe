// Classic scripts: code that is not a module (a `<script>`, a vm.Script)
// run in this realm, with import() and the phase forms (import.source(),
// import.defer(), import.sync()) going through a registry. A script has no
// import.meta and no wrapper of canon's, so lowered phase calls reach their
// registry through one hidden global function: (registry id, base URL) →
// the registry's phase host.

import vm from 'node:vm';
import { lexModule, lineColumn } from '../sources/analyze-js.js';
import { hrefToPath } from '../resolve/file-url.js';
import { lowerPhases, mayUsePhaseForms, newImportCall } from './lower.js';
import { ModuleSyntaxError } from '../errors.js';

/** The methods lowered phase syntax calls (lower.ts) on import.meta, or on a script's or CommonJS module's host object. */
export interface PhaseHost {
  canonImportSource(specifier: unknown, options?: { with?: Record<string, string> }): Promise<unknown>;
  canonSpecifier(specifier: unknown): unknown;
  canonImportDefer(specifier: unknown, options?: { with?: Record<string, string> }): Promise<object>;
  canonImportSync(specifier: unknown, options?: { with?: Record<string, string> }): object;
}

/**
 * An import call never throws: whatever fails before its promise exists (the
 * specifier's ToString, the options) rejects the promise instead, as the
 * spec's EvaluateImportCall does with IfAbruptRejectPromise.
 */
export function rejectOnThrow<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The spec's ToString of a specifier: unlike String(), a Symbol throws TypeError. */
export function specifierString(value: unknown): string {
  return `${value as string}`;
}

/** What a registry gives the scripts it runs. */
export interface ScriptHost {
  /** The phase host for code whose relative specifiers resolve from `base`. */
  phaseHost(base: string): PhaseHost;
  /** import() from a script at `referrer`: the evaluated module record. */
  importFrom(specifier: string, referrer: string, attributes: Record<string, string>): Promise<vm.Module>;
}

const GLOBAL_KEY = Symbol.for('canon.phases');
const hosts = new Map<number, ScriptHost>();

/** Defines the hidden global once per realm: it is not enumerable, and a symbol no program names by accident. */
function installGlobal(global: object): void {
  if (Object.hasOwn(global, GLOBAL_KEY)) return;
  Object.defineProperty(global, GLOBAL_KEY, {
    value: (id: number, base: string) => hosts.get(id)!.phaseHost(base),
  });
}

/** Runs `text` as a classic script at `url` for registry `id` (in `context`, a realm's, if given); returns its completion value. */
export function runScript(text: string, url: string, id: number, host: ScriptHost, context?: vm.Context): unknown {
  if (typeof text !== 'string') throw new TypeError(`Registry.runScript: the script must be a string, got ${text === null ? 'null' : typeof text}`);
  const misplaced = newImportCall(text, () => lexModule(text, url));
  if (misplaced >= 0) throw new ModuleSyntaxError('Cannot use new with import', { url, ...lineColumn(text, misplaced) });
  let code = text;
  if (mayUsePhaseForms(text)) {
    installGlobal(context ? (vm.runInContext('globalThis', context) as object) : globalThis);
    hosts.set(id, host);
    code = lowerPhases(text, lexModule(text, url), `globalThis[Symbol.for("canon.phases")](${id}, ${JSON.stringify(url)})`) ?? text;
  }
  const script = new vm.Script(code, {
    filename: url.startsWith('file:') ? hrefToPath(url) : url,
    importModuleDynamically: ((specifier: string, _script: unknown, attributes: Record<string, string>) =>
      host.importFrom(specifier, url, attributes)) as never,
  });
  return context ? script.runInContext(context) : script.runInThisContext();
}
