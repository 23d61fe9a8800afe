// Node's CommonJS resolver keeps a cache of its stat() calls while a main
// module's top-level code runs: Module.prototype._compile turns it on when
// it starts a module at require depth 0 (the main module) and off when that
// module's code returns. So under node, the hundreds of lookups a package
// graph makes (node_modules directories, package directories, index files)
// stat each path once. canon's require() calls the same resolver
// (Module._resolveFilename) but never goes through _compile, so the cache
// stayed off and every lookup went to the file system again (3,003 stat
// calls against node's 2,236 on a 375-module express app), and a program
// could see the difference: a file found once during the main module's run
// is found again by another specifier under node, though it was removed
// since (the cache keeps what exists; a missing path is asked again).
//
// runWithStatCache() runs the main module inside a _compile of a one-line
// stub, which turns the cache on for exactly as long as node keeps it: the
// main module's synchronous run.

import Module from 'node:module';
import { fileURLToPath } from 'node:url';

interface CompilingModule {
  exports: { run?: () => unknown };
  _compile(content: string, filename: string, format?: string): unknown;
}

const ModuleClass = Module as unknown as { new (id: string, parent?: unknown): CompilingModule };

/**
 * The stub's file name: inside canon's own directory, so that stack traces
 * count its frame as canon's (diagnostics/stack.ts). No such file is read.
 */
const STUB = fileURLToPath(new URL('./main-stat-cache-scope.cjs', import.meta.url));

/** Whether this Node has the _compile that keeps the cache (Node 20 to 26 do). */
const available = typeof (Module.prototype as Partial<CompilingModule>)._compile === 'function';

function compileStub(text: string, run?: () => unknown): unknown {
  const stub = new ModuleClass(STUB);
  if (run) stub.exports = { run };
  return stub._compile(text, STUB, 'commonjs');
}

/** Runs `run` (a main module's top-level code) with Node's resolver keeping its stat cache, as node does for its main module. */
export function runWithStatCache<T>(run: () => T): T {
  if (!available) return run();
  let started = false;
  try {
    return compileStub('return this.run();', () => {
      started = true;
      return run();
    }) as T;
  } catch (error) {
    // A Node whose _compile does not take the stub: the module runs as it would without the cache.
    if (!started) return run();
    // _compile turns the cache off only when the code returns: a module that threw leaves it on,
    // and a stub that returns turns it off again (the program may go on, in an exit handler).
    compileStub('');
    throw error;
  }
}
