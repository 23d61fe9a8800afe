// The command line's vocabulary in one table: every option, which commands
// take it, and every command's usage. The argument parser, the option check,
// `canon --help` and `canon <command> --help` are all built from it, so the
// help cannot list an option the parser refuses, nor the reverse.

export type OptionName = 'import-map' | 'conditions' | 'registry' | 'no-cache' | 'watch' | 'allow' | 'deny' | 'no-eval-sources' | 'format' | 'out' | 'seed';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** How help shows it: "--import-map FILE". */
  synopsis: string;
  description: string;
}

export const OPTIONS: Record<OptionName, OptionSpec> = {
  'import-map': { type: 'string', synopsis: '--import-map FILE', description: 'a WICG import map (JSON), consulted before node_modules resolution; its relative addresses resolve against the file' },
  conditions: { type: 'string', short: 'C', multiple: true, synopsis: '--conditions NAME, -C NAME', description: 'an extra package.json "exports"/"imports" condition (repeatable); canon run gives it to Node too, as node --conditions does' },
  registry: { type: 'boolean', synopsis: '--registry', description: 'print what the registry holds after the program' },
  'no-cache': { type: 'boolean', synopsis: '--no-cache', description: 'without the compile and analysis cache (also CANON_CACHE=0)' },
  watch: { type: 'boolean', synopsis: '--watch', description: 'rerun on changes to the files the program loaded, as node --watch; modules that accept a change (import.meta.hot) get it without a restart' },
  allow: { type: 'string', multiple: true, synopsis: '--allow RULE', description: 'a policy: load only what a rule allows (repeatable): a path or URL prefix (./src, file:///app/), a scheme (data:), a builtin (node:fs, node:*)' },
  deny: { type: 'string', multiple: true, synopsis: '--deny RULE', description: 'never load what the rule matches (repeatable; wins over --allow)' },
  'no-eval-sources': { type: 'boolean', synopsis: '--no-eval-sources', description: 'refuse module sources made from text (ModuleSource.fromText) in the registry' },
  format: { type: 'string', synopsis: '--format json|dot', description: 'output format (default json)' },
  out: { type: 'string', short: 'o', synopsis: '--out FILE, -o FILE', description: 'write the map to FILE instead of stdout' },
  seed: { type: 'string', synopsis: '--seed N', description: 'a fixed hash seed (default: random per process)' },
};

export interface CommandSpec {
  /** The usage line after "canon ". */
  usage: string;
  /** One line for the general help. */
  summary: string;
  options: readonly OptionName[];
  /** How many arguments it takes (after the options; for run, before the program's own) and what they are. */
  operands: { min: number; max: number; what: string };
  /** What `canon <command> --help` says between the usage line and the options. */
  details: string;
}

export interface ExitCode {
  code: string;
  meaning: string;
  /** Only `canon run` (a program's own outcomes). */
  runOnly?: boolean;
}

export const EXIT_CODES: readonly ExitCode[] = [
  { code: '0', meaning: 'success (also when stdout is a pipe closed early, as by `| head`)' },
  { code: '1', meaning: 'an uncaught error (as node), or the command failed: a module that does not load, an unreadable file, an invalid import map' },
  { code: '9', meaning: 'a usage error: unknown command or option, missing or extra argument, bad option value (node\'s code for bad options)' },
  { code: '13', meaning: 'the program\'s top-level await never settled (as node)', runOnly: true },
  { code: 'other', meaning: 'the program\'s own: process.exit(n) or process.exitCode; a signal that ends the program ends canon with it, as under node', runOnly: true },
];

