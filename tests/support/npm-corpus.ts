// The real-world differential corpus: programs (tests/fixtures/npm/<name>/)
// that use published npm packages pinned in tests/support/corpus. The packages
// are installed, and the programs copied next to them, by
// tests/support/install-corpus.mjs into .cache/corpus; a program runs from its
// copy .cache/corpus/app/<name>/, where Node's node_modules lookup finds
// .cache/corpus/node_modules.
//
// Each program folder holds an entry (main.mjs, main.cjs or main.js, or the
// fixture's "entry") and a fixture.json:
//   description  what the program exercises (required)
//   exitCode     exit code of `node <entry>` (default 0)
//   entry        the entry file, when it is not main.mjs / main.cjs / main.js
//   args         command-line arguments after the entry
//   conditions   user conditions for resolution: `node --conditions=X <entry>`
//                and `canon run --conditions=X <entry>`
//   differs      { reason, nodeStdout, canonStdout, canonExitCode? }: canon
//                differs from node on purpose (it follows the spec where node
//                does not, or finds a CommonJS export node's static lexer
//                misses); both outputs are pinned in the named files.
// A program's expected output is whatever native Node prints; it must be the
// same on Node 20 and Node 26.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Differs {
  /** Why canon's result differs from node's (also documented in the README). */
  reason: string;
  /** What node prints on stdout. */
  nodeStdout: string;
  /** What canon prints on stdout. */
  canonStdout: string;
  /** canon's exit code (default: the fixture's exitCode). */
  canonExitCode: number;
}

export interface NpmProgram {
  /** The program's folder name, e.g. `cjs-express`. */
  name: string;
  /** What the program exercises. */
  description: string;
  /** The program's source folder, tests/fixtures/npm/<name>. */
  sourceDir: string;
  /** Where it runs from: .cache/corpus/app/<name>. */
  dir: string;
  /** Absolute path of the entry in `dir`. */
  entry: string;
  /** Arguments after the entry. */
  args: string[];
  /** User resolution conditions (`--conditions`). */
  conditions: string[];
  /** Exit code of `node <entry> <args>`. */
  expectedExitCode: number;
  /** Set when canon differs from node on purpose. */
  differs: Differs | undefined;
}

/** The repository root, from the compiled (dist/tests/support) or the source (tests/support) layout. */
export const REPO_ROOT: string = (() => {
  const candidates = [fileURLToPath(new URL('../../../', import.meta.url)), fileURLToPath(new URL('../../', import.meta.url))];
  const found = candidates.find((dir) => existsSync(join(dir, 'tests/support/install-corpus.mjs')));
  if (found === undefined) throw new Error(`repository root not found; looked in ${candidates.join(', ')}`);
  return found;
})();

export const PROGRAMS_DIR = join(REPO_ROOT, 'tests/fixtures/npm');
export const CORPUS_DIR = join(REPO_ROOT, '.cache/corpus');
export const APP_DIR = join(CORPUS_DIR, 'app');
const INSTALLER = join(REPO_ROOT, 'tests/support/install-corpus.mjs');
const ENTRIES = ['main.mjs', 'main.cjs', 'main.js'];
const KEYS = new Set(['description', 'exitCode', 'entry', 'args', 'conditions', 'differs']);
const DIFFERS_KEYS = new Set(['reason', 'nodeStdout', 'canonStdout', 'canonExitCode']);

/**
 * Installs the corpus packages and copies the programs (idempotent, quick when
 * nothing changed) with the given Node, and returns the corpus folder.
 */
export function installCorpus(nodeBinary: string = process.execPath): string {
  const result = spawnSync(nodeBinary, [INSTALLER], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(`${INSTALLER} failed (status ${result.status}): ${result.stderr ?? ''}${result.error?.message ?? ''}`);
  }
  return CORPUS_DIR;
}

function isExitCode(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255;
}

function readProgram(programsDir: string, name: string): NpmProgram {
  const sourceDir = join(programsDir, name);
  const fail = (message: string): never => {
    throw new Error(`npm corpus program ${name}: ${message}`);
  };
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(sourceDir, 'fixture.json'), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('fixture.json must hold an object');
    record = parsed as Record<string, unknown>;
  } catch (e) {
    return fail(`fixture.json: ${(e as Error).message}`);
  }
  for (const key of Object.keys(record)) {
    if (!KEYS.has(key)) fail(`fixture.json has an unknown key "${key}" (allowed: ${[...KEYS].join(', ')})`);
  }
  const { description, exitCode = 0, entry, args = [], conditions = [], differs } = record;
  if (typeof description !== 'string' || description === '') fail('fixture.json needs a "description" string');
  if (!isExitCode(exitCode)) fail('"exitCode" must be an integer in [0, 255]');
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) fail('"args" must be an array of strings');
  if (!Array.isArray(conditions) || !conditions.every((c) => typeof c === 'string' && c !== '')) fail('"conditions" must be an array of names');
  if (entry !== undefined && typeof entry !== 'string') fail('"entry" must be a string');
  const entryName = (entry as string | undefined) ?? ENTRIES.find((file) => existsSync(join(sourceDir, file)));
  if (entryName === undefined || !existsSync(join(sourceDir, entryName))) fail(`no entry (${entry ?? ENTRIES.join(', ')})`);
  let pinned: Differs | undefined;
  if (differs !== undefined) {
    if (typeof differs !== 'object' || differs === null || Array.isArray(differs)) fail('"differs" must be an object');
    const d = differs as Record<string, unknown>;
    for (const key of Object.keys(d)) {
      if (!DIFFERS_KEYS.has(key)) fail(`"differs" has an unknown key "${key}" (allowed: ${[...DIFFERS_KEYS].join(', ')})`);
    }
    if (typeof d.reason !== 'string' || d.reason === '') fail('"differs" needs a "reason"');
    const file = (key: 'nodeStdout' | 'canonStdout'): string => {
      const value = d[key];
      if (typeof value !== 'string' || !existsSync(join(sourceDir, value))) fail(`"differs.${key}" must name a file of the program folder`);
      return readFileSync(join(sourceDir, value as string), 'utf8');
    };
    const canonExitCode = d.canonExitCode ?? exitCode;
    if (!isExitCode(canonExitCode)) fail('"differs.canonExitCode" must be an integer in [0, 255]');
    pinned = { reason: d.reason as string, nodeStdout: file('nodeStdout'), canonStdout: file('canonStdout'), canonExitCode: canonExitCode as number };
  }
  const dir = join(APP_DIR, name);
  return {
    name,
    description: description as string,
    sourceDir,
    dir,
    entry: join(dir, entryName as string),
    args: args as string[],
    conditions: conditions as string[],
    expectedExitCode: exitCode as number,
    differs: pinned,
  };
}

/** Every program of the corpus, sorted by name (read from the source tree; run from the installed copy). */
export function discoverPrograms(programsDir: string = PROGRAMS_DIR): NpmProgram[] {
  return readdirSync(programsDir)
    .filter((name) => statSync(join(programsDir, name)).isDirectory())
    .sort()
    .map((name) => readProgram(programsDir, name));
}

/** The arguments of `node` for a program: its conditions, its entry, its arguments. */
export function nodeArgs(program: NpmProgram): string[] {
  return [...program.conditions.map((c) => `--conditions=${c}`), program.entry, ...program.args];
}

/**
 * The arguments of `canon run` for a program, after the CLI script: the same
 * conditions as `run` options, its entry, its arguments.
 */
export function canonRunArgs(program: NpmProgram): string[] {
  return ['run', ...program.conditions.map((c) => `--conditions=${c}`), program.entry, ...program.args];
}
