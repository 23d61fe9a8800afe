// `canon run <entry>`: runs a program through a fresh registry. The
// program's output passes through; an uncaught error exits 1, printed as
// Node prints it (print-error.ts: file:line, a code frame, Name: message,
// the program's stack); a top-level await that never settles exits 13, as
// Node does.

import { isBuiltin } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fs, Module } from '../builtins.js';
import { profile, STAGES } from '../profile.js';
import { Registry } from '../registry.js';
import { installGlobals } from '../sources/globals.js';
import { entryURL } from './entry-url.js';
import { loadImportMap } from './import-map-file.js';
import { WATCHED, watchedProgram } from './watch.js';
import { formatUncaught } from './print-error.js';
import { registryContext } from './error-context.js';
import { shouldColour } from '../diagnostics/colour.js';
import { hideCanonFrames } from '../diagnostics/stack.js';

/** Short form of a URL for messages: relative to the working directory when below it. */
export function shortURL(url: string): string {
  const cwd = pathToFileURL(process.cwd() + '/').href;
  return url.startsWith(cwd) ? './' + url.slice(cwd.length) : url;
}

/** The import chain from the entry to the module that failed with `error`, if it can be found. */
function chainTo(registry: Registry, root: string, error: unknown): string[] {
  const failedWith = new Set(registry.entries().filter((e) => e.status === 'errored' && e.error === error).map((e) => e.key));
  const parents = new Map<string, string>([[root, '']]);
  const queue = [root];
  let thrower: string | undefined;
  while (queue.length) {
    const key = queue.shift()!;
    const deps = registry.dependenciesOf(key);
    if (failedWith.has(key) && !deps.some((d) => failedWith.has(d.key))) {
      thrower = key;
      break;
    }
    for (const dep of deps) {
      if (!parents.has(dep.key)) {
        parents.set(dep.key, key);
        queue.push(dep.key);
      }
    }
  }
  if (thrower === undefined) return [];
  const chain = [thrower];
  while (parents.get(chain[0]!)) chain.unshift(parents.get(chain[0]!)!);
  return chain;
}

/** Prints what the registry holds: one line per entry. */
function printRegistry(registry: Registry): void {
  const rows = registry.entries().map((e) => [
    e.status,
    e.kind ?? '-',
    e.hash === undefined ? '-' : e.hash.toString(16).padStart(32, '0').slice(0, 12),
    shortURL(e.key) + (Object.keys(e.attributes).length ? ` ${JSON.stringify(e.attributes)}` : '') + (e.canonical ? '' : ' (non-canonical)'),
  ]);
  const header = ['status', 'kind', 'hash', 'key'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`\nThe registry holds ${rows.length} entries:\n${line(header)}\n`);
  for (const row of rows) process.stdout.write(line(row) + '\n');
}

export interface RunOptions {
  importMapFile?: string | undefined;
  /** Print the registry's entries afterwards. */
  showRegistry?: boolean;
  /** Extra package.json conditions (--conditions). */
  conditions?: string[];
  /** The program's own arguments (process.argv after the entry). */
  args?: string[];
  /** The persistent compile and analysis cache (README "Cache"): on for the command line unless --no-cache. */
  cache?: boolean;
  /** Policy rules (--allow, --deny; paths are taken as file: URL prefixes) and --no-eval-sources. */
  allow?: string[] | undefined;
  deny?: string[] | undefined;
  evalSources?: boolean;
}

/** A command-line rule: a scheme, builtin or URL as it is; anything else a path, made a file: URL (a directory's with its slash). */
function ruleOf(text: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) || isBuiltin(text)) return text;
  const path = resolvePath(text);
  let directory = false;
  try {
    directory = fs.statSync(path).isDirectory();
  } catch {
    directory = text.endsWith('/');
  }
  return pathToFileURL(path).href + (directory ? '/' : '');
}

export async function run(entry: string, options: RunOptions = {}): Promise<void> {
  const { importMapFile, showRegistry = false, conditions = [], args = [], cache = false, allow, deny, evalSources = true } = options;
  const policy = allow || deny || !evalSources
    ? { load: { ...(allow ? { allow: allow.map(ruleOf) } : {}), ...(deny ? { deny: deny.map(ruleOf) } : {}) }, evalSources }
    : undefined;
  // Programs run by canon see the proposals' globals: ModuleSource, and on
  // hosts without a native %AbstractModuleSource%, WebAssembly.Module under canon's.
  installGlobals();
  // Under `canon run --watch` (cli/watch.ts): hot reload, and every file loaded is reported to the supervisor.
  const watched = process.env[WATCHED] === '1' && typeof process.send === 'function';
  const registry: Registry = new Registry({
    ...(watched ? { hot: true, onLoad: watchedProgram(() => registry, shortURL) } : {}),
    ...(importMapFile ? { importMap: loadImportMap(importMapFile) } : {}),
    conditions,
    cache,
    // As require(esm) does in Node: import.sync may read local files.
    importSync: 'allow-host-loading',
    // One require.cache for the process, Node's, as under node: createRequire() sees what canon's require() loaded.
    requireCache: (Module as unknown as { _cache: Record<string, NodeJS.Module> })._cache,
    ...(policy ? { policy } : {}),
  });
  // module.createRequire() in the program loads through this registry, as require() does, so
  // both reach the same instances (as in a node process, whose one loader serves both).
  (Module as unknown as { createRequire: (filename: string | URL) => NodeJS.Require }).createRequire = (filename) => registry.createRequire(filename);
  const url = entryURL(entry);
  // What the program sees, as under `node <entry> args...`.
  process.argv = [process.execPath, url.startsWith('file:') ? fileURLToPath(url) : url, ...args];
  let settled = false;
  // What Node prints itself (a throw in a timer, an unhandled rejection) leaves canon's frames out too.
  if (!process.env.CANON_STACK) process.on('uncaughtExceptionMonitor', hideCanonFrames);
  if (profile.enabled) {
    // (performance is read only here: its first use loads perf_hooks, 1 ms of start-up)
    const started = performance.now();
    process.on('exit', () => {
      const total = performance.now() - started;
      const stages = STAGES.map((s) => `${s} ${profile.ms[s].toFixed(1)}`).join(', ');
      process.stderr.write(`canon profile: ${profile.modules} modules in ${total.toFixed(1)} ms (${stages} ms)\n`);
    });
  }
  // The event loop ran dry with the program's import still pending: a top-level await that never
  // settles, exit 13 as Node does. (Not 'exit': a program that calls process.exit() mid-evaluation,
  // as CommonJS command-line tools do, has not left an await unsettled.)
  process.on('beforeExit', () => {
    if (settled) return;
    process.stderr.write(`Warning: Detected unsettled top-level await in ${shortURL(url)}\n`);
    process.exit(13);
  });
  try {
    await registry.runMain(url);
    if (showRegistry) printRegistry(registry);
  } catch (error) {
    settled = true;
    process.stderr.write(formatUncaught(error, {
      ...registryContext(registry),
      chain: chainTo(registry, url, error),
      shortURL,
      colour: shouldColour(process.stderr),
      full: Boolean(process.env.CANON_STACK),
    }));
    // As Node does for an uncaught error in the entry: stop now, pending timers do not run.
    process.exit(1);
  }
  settled = true;
}
