// The corpus of module graphs for differential tests of the loader
// (tests/fixtures/graphs/<name>/main.mjs), and a way to run one natively.
//
// Every folder under tests/fixtures/graphs with a main.mjs is a graph. An
// optional fixture.json describes it: { "description": string, "exitCode": int }
// (exitCode defaults to 0). A graph's expected output is whatever native Node
// prints on stdout; it must be the same on Node 20 and Node 26
// (tests/graphs-native.test.ts checks that).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GraphFixture {
  /** The graph's folder name, e.g. `cycle-two`. */
  name: string;
  /** Absolute path of the graph's folder. */
  dir: string;
  /** Absolute path of the graph's entry, `<dir>/main.mjs`. */
  entry: string;
  /** Exit code of `node <entry>` (and so of `canon run <entry>`). */
  expectedExitCode: number;
  /** What the graph exercises. */
  description: string;
}

export interface NativeRun {
  stdout: string;
  stderr: string;
  /** The exit code, or null if the process was killed (e.g. by the timeout). */
  status: number | null;
}

/** How long one run may take before it is killed (status null). */
export const RUN_TIMEOUT_MS = 30_000;

/**
 * The graphs folder. This file runs compiled as dist/tests/support/graphs.js,
 * while the fixtures stay in the source tree (tests/fixtures is not compiled);
 * the source layout is accepted too, for running the .ts directly.
 */
export const GRAPHS_DIR: string = (() => {
  const candidates = [
    fileURLToPath(new URL('../../../tests/fixtures/graphs', import.meta.url)),
    fileURLToPath(new URL('../fixtures/graphs', import.meta.url)),
  ];
  const found = candidates.find((dir) => existsSync(dir) && statSync(dir).isDirectory());
  if (found === undefined) throw new Error(`module graph fixtures not found; looked in ${candidates.join(', ')}`);
  return found;
})();

function readFixtureJson(dir: string, name: string): { description?: string; exitCode?: number } {
  const file = join(dir, 'fixture.json');
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`graph ${name}: fixture.json is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`graph ${name}: fixture.json must hold an object`);
  }
  const record = parsed as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'description' && key !== 'exitCode') {
      throw new Error(`graph ${name}: fixture.json has an unknown key "${key}" (allowed: description, exitCode)`);
    }
  }
  const { description, exitCode } = record;
  if (description !== undefined && typeof description !== 'string') {
    throw new Error(`graph ${name}: fixture.json "description" must be a string`);
  }
  if (exitCode !== undefined && !(Number.isInteger(exitCode) && (exitCode as number) >= 0 && (exitCode as number) <= 255)) {
    throw new Error(`graph ${name}: fixture.json "exitCode" must be an integer in [0, 255]`);
  }
  return { description: description as string | undefined, exitCode: exitCode as number | undefined };
}

/** Reads the corpus from a graphs folder: every subfolder with a main.mjs, sorted by name. */
export function discoverGraphs(graphsDir: string = GRAPHS_DIR): GraphFixture[] {
  const graphs: GraphFixture[] = [];
  for (const entry of readdirSync(graphsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(graphsDir, entry.name);
    const main = join(dir, 'main.mjs');
    if (!existsSync(main)) continue;
    const meta = readFixtureJson(dir, entry.name);
    graphs.push({
      name: entry.name,
      dir,
      entry: main,
      expectedExitCode: meta.exitCode ?? 0,
      description: meta.description ?? entry.name,
    });
  }
  return graphs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every graph of the corpus. */
export const GRAPHS: GraphFixture[] = discoverGraphs();

/**
 * Runs `<nodeBinary> <entry>` with the entry's folder as cwd and no extra
 * flags. The environment is the caller's minus variables that would change
 * what a program prints or how Node starts (NODE_OPTIONS, the test runner's
 * NODE_TEST_CONTEXT, FORCE_COLOR...), so the same graph gives the same output
 * whether it is run from a test or by hand.
 */
export function runNative(nodeBinary: string, entry: string): NativeRun {
  return runNode(nodeBinary, [entry], entry);
}

/** Runs `<nodeBinary> <args>` the way runNative does, with the entry's folder as cwd (and `extraEnv` set). */
/** The caller's environment minus what would change a program's output or Node's start-up, plus `extraEnv`. */
function programEnv(extraEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const name of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'NODE_CHANNEL_FD', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'NODE_V8_COVERAGE']) {
    delete env[name];
  }
  env.NO_COLOR = '1';
  return env;
}

/** How each run is bounded and where it runs (both runners). */
const runOptions = (entry: string, extraEnv: NodeJS.ProcessEnv) => ({
  cwd: dirname(entry),
  env: programEnv(extraEnv),
  encoding: 'utf8' as const,
  timeout: RUN_TIMEOUT_MS,
  killSignal: 'SIGKILL' as const,
  maxBuffer: 16 * 1024 * 1024,
});

export function runNode(nodeBinary: string, args: string[], entry: string, extraEnv: NodeJS.ProcessEnv = {}): NativeRun {
  const result = spawnSync(nodeBinary, args, {
    ...runOptions(entry, extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') {
    throw result.error;
  }
  return { stdout: result.stdout ?? '', stderr: result.stderr ?? '', status: result.status };
}

/**
 * runNode without blocking: the same environment and cwd, so that tests can
 * run several programs at once (node:test concurrency).
 */
export function runNodeAsync(nodeBinary: string, args: string[], entry: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<NativeRun> {
  return new Promise((resolve, reject) => {
    execFile(nodeBinary, args, runOptions(entry, extraEnv), (error, stdout, stderr) => {
      // A non-zero exit or a kill is a result; only a failure to start is an error.
      if (error !== null && typeof error.code === 'string') return reject(error);
      const status = error === null ? 0 : error.killed || error.signal ? null : (error.code as number | undefined) ?? null;
      resolve({ stdout: stdout ?? '', stderr: stderr ?? '', status });
    }).stdin?.end();
  });
}
