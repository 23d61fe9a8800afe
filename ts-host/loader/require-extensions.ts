// Extension handlers a program registers (require.extensions, which is
// Module._extensions): loaders of other languages add one (ts-node's '.ts',
// coffeescript's '.coffee'), and transform hooks replace '.js' in place
// (pirates, and with it @babel/register and esbuild-register). Node calls
// the handler of a required file's longest registered extension; the handler
// reads the file, maybe transforms it, and calls module._compile(code). canon
// does the same for a handler that is not Node's own, and gives the module a
// _compile that compiles the code as CommonJS and runs it with canon's
// require: what the module requires still goes through the registry. Such a
// module has no registry entry (its text is the handler's, not the file's),
// so it is not importable as an ES module dependency nor reloaded by hot
// reload, and import() in it is refused with an error that says why.

import Module from 'node:module';
import { basename } from 'node:path';
import type vm from 'node:vm';
import { RequireError, type ErrorSite } from '../errors.js';
import { compileCjs } from './parse-cjs.js';

type NodeModule = NodeJS.Module;
/** What Node calls to load a file of an extension. */
export type ExtensionHandler = (module: NodeModule, filename: string) => void;

const extensions = (Module as unknown as { _extensions: Record<string, ExtensionHandler> })._extensions;
/** Node's own handlers, as they were when canon loaded. */
const nodeHandlers = new Map(Object.entries(extensions));

/** Whether require.extensions holds Node's own handlers and no others (no array made: this runs on every require). */
function onlyNodeHandlers(): boolean {
  if (Object.keys(extensions).length !== nodeHandlers.size) return false;
  for (const [extension, handler] of nodeHandlers) if (extensions[extension] !== handler) return false;
  return true;
}

/** Node's findLongestRegisteredExtension: '.d.ts' before '.ts', dotfiles skipped, '.js' when none is registered. */
function longestRegisteredExtension(filename: string): string {
  const name = basename(filename);
  let index;
  let start = 0;
  while ((index = name.indexOf('.', start)) !== -1) {
    start = index + 1;
    if (index === 0) continue;
    const extension = name.slice(index);
    if (extensions[extension]) return extension;
  }
  return '.js';
}

/** The handler the program registered for `filename`, or undefined where Node's own handler would load it (canon then does). */
export function registeredHandler(filename: string): ExtensionHandler | undefined {
  // The common case, checked first: Node's handlers and no others.
  if (onlyNodeHandlers()) return undefined;
  const extension = longestRegisteredExtension(filename);
  const handler = extensions[extension];
  return typeof handler === 'function' && handler !== nodeHandlers.get(extension) ? handler : undefined;
}

/**
 * Loads `module` through `handler`, as Node's Module#load does: the code the
 * handler passes to module._compile runs as a CommonJS module with
 * `require` (and `this` its exports).
 */
export function loadThroughHandler(handler: ExtensionHandler, module: NodeModule, require: NodeJS.Require, url: string, site: ErrorSite, context?: vm.Context): void {
  const compiled = module as NodeModule & { _compile(content: string, filename: string): unknown };
  compiled._compile = function (content: string, filename: string = module.filename) {
    const code = compileCjs(String(content), url, filename, site, false, context);
    if (code.phased) {
      throw new RequireError('ERR_CANON_EXTENSION_HANDLER_IMPORT', `${filename}: canon does not run import.source(), import.defer() or import.sync() in code that a require.extensions handler compiled (its module has no registry entry)`, site);
    }
    code.importDynamically = (specifier) => {
      throw new RequireError('ERR_CANON_EXTENSION_HANDLER_IMPORT', `import('${specifier}') in ${filename}: canon does not run import() in code that a require.extensions handler compiled (its module has no registry entry); require() works`, { specifier, referrer: url, phase: 'evaluation' });
    };
    const directory = filename.slice(0, filename.lastIndexOf('/')) || '/';
    return code.fn!.call(module.exports, module.exports, require, module, filename, directory);
  };
  handler(module, module.filename);
}