export const COMMANDS: Record<string, CommandSpec> = {
  run: {
    usage: 'run [options] <entry> [args...]',
    summary: 'run a program (path or URL) as node <entry> [args...] does, through a fresh registry',
    options: ['import-map', 'conditions', 'registry', 'no-cache', 'watch', 'allow', 'deny', 'no-eval-sources'],
    operands: { min: 1, max: 1, what: 'entry module' },
    details: `Runs a program as \`node <entry> [args...]\` does, through a fresh registry:
node_modules resolution, CommonJS and ES modules, JSON, Wasm, the import
phases. canon's options come before the entry; everything after it is the
program's (process.argv). Import map warnings are printed on stderr.

An uncaught error is printed as node prints it: the file and line, a code
frame with a caret, Name: message, then the program's stack (canon's own
frames left out). Colour on a terminal only; NO_COLOR turns it off,
FORCE_COLOR on or off as for node. CANON_STACK=1 prints the error in full:
every frame, canon's included, its properties and its cause.`,
  },
  graph: {
    usage: 'graph <entry> [--format json|dot] [--import-map FILE] [--conditions NAME]',
    summary: 'load the static graph without evaluating it and print it',
    options: ['format', 'import-map', 'conditions'],
    operands: { min: 1, max: 1, what: 'entry module' },
    details: `Loads the static graph below <entry> without evaluating it and prints it
(keys, kinds, attributes, phases, source hashes). Every module that fails to
resolve, load or compile is listed on stderr (and under "failures" in JSON),
and the command then exits 1.`,
  },
  importmap: {
    usage: 'importmap <entry> [--out FILE] [--import-map FILE] [--conditions NAME]',
    summary: 'write the import map that resolves the graph as Node does',
    options: ['out', 'import-map', 'conditions'],
    operands: { min: 1, max: 1, what: 'entry module' },
    details: `Writes the import map that resolves the graph below <entry> as Node does
(scopes where two versions of a package are installed), for browsers,
es-module-shims or canon run --import-map. With --import-map, resolution
consults that map first and the output holds what it resolved. Builtins and
CommonJS modules, which browsers cannot load, are reported on stderr.`,
  },
  cache: {
    usage: 'cache info | clear',
    summary: 'show or empty the compile and analysis cache',
    options: [],
    operands: { min: 1, max: 1, what: 'action (info or clear)' },
    details: `The compile and analysis cache canon run keeps: where it is, its size and
records, the engine key (info); or empty it (clear). Location: $CANON_CACHE_DIR,
else $XDG_CACHE_HOME/canon, else ~/.cache/canon.`,
  },
  analyze: {
    usage: 'analyze <file>',
    summary: 'print the source analysis of a JS or Wasm module as JSON',
    options: [],
    operands: { min: 1, max: 1, what: 'file' },
    details: 'Prints the source analysis of a JS or Wasm module as JSON (imports with phases, exports, import.meta, top-level await).',
  },
  hash: {
    usage: 'hash [--seed N] <file>...',
    summary: 'print the XXH3-128 source hash of each file',
    options: ['seed'],
    operands: { min: 1, max: Infinity, what: 'file' },
    details: 'Prints the XXH3-128 source hash of each file.',
  },
  demo: {
    usage: 'demo [--seed N]',
    summary: 'show the Wasm core at work (hashing, interning, tables)',
    options: ['seed'],
    operands: { min: 0, max: 0, what: 'argument' },
    details: 'Shows the Wasm core at work: hashing, interning, registry tables.',
  },
};

/** The usage mistake in `count` arguments to `command`, if there is one. */
export function operandMistake(command: string, count: number): string | undefined {
  const { min, max, what } = COMMANDS[command]!.operands;
  if (count >= min && count <= max) return undefined;
  const wanted = min === max ? `${min === 0 ? 'no' : min === 1 ? 'one' : min} ${what}${min === 1 ? '' : 's'}` : `at least ${min === 1 ? 'one' : min} ${what}`;
  return `${command}: expected ${wanted}, got ${count} (see canon ${command} --help)`;
}

/** `text` in lines of at most 80 columns, continued at column `indent` (the first line's indent is the caller's). */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent + line.length + 1 + word.length > 80) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function optionLines(names: readonly OptionName[]): string {
  const width = Math.max(...names.map((n) => OPTIONS[n].synopsis.length)) + 2;
  return names.map((n) => `  ${OPTIONS[n].synopsis.padEnd(width)}${wrap(OPTIONS[n].description, width + 2)}\n`).join('');
}

/** The exit codes of one command, or of all of them (run's own then marked). */
function exitCodeLines(command: string | 'all'): string {
  return EXIT_CODES.filter((e) => command === 'all' || command === 'run' || !e.runOnly)
    .map((e) => `  ${e.code.padEnd(7)}${wrap(`${e.runOnly && command === 'all' ? 'canon run: ' : ''}${e.meaning}`, 9)}\n`)
    .join('');
}

/** `canon --help`. */
export function generalHelp(): string {
  const commands = Object.values(COMMANDS).map((c) => `  canon ${c.usage}\n        ${c.summary}\n`).join('');
  return `canon: a module registry engine for JavaScript and WebAssembly

Usage:
${commands}  canon --help | --version
  canon <command> --help      that command's usage and options

Options:
${optionLines(Object.keys(OPTIONS) as OptionName[])}
Exit codes:
${exitCodeLines('all')}`;
}

/** `canon <command> --help`, or undefined for a command that does not exist. */
export function commandHelp(name: string): string | undefined {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) return undefined;
  return `Usage: canon ${command.usage}

${command.details}
${command.options.length ? `\nOptions:\n${optionLines(command.options)}` : ''}
Exit codes:
${exitCodeLines(name)}`;
}
