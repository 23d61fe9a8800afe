// npm run bench:graph: module graphs loaded in a new process per run.
// Graphs: an empty program, 1,000 and 10,000 generated modules, lodash-es (a
// real package of ~640 modules), three/src (~390 modules, a bench-only
// package in .cache/bench-packages), and two Node programs (bench/apps: a
// CommonJS service of ~380 modules, a mixed ES module / CommonJS app). Two tables:
//  - import time, canon vs Node's native loader on the same Node: each runner
//    times only the import (both loaders' own code is already loaded), so the
//    ratio compares loaders, not process start-up;
//  - whole process, as a user sees it: node, Node 26 with its compile cache,
//    deno, bun, `canon run` cold and warm, side by side, ratios against node
//    measured in the same run (runtimes that cannot be installed are skipped
//    with a message: bench/runtimes.ts), and the floors: the graph resolved
//    beforehand and only read, compiled, linked and run on this Node's vm
//    module API (bench/runners/vm-floor.mjs, vm-floor-cjs.cjs), with and
//    without V8 code caches: the bound on what canon (any loader built on
//    node:vm) can reach, cold and warm.
// Figures are medians of interleaved runs; the machine is noisy.
//
//   node dist/bench/graph.js [--quick] [--only NAME,...]    (npm run bench:graph [-- --quick]; ends with bench/wasm.ts)

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGES } from '../ts-host/profile.js';
import { generateGraph } from './generate.js';
import { benchApps, benchPackages, bun, deno, node26, type Runtime } from './runtimes.js';
import { printTable, writeResults } from './stats.js';

const USAGE = `usage: npm run bench:graph [-- [--quick] [--only NAME,...]]

  --quick        fewer runs, and no 10,000-module graph
  --only NAMES   only the graphs whose names contain one of the comma-separated
                 NAMES (e.g. --only lodash,CommonJS); the Wasm chain then is skipped
  --help         this text
`;
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean) : undefined;
if (only && only.length === 0) {
  process.stderr.write(`bench: --only needs graph names\n${USAGE}`);
  process.exit(9);
}
for (const arg of args) {
  if (arg.startsWith('-') && !['--quick', '--only', '--help', '-h'].includes(arg)) {
    process.stderr.write(`bench: unknown option ${arg}\n${USAGE}`);
    process.exit(9);
  }
}
const root = fileURLToPath(new URL('../../', import.meta.url));
const canonRunner = fileURLToPath(new URL('./runners/canon.js', import.meta.url));
const nativeRunner = `${root}bench/runners/native.mjs`;
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

interface Run {
  ms: number;
  wallMs: number;
  stages?: Record<string, number>;
  modules?: number;
}

