// The canon command line, started by ts-host/cli.ts (the bin). Commands
// that run modules need Node's --experimental-vm-modules: the bin's shebang
// line gives it; where it is missing (`node dist/ts-host/cli.js run x` typed
// by hand), canon re-executes itself with it.

import vm from 'node:vm';
import { createRequire, util } from '../builtins.js';
import { UsageError } from './usage.js';

const HELP = `canon: a module registry engine for JavaScript and WebAssembly

Usage:
  canon run [options] <entry> [args...]
                                            run a program (path or URL) through a fresh registry, as
                                            node <entry> [args...] does: node_modules, CommonJS, ES modules
  canon graph <entry> [--format json|dot] [--import-map FILE]
                                            load the static graph without evaluating it and print it
                                            (every module that fails to resolve or load is listed)
  canon importmap <entry> [--out FILE]      write the import map that resolves the graph as Node does
                                            (for browsers, es-module-shims, canon --import-map)
  canon cache info | clear                  show or empty the compile and analysis cache
  canon analyze <file>                      print the source analysis of a JS or Wasm module as JSON
  canon hash <file>...                      print the XXH3-128 source hash of each file
  canon demo                                show the Wasm core at work (hashing, interning, tables)
  canon --help | --version

Options:
  --import-map FILE    a WICG import map (JSON); its relative addresses resolve against the file
  --conditions NAME    an extra package.json "exports"/"imports" condition (repeatable; also -C)
  --format json|dot    output of canon graph (default json)
  --out FILE           where canon importmap writes the map (default: stdout)
  --no-cache           canon run without the compile and analysis cache (also: CANON_CACHE=0);
                       the cache lives in $CANON_CACHE_DIR, else $XDG_CACHE_HOME/canon, else ~/.cache/canon
  --registry           after canon run, print what the registry holds
  --watch              canon run: apply file changes hot where modules accept them (import.meta.hot),
                       restart the program otherwise
  --seed N             fixed hash seed for hash and demo (default: random per process)

Exit codes: 0 on success, 1 on an error, 13 when the program's top-level
await never settles. A program's uncaught error is printed as node prints
it: file:line, a code frame, Name: message, the program's stack (coloured on
a terminal unless NO_COLOR; FORCE_COLOR as for node). CANON_STACK=1 prints
the error in full: canon's own frames, its properties and cause.
`;

/** `canon <command> --help`: that command alone. */
const COMMAND_HELP: Record<string, string> = {
  run: `Usage: canon run [options] <entry> [args...]

Runs a program as \`node <entry> [args...]\` does, through a fresh registry:
node_modules resolution, CommonJS and ES modules, JSON, Wasm, the import
phases. canon's options come before the entry; everything after it is the
program's (process.argv).

Options:
  --import-map FILE    a WICG import map, consulted before node_modules resolution
  --conditions NAME    an extra package.json "exports"/"imports" condition (repeatable; also -C);
                       given to Node too, as node --conditions does
  --registry           print what the registry holds afterwards
  --no-cache           without the compile and analysis cache (also CANON_CACHE=0)
  --watch              rerun on changes to the files the program loaded, as node --watch;
                       modules that accept a change (import.meta.hot) get it without a restart

Exit codes: the program's own; 1 on an uncaught error; 13 when a top-level
await never settles.

An uncaught error is printed as node prints it: the file and line, a code
frame with a caret, Name: message, then the program's stack (canon's own
frames left out). Colour on a terminal only; NO_COLOR turns it off,
FORCE_COLOR on or off as for node. CANON_STACK=1 prints the error in full:
every frame, canon's included, its properties and its cause.
`,
  graph: `Usage: canon graph <entry> [--format json|dot] [--import-map FILE] [--conditions NAME]

Loads the static graph below <entry> without evaluating it and prints it
(keys, kinds, attributes, phases, source hashes). Every module that fails to
resolve, load or compile is listed on stderr (and under "failures" in JSON),
and the command then exits 1.
`,
  importmap: `Usage: canon importmap <entry> [--out FILE] [--conditions NAME]

Writes the import map that resolves the graph below <entry> as Node does
(scopes where two versions of a package are installed), for browsers,
es-module-shims or canon run --import-map. Builtins and CommonJS modules,
which browsers cannot load, are reported on stderr. Default output: stdout.
`,
  cache: `Usage: canon cache info | clear

The compile and analysis cache canon run keeps: where it is, its size and
records, the engine key (info); or empty it (clear). Location: $CANON_CACHE_DIR,
else $XDG_CACHE_HOME/canon, else ~/.cache/canon.
`,
  analyze: 'Usage: canon analyze <file>\n\nPrints the source analysis of a JS or Wasm module as JSON (imports with phases, exports, import.meta, top-level await).\n',
  hash: 'Usage: canon hash [--seed N] <file>...\n\nPrints the XXH3-128 source hash of each file.\n',
  demo: 'Usage: canon demo [--seed N]\n\nShows the Wasm core at work: hashing, interning, registry tables.\n',
};

