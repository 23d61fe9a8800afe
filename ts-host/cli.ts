#!/usr/bin/env node
// The canon command line. Commands that run modules need Node's
// --experimental-vm-modules; without it, canon re-executes itself with it.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import vm from 'node:vm';
import { UsageError } from './cli/usage.js';

const HELP = `canon: a module registry engine for JavaScript and WebAssembly

Usage:
  canon run <entry> [--import-map FILE] [--registry] [--no-cache]
                                            run a module program (path or URL) through a fresh registry
  canon graph <entry> [--format json|dot] [--import-map FILE]
                                            load the static graph without evaluating it and print it
  canon analyze <file>                      print the source analysis of a JS or Wasm module as JSON
  canon hash <file>...                      print the XXH3-128 source hash of each file
  canon demo                                show the Wasm core at work (hashing, interning, tables)
  canon cache info | clear                  show or empty the compile and analysis cache
  canon --help | --version

Options:
  --import-map FILE    a WICG import map (JSON); its relative addresses resolve against the file
  --format json|dot    output of canon graph (default json)
  --registry           after canon run, print what the registry holds
  --seed N             fixed hash seed for hash and demo (default: random per process)
  --no-cache           run without the compile and analysis cache (also: CANON_CACHE=0);
                       the cache lives in $CANON_CACHE_DIR, else $XDG_CACHE_HOME/canon, else ~/.cache/canon

Exit codes: 0 on success, 1 on an error (one line on stderr), 13 when the
program's top-level await never settles. CANON_STACK=1 adds the stack.
`;

function needsVmModules(command: string | undefined): boolean {
  return (command === 'run' || command === 'graph') && typeof (vm as { SourceTextModule?: unknown }).SourceTextModule !== 'function';
}

/** Runs this CLI again under --experimental-vm-modules (quietly) and exits with its code. */
function reexec(): never {
  const flags = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
  const result = spawnSync(process.execPath, [...process.execArgv, ...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      seed: { type: 'string' },
      'import-map': { type: 'string' },
      format: { type: 'string', default: 'json' },
      registry: { type: 'boolean' },
      'no-cache': { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.version) {
    process.stdout.write('canon 0.1.0\n');
    return;
  }
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  const [command, ...rest] = positionals;
  if (needsVmModules(command)) reexec();
  const one = (what: string) => {
    if (rest.length !== 1) throw new UsageError(`canon ${command}: expected one ${what} (see canon --help)`);
    return rest[0]!;
  };
  switch (command) {
    // Each command loads only what it needs (start-up time counts for `run`).
    case 'run':
      return (await import('./cli/run.js')).run(one('entry module'), values['import-map'], values.registry ?? false, !values['no-cache']);
    case 'graph':
      return (await import('./cli/graph.js')).graph(one('entry module'), values.format!, values['import-map']);
    case 'analyze':
      return (await import('./cli/analyze.js')).analyze(one('file'));
    case 'demo':
      return (await import('./cli/demo.js')).demo(seed);
    case 'hash':
      if (rest.length === 0) throw new UsageError('canon hash: no file given (see canon --help)');
      return (await import('./cli/demo.js')).hashFiles(rest, seed);
    case 'cache':
      return (await import('./cli/cache.js')).cache(rest);
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

main(process.argv.slice(2)).catch((error: unknown) => {
  const e = error as Error;
  process.stderr.write(`canon: ${e instanceof UsageError ? e.message : `${e.name}: ${e.message}`}\n`);
  process.exitCode = 1;
});
