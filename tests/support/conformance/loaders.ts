// The two ways a test's code is run: through canon (a Registry, as `canon
// run` sets one up) or through the running Node's own loader (the native
// reference). Both run the harness in the main realm first.

import { register } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { Registry, installGlobals, AbstractModuleSource } from '../../../ts-host/index.js';
import type { Runner } from './job.js';

export interface Loader {
  /** Imports and evaluates a module (test262 module tests). */
  importModule(url: string): Promise<unknown>;
  /** Runs a classic script whose import() calls load modules. */
  runScript(code: string, url: string): unknown;
  /** test262's $262 host object (INTERPRETING.md): what a module-code test may use. */
  host262(): Record<string, unknown>;
}

function host262(amsConstructor: unknown): Record<string, unknown> {
  return {
    global: globalThis,
    evalScript: (code: string) => vm.runInThisContext(code),
    gc: typeof (globalThis as { gc?: unknown }).gc === 'function' ? (globalThis as { gc?: unknown }).gc : undefined,
    detachArrayBuffer: (buffer: ArrayBuffer) => { structuredClone(buffer, { transfer: [buffer] }); },
    AbstractModuleSource: amsConstructor,
  };
}

// INTERPRETING.md: hosts resolve the specifier `<module source>` to a module
// that has a module source, such as a WebAssembly module: here an empty one.
const MODULE_SOURCE = '<module source>';
const MODULE_SOURCE_URL = 'data:application/wasm;base64,AGFzbQEAAAA=';

/** Whether a URL is one of the suites' `.js` files, which a test262 host loads as ES modules (see FORCE_MODULE_HOOK). */
function isSuiteScript(url: string, attributes: Record<string, string>): boolean {
  if (!url.startsWith('file:') || !url.endsWith('.js') || attributes.type !== undefined) return false;
  return (process.env.CONFORMANCE_ROOTS ?? '').split('\n').some((root) => root !== '' && url.startsWith(root));
}

function canonLoader(file: string): Loader {
  installGlobals(); // as `canon run` does
  const registry = new Registry({
    baseURL: pathDir(file),
    importSync: 'allow-host-loading',
    // Node's format rules would make a .js file without a package.json "type" CommonJS when it parses as a script.
    hooks: {
      resolve: (specifier, referrer, defaultResolve) => (specifier === MODULE_SOURCE ? MODULE_SOURCE_URL : defaultResolve(specifier, referrer)),
      load: async (url, context, defaultLoad) => {
        const result = await defaultLoad(url, context);
        return isSuiteScript(url, context.attributes) ? { format: 'module', source: result as Uint8Array } : result;
      },
    },
  });
  return {
    importModule: (url) => registry.import(url),
    runScript: (code, url) => registry.runScript(code, { url }),
    host262: () => host262(AbstractModuleSource),
  };
}

function pathDir(file: string): string {
  return new URL('./', `file://${dirname(file)}/`).href;
}

// Node's loader decides a `.js` file's format from package.json; test262's
// files have none, so a load hook says every `.js` file of the suites is an ES
// module (what a test262 host does), leaving attribute-typed imports alone;
// it also resolves `<module source>`.
const FORCE_MODULE_HOOK = `
import { readFile } from 'node:fs/promises';
export async function resolve(specifier, context, next) {
  if (specifier === ${JSON.stringify(MODULE_SOURCE)}) return { url: ${JSON.stringify(MODULE_SOURCE_URL)}, shortCircuit: true };
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.js') && !context.importAttributes?.type && (process.env.CONFORMANCE_ROOTS ?? '').split('\\n').some((root) => root && url.startsWith(root))) {
    return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
  }
  return next(url, context);
}`;

function nativeLoader(): Loader {
  register(`data:text/javascript,${encodeURIComponent(FORCE_MODULE_HOOK)}`);
  const native = Object.getPrototypeOf(WebAssembly.Module);
  return {
    importModule: (url) => import(url),
    runScript: (code, url) => vm.runInThisContext(code, {
      filename: fileURLToPath(url),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    } as vm.RunningScriptOptions),
    host262: () => host262(native === Function.prototype ? undefined : native),
  };
}

export function makeLoader(runner: Runner, file: string): Loader {
  return runner === 'canon' ? canonLoader(file) : nativeLoader();
}
