// The canon command line, started by ts-host/cli.ts (the bin). Commands
// that run modules need Node's --experimental-vm-modules: the bin's shebang
// line gives it; where it is missing (`node dist/ts-host/cli.js run x` typed
// by hand), canon re-executes itself with it.

import vm from 'node:vm';
import { createRequire, fs, util } from '../builtins.js';
import { endQuietlyOnClosedOutput } from './closed-output.js';
import { commandHelp, COMMANDS, generalHelp, operandMistake, OPTIONS, type OptionName } from './commands.js';
import { CommandError, UsageError } from './usage.js';

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
  const withValue = new Set<string>();
  for (const [name, option] of Object.entries(OPTIONS)) {
    if (option.type !== 'string') continue;
    withValue.add(`--${name}`);
    if (option.short) withValue.add(`-${option.short}`);
  }
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return { ours: argv.slice(0, i + 2), program: argv.slice(i + 2) };
    if (withValue.has(arg)) i++;
    else if (!arg.startsWith('-')) return { ours: argv.slice(0, i + 1), program: argv.slice(i + 1) };
  }
  return { ours: argv, program: [] };
}

type Values = { help?: boolean; version?: boolean } & { [K in OptionName]?: K extends 'conditions' ? string[] : string | boolean };

/** util.parseArgs over the option table; its complaints (unknown option, missing value) are usage errors. */
function parseCommandLine(args: string[]): { values: Values; positionals: string[] } {
  // No option at all (`canon run main.js`): all positionals, as parseArgs would say, without loading it.
  if (!args.some((a) => a.startsWith('-'))) return { values: {}, positionals: args };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const [name, option] of Object.entries(OPTIONS)) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  try {
    return util.parseArgs({ args, allowPositionals: true, options }) as { values: Values; positionals: string[] };
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (!e.code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node's own wording, less its advice on positionals that start with "-".
    throw new UsageError(`${e.message.split('. To specify a positional argument')[0]} (see canon --help)`);
  }
}

/** An option given to a command that does not take it is a mistake to report, not to ignore. */
function checkOptions(command: string, values: Values): void {
  const allowed: readonly string[] = COMMANDS[command]!.options;
  for (const name of Object.keys(values)) {
    if (name !== 'help' && name !== 'version' && !allowed.includes(name)) {
      throw new UsageError(`${command} does not take --${name} (see canon ${command} --help)`);
    }
  }
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
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
  const { values, positionals } = parseCommandLine(ours);
  const [command, ...rest] = positionals;
  // canon run's stdout is the program's (see closed-output.ts).
  if (command !== 'run') endQuietlyOnClosedOutput();
  if (command !== undefined && !Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command "${command}" (see canon --help)`);
  if (values.help) {
    process.stdout.write(command === undefined ? generalHelp() : commandHelp(command)!);
    return;
  }
  if (values.version) {
    process.stdout.write(`canon ${version()}\n`);
    return;
  }
  if (command === undefined) throw new UsageError('no command given (see canon --help)');
  checkOptions(command, values);
  const seed = typeof values.seed === 'string' ? parseSeed(values.seed) : undefined;
  const importMapFile = typeof values['import-map'] === 'string' ? values['import-map'] : undefined;
  const conditions = values.conditions ?? [];
  const format = typeof values.format === 'string' ? values.format : 'json';
  if (format !== 'json' && format !== 'dot') throw new UsageError(`--format must be json or dot, got "${format}"`);
  // Arguments are checked before a re-execution (below), which costs a process.
  const mistake = operandMistake(command, rest.length);
  if (mistake) throw new UsageError(mistake);
  const nodeConditions = command === 'run' ? missingNodeConditions(conditions) : [];
  if (needsVmModules(command) || nodeConditions.length > 0) await reexec(script, nodeConditions);
  switch (command) {
    // Each command loads only what it needs (start-up time counts for `run`).
    case 'run':
      // The supervisor runs `canon run` without --watch in a child process (cli/watch.ts).
      if (values.watch === true) return (await import('./watch.js')).supervise(script, argv.filter((a, i) => a !== '--watch' || i >= ours.length), rest[0]!);
      return (await import('./run.js')).run(rest[0]!, {
        importMapFile,
        showRegistry: values.registry === true,
        conditions,
        args: program,
        cache: values['no-cache'] !== true,
        allow: values.allow as string[] | undefined,
        deny: values.deny as string[] | undefined,
        evalSources: values['no-eval-sources'] !== true,
      });
    case 'graph':
      return (await import('./graph.js')).graph(rest[0]!, format, importMapFile, conditions);
    case 'importmap':
      return (await import('./importmap.js')).importmap(rest[0]!, typeof values.out === 'string' ? values.out : undefined, conditions, importMapFile);
    case 'cache':
      return (await import('./cache.js')).cache(rest);
    case 'analyze':
      return (await import('./analyze.js')).analyze(rest[0]!);
    case 'demo':
      return (await import('./demo.js')).demo(seed);
    case 'hash':
      return (await import('./demo.js')).hashFiles(rest, seed);
  }
}

function parseSeed(text: string): bigint {
  try {
    return BigInt(text);
  } catch {
    throw new UsageError(`--seed must be an integer, got "${text}"`);
  }
}

/**
 * The one line canon prints for an error that ends the command, and its exit
 * code: UsageError and CommandError carry theirs (9, 1) and print their
 * message alone; anything else is `Name: message`, exit 1.
 */
export function report(error: unknown): void {
  if (error instanceof UsageError || error instanceof CommandError) {
    process.stderr.write(`canon: ${error.message}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  const e = error as { name?: unknown; message?: unknown } | null;
  process.stderr.write(`canon: ${e !== null && typeof e === 'object' && 'message' in e ? `${String(e.name)}: ${String(e.message)}` : `uncaught ${String(error)}`}\n`);
  process.exitCode = 1;
}