function once(args: string[]): Run {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  return { ...JSON.parse(r.stdout.trim().split('\n').pop()!), wallMs };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function emptyProgram(): string {
  const dir = `${root}bench/.graphs/empty/`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}main.mjs`, '');
  return `${dir}main.mjs`;
}

const packages = benchPackages();
if ('skipped' in packages) process.stderr.write(`bench: three/src and the Node apps left out: ${packages.skipped}\n`);
const apps = 'nodeModules' in packages ? benchApps(packages.nodeModules) : undefined;

interface Case {
  name: string;
  entry: string;
  modules: number;
  /** Runs of the import-time table and of the whole-process table. */
  runs: number;
  wholeRuns: number;
}

const allCases: Case[] = [
  { name: 'empty program', entry: emptyProgram(), modules: 1, runs: quick ? 3 : 15, wholeRuns: quick ? 5 : 21 },
  { name: '1,000 generated', entry: generateGraph(`${root}bench/.graphs/g1000`, 1000), modules: 1000, runs: quick ? 3 : 9, wholeRuns: quick ? 3 : 9 },
  ...(quick ? [] : [{ name: '10,000 generated', entry: generateGraph(`${root}bench/.graphs/g10000`, 10000), modules: 10000, runs: 7, wholeRuns: 5 }]),
  { name: 'lodash-es', entry: `${root}node_modules/lodash-es/lodash.js`, modules: 0, runs: quick ? 3 : 15, wholeRuns: quick ? 3 : 11 },
  ...('nodeModules' in packages ? [{ name: 'three/src', entry: `${packages.nodeModules}three/src/Three.js`, modules: 0, runs: quick ? 3 : 9, wholeRuns: quick ? 3 : 9 }] : []),
  // Node programs: a CommonJS service (express and friends, ~380 modules) and a mixed ES module / CommonJS app (~470).
  ...(apps ? [
    { name: 'CommonJS app', entry: apps['commonjs-app.cjs']!, modules: 0, runs: quick ? 3 : 11, wholeRuns: quick ? 3 : 11 },
    { name: 'mixed ESM/CJS app', entry: apps['mixed-app.mjs']!, modules: 0, runs: quick ? 3 : 11, wholeRuns: quick ? 3 : 11 },
  ] : []),
];

const cases = only ? allCases.filter((c) => only.some((n) => c.name.toLowerCase().includes(n))) : allCases;
if (cases.length === 0) {
  process.stderr.write(`bench: no graph matches --only ${only!.join(',')} (graphs: ${allCases.map((c) => c.name).join(', ')})\n`);
  process.exit(9);
}

const rows: string[][] = [];
const stageRows: string[][] = [];
const results: unknown[] = [];
for (const c of cases) {
  const canon: Run[] = [];
  const native: Run[] = [];
  for (let i = 0; i < c.runs; i++) {
    process.stderr.write(`\r${c.name}: run ${i + 1} of ${c.runs}   `);
    native.push(once([nativeRunner, c.entry]));
    canon.push(once([...FLAGS, canonRunner, c.entry]));
  }
  const profiled: Run[] = [];
  for (let i = 0; i < 3; i++) {
    process.stderr.write(`\r${c.name}: profiled run ${i + 1} of 3   `);
    profiled.push(once([...FLAGS, canonRunner, c.entry, '--profile']));
  }
  process.stderr.write('\n');
  const modules = canon[0]!.modules ?? c.modules;
  const per1000 = (ms: number) => (ms * 1000) / modules;
  const canonMs = median(canon.map((r) => r.ms));
  const nativeMs = median(native.map((r) => r.ms));
  const canonWall = median(canon.map((r) => r.wallMs));
  const nativeWall = median(native.map((r) => r.wallMs));
  // Per 1,000 modules; a program of a few modules is shown in ms.
  const perK = (ms: number) => (modules >= 100 ? per1000(ms).toFixed(1) : `${ms.toFixed(1)} ms`);
  rows.push([
    c.name, String(modules),
    perK(nativeMs), perK(canonMs), `${(nativeMs / canonMs).toFixed(2)}x`,
    nativeWall.toFixed(0), canonWall.toFixed(0), `${(nativeWall / canonWall).toFixed(2)}x`,
  ]);
  const stages = Object.fromEntries(STAGES.map((s) => [s, median(profiled.map((r) => r.stages![s]!))]));
  const accounted = Object.values(stages).reduce((a, b) => a + b, 0);
  const profiledMs = median(profiled.map((r) => r.ms));
  stageRows.push([c.name, ...STAGES.map((s) => stages[s]!.toFixed(1)), (profiledMs - accounted).toFixed(1), profiledMs.toFixed(1)]);
  results.push({ name: c.name, modules, runs: c.runs, canonMs: canon.map((r) => r.ms), nativeMs: native.map((r) => r.ms), canonWallMs: canon.map((r) => r.wallMs), nativeWallMs: native.map((r) => r.wallMs), stages });
}

printTable(
  `Import time on Node ${process.versions.node}, cold, medians (ratio = native / canon; higher means canon is faster)`,
  ['graph', 'modules', 'native ms/1k', 'canon ms/1k', 'import ratio', 'native wall ms', 'canon wall ms', 'wall ratio'],
  rows,
);
printTable('Where canon\'s import time goes (median ms of 3 profiled runs; "other": the walk, bookkeeping, GC)', ['graph', ...STAGES, 'other', 'total'], stageRows);

const whole = wholeProcess();
process.stdout.write(`\nwritten: ${writeResults('graph', { date: new Date().toISOString(), node: process.version, results, wholeProcess: whole })}\n`);

// Then the Wasm chain (bench/wasm.ts), with the same options (not for a selection of graphs).
if (!only) {
  const wasm = spawnSync(process.execPath, [fileURLToPath(new URL('./wasm.js', import.meta.url)), ...args], { stdio: 'inherit' });
  process.exitCode = wasm.status ?? 1;
}

// ---- whole process, every runtime ------------------------------------------------

interface Contender {
  /** Column heading. */
  name: string;
  command: (entry: string) => string[];
  env?: Record<string, string>;
  /** Runs before each timed run, untimed (a fresh cache directory for canon cold). */
  before?: () => Record<string, string>;
  after?: () => void;
  /** Exit status meaning "does not apply to this graph" (printed n/a, not failed). */
  notApplicable?: number;
}

function wholeProcess(): unknown {
  const scratch = mkdtempSync(join(tmpdir(), 'canon-bench-'));
  const cli = fileURLToPath(new URL('../ts-host/cli.cjs', import.meta.url));
  const skipped: string[] = [];
  const found = (r: Runtime | string): Runtime | undefined => {
    if (typeof r === 'string') skipped.push(r);
    return typeof r === 'string' ? undefined : r;
  };
  const n26 = found(node26());
  const bunRt = found(bun());
  const denoRt = found(deno());
  let coldDir = '';
  // The floors' input, once per graph: the graph resolved by `canon graph` (vm-floor.mjs), or for a CommonJS
  // program the resolutions of a node run (record-requires.cjs, for vm-floor-cjs.cjs).
  const floors = new Map<string, { command: string[]; file: string }>();
  const floorFor = (entry: string): { command: string[]; file: string } => {
    let floor = floors.get(entry);
    if (floor === undefined) {
      let command: string[];
      const file = join(scratch, `floor-${floors.size}.json`);
      const graph = spawnSync(process.execPath, [...FLAGS, cli, 'graph', entry], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const rootKind = graph.status === 0 ? (JSON.parse(graph.stdout) as { modules: { kind: string }[] }).modules[0]?.kind : undefined;
      if (rootKind === 'cjs') {
        spawnSync(process.execPath, ['-r', `${root}bench/runners/record-requires.cjs`, entry], { env: { ...process.env, RECORD_REQUIRES: file } });
        command = [process.execPath, `${root}bench/runners/vm-floor-cjs.cjs`, file, entry];
      } else {
        writeFileSync(file, graph.status === 0 ? graph.stdout : '{"modules":[{"key":"","kind":"unresolved","attributes":{},"imports":[]}]}');
        command = [process.execPath, ...FLAGS, `${root}bench/runners/vm-floor.mjs`, file];
      }
      floor = { command, file };
      floors.set(entry, floor);
    }
    return floor;
  };
  const contenders: Contender[] = [
    { name: `node ${process.versions.node}`, command: (e) => [process.execPath, e] },
    ...(n26 ? [{ name: `node ${n26.version.slice(1)} + compile cache`, command: (e: string) => [n26.bin, e], env: { NODE_COMPILE_CACHE: join(scratch, 'node-compile-cache') } }] : []),
    ...(denoRt ? [{ name: `deno ${denoRt.version.split(' ')[1]}`, command: (e: string) => [denoRt.bin, 'run', '--allow-all', '--quiet', e], env: { DENO_DIR: join(scratch, 'deno'), DENO_NO_UPDATE_CHECK: '1' } }] : []),
    ...(bunRt ? [{ name: `bun ${bunRt.version}`, command: (e: string) => [bunRt.bin, e], env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: join(scratch, 'bun') } }] : []),
    {
      // Cold: a first run of this program, with an empty cache directory of its own, but for the code
      // cache of canon's own command line (own/), which any earlier canon run on this machine wrote.
      name: 'canon cold',
      command: (e) => [process.execPath, ...FLAGS, cli, 'run', e],
      before: () => {
        coldDir = mkdtempSync(join(scratch, 'cold-'));
        const own = join(scratch, 'canon-warm', 'own');
        if (existsSync(own)) cpSync(own, join(coldDir, 'own'), { recursive: true });
        return { CANON_CACHE_DIR: coldDir };
      },
      after: () => rmSync(coldDir, { recursive: true, force: true }),
    },
    // Warm: the cache directory filled by the warm-up run.
    { name: 'canon warm', command: (e) => [process.execPath, ...FLAGS, cli, 'run', e], env: { CANON_CACHE_DIR: join(scratch, 'canon-warm') } },
    // The floors (bench/runners/vm-floor.mjs): read, compile, link and evaluate the resolved graph and
    // nothing else; with code caches filled by the warm-up run, the floor of any warm run.
    { name: 'vm floor', command: (e) => floorFor(e).command, notApplicable: 3 },
    { name: 'vm floor + code cache', command: (e) => [...floorFor(e).command, `${floorFor(e).file}.v8`], notApplicable: 3 },
  ];
  for (const s of skipped) process.stderr.write(`bench: skipped ${s}\n`);

  const rows: string[][] = [];
  const spread: string[][] = [];
  const out: unknown[] = [];
  for (const c of cases) {
    const times = contenders.map(() => [] as number[]);
    const failed = contenders.map(() => '');
    const timeOnce = (k: number): void => {
      const t = contenders[k]!;
      const extra = t.before?.() ?? {};
      const [bin, ...args] = t.command(c.entry);
      const start = performance.now();
      const r = spawnSync(bin!, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...t.env, ...extra } });
      const ms = performance.now() - start;
      t.after?.();
      if (r.status !== 0 && r.status === t.notApplicable) failed[k] ||= 'n/a';
      else if (r.status !== 0) failed[k] ||= `exit ${r.status}: ${(r.stderr || r.error?.message || '').trim().split('\n')[0]}`;
      else times[k]!.push(ms);
    };
    // One untimed run each: fills the file cache and every runtime's own cache.
    for (let k = 0; k < contenders.length; k++) timeOnce(k), times[k]!.length = 0;
    for (let i = 0; i < c.wholeRuns; i++) {
      process.stderr.write(`\r${c.name}, whole process: run ${i + 1} of ${c.wholeRuns}   `);
      for (let k = 0; k < contenders.length; k++) if (!failed[k]) timeOnce(k);
    }
    process.stderr.write('\n');
    const medians = times.map((t) => (t.length ? median(t) : NaN));
    const nodeMs = medians[0]!;
    const failedCell = (k: number): string => (failed[k] === 'n/a' ? 'n/a' : 'failed');
    rows.push([c.name, ...medians.map((m, k) => (failed[k] ? failedCell(k) : `${m.toFixed(0)} ms ${(nodeMs / m).toFixed(2)}x`))]);
    spread.push([c.name, ...times.map((t, k) => (failed[k] ? failedCell(k) : `${quantile(t, 0.25).toFixed(0)}-${quantile(t, 0.75).toFixed(0)}`))]);
    for (let k = 0; k < contenders.length; k++) if (failed[k] && failed[k] !== 'n/a') process.stderr.write(`bench: ${contenders[k]!.name} failed on ${c.name}: ${failed[k]}\n`);
    out.push({ name: c.name, runs: c.wholeRuns, runtimes: Object.fromEntries(contenders.map((t, k) => [t.name, failed[k] ? { failed: failed[k] } : { wallMs: times[k], medianMs: medians[k], ratioToNode: nodeMs / medians[k]! }])) });
  }
  rmSync(scratch, { recursive: true, force: true });
  const hasCache = existsSync(fileURLToPath(new URL('../ts-host/cache/', import.meta.url)));
  const header = ['graph', ...contenders.map((t) => (t.name === 'canon warm' && !hasCache ? 'canon warm (no cache yet)' : t.name))];
  printTable('Whole process, as a user runs it: median wall ms and node / this (above 1 is faster than node), interleaved runs', header, rows);
  printTable('Spread: 25th-75th percentile of the same runs (ms)', header, spread);
  process.stdout.write('canon warm reuses the cache directory filled by one earlier run (CANON_CACHE_DIR); canon cold starts each run with an empty one.\n');
  process.stdout.write('vm floor: what is left of a run when resolution and analysis cost nothing: the graph, resolved beforehand, read, compiled\n(vm.SourceTextModule, or vm.compileFunction for a CommonJS program, its requires answered from a recorded node run), linked and run\n(bench/runners/vm-floor*.{mjs,cjs}). + code cache: the same with V8 code caches from an earlier run. n/a: a mixed graph (no floor runner).\n');
  if (!hasCache) process.stdout.write('This build of canon has no persistent cache (ts-host/cache): canon warm is canon cold run again.\n');
  for (const s of skipped) process.stdout.write(`skipped: ${s}\n`);
  return { contenders: contenders.map((t) => t.name), canonHasCache: hasCache, skipped, graphs: out };
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.round(q * (s.length - 1))]! : NaN;
}