function needsVmModules(command: string | undefined): boolean {
  return (command === 'run' || command === 'graph' || command === 'importmap') && typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function';
}

/**
 * The --conditions Node itself must have: Node's own loaders (createRequire,
 * require.resolve) read the process's conditions, so user conditions of
 * `canon run` are given to Node too, as `node --conditions` does.
 */
function missingNodeConditions(conditions: readonly string[]): string[] {
  const have = new Set<string>();
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--conditions' || arg === '-C') have.add(argv[++i] ?? '');
    else if (arg.startsWith('--conditions=')) have.add(arg.slice('--conditions='.length));
  }
  return conditions.filter((c) => !have.has(c)).map((c) => `--conditions=${c}`);
}

/** The program's own arguments: everything after `canon run`'s entry (canon's options come before it). */
function splitProgramArguments(argv: string[]): { ours: string[]; program: string[] } {
  if (argv[0] !== 'run') return { ours: argv, program: [] };
  const withValue = new Set(['--import-map', '--conditions', '-C', '--seed', '--format', '--out', '-o']);
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return { ours: argv.slice(0, i + 2), program: argv.slice(i + 2) };
    if (withValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return { ours: argv.slice(0, i + 1), program: argv.slice(i + 1) };
  }
  return { ours: argv, program: [] };
}

/**
 * Runs the bin (`script`) again with the Node flags it needs (quietly:
 * --experimental-vm-modules, and user conditions) and exits with its code.
 */
async function reexec(script: string, extra: string[]): Promise<never> {
  const { spawnSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  const flags = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', ...extra];
  const result = spawnSync(process.execPath, [...process.execArgv, ...flags, script, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}

/** Runs the command line `argv`; `script` is the bin's own path (for the re-exec fallback). */
export async function main(argv: string[], script: string): Promise<void> {
  const { ours, program } = splitProgramArguments(argv);
  const { values, positionals } = util.parseArgs({
    args: ours,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      seed: { type: 'string' },
      'import-map': { type: 'string' },
      format: { type: 'string', default: 'json' },
      registry: { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      conditions: { type: 'string', short: 'C', multiple: true },
      'no-cache': { type: 'boolean' },
      watch: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(COMMAND_HELP[positionals[0] ?? ''] ?? HELP);
    return;
  }
  if (values.version) {
    process.stdout.write('canon 0.1.0\n');
    return;
  }
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const [command, ...rest] = positionals;
  const nodeConditions = command === 'run' ? missingNodeConditions(values.conditions ?? []) : [];
  if (needsVmModules(command) || nodeConditions.length > 0) await reexec(script, nodeConditions);
  const one = (what: string) => {
    if (rest.length !== 1) throw new UsageError(`canon ${command}: expected one ${what} (see canon --help)`);
    return rest[0]!;
  };
  switch (command) {
    // Each command loads only what it needs (start-up time counts for `run`).
    case 'run':
      if (values.watch) return (await import('./watch.js')).supervise(script, argv.filter((a, i) => a !== '--watch' || i >= ours.length), one('entry module'));
      return (await import('./run.js')).run(one('entry module'), {
        importMapFile: values['import-map'],
        showRegistry: values.registry ?? false,
        conditions: values.conditions ?? [],
        args: program,
        cache: !values['no-cache'],
      });
    case 'graph':
      return (await import('./graph.js')).graph(one('entry module'), values.format!, values['import-map'], values.conditions ?? []);
    case 'importmap':
      return (await import('./importmap.js')).importmap(one('entry module'), values.out, values.conditions ?? []);
    case 'cache':
      return (await import('./cache.js')).cache(rest);
    case 'analyze':
      return (await import('./analyze.js')).analyze(one('file'));
    case 'demo':
      return (await import('./demo.js')).demo(seed);
    case 'hash':
      if (rest.length === 0) throw new UsageError('canon hash: no file given (see canon --help)');
      return (await import('./demo.js')).hashFiles(rest, seed);
    case undefined:
      throw new UsageError('no command given (see canon --help)');
    default:
      throw new UsageError(`unknown command "${command}" (see canon --help)`);
  }
}

function parseSeed(text: string): bigint {
  try {
    return BigInt(text);
  } catch {
    throw new UsageError(`--seed must be an integer, got "${text}"`);
  }
}

/** The one line canon prints for an error that ends the command. */
export function report(error: unknown): void {
  const e = error as Error;
  process.stderr.write(`canon: ${e instanceof UsageError ? e.message : `${e.name}: ${e.message}`}\n`);
  process.exitCode = 1;
}
