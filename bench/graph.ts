// npm run bench:graph: cold loads of module graphs, canon vs Node's native
// loader, each run in a new process. Graphs: 1,000 and 10,000 generated
// modules, and lodash-es (a real package of ~640 modules). Each runner times
// only the import (both loaders' own code is already loaded), so the ratio
// compares loaders, not process start-up; whole-process times are printed too.
// Figures are medians of several runs, interleaved; the machine is noisy.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { STAGES } from '../ts-host/loader/profile.js';
import { generateGraph } from './generate.js';
import { printTable, writeResults } from './stats.js';

const quick = process.argv.includes('--quick');
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

const cases = [
  { name: '1,000 generated', entry: generateGraph(`${root}bench/.graphs/g1000`, 1000), modules: 1000, runs: quick ? 3 : 9 },
  ...(quick ? [] : [{ name: '10,000 generated', entry: generateGraph(`${root}bench/.graphs/g10000`, 10000), modules: 10000, runs: 7 }]),
  { name: 'lodash-es', entry: `${root}node_modules/lodash-es/lodash.js`, modules: 0, runs: quick ? 3 : 15 },
];

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
  rows.push([
    c.name, String(modules),
    per1000(nativeMs).toFixed(1), per1000(canonMs).toFixed(1), `${(nativeMs / canonMs).toFixed(2)}x`,
    nativeWall.toFixed(0), canonWall.toFixed(0), `${(nativeWall / canonWall).toFixed(2)}x`,
  ]);
  const stages = Object.fromEntries(STAGES.map((s) => [s, median(profiled.map((r) => r.stages![s]!))]));
  const accounted = Object.values(stages).reduce((a, b) => a + b, 0);
  const profiledMs = median(profiled.map((r) => r.ms));
  stageRows.push([c.name, ...STAGES.map((s) => stages[s]!.toFixed(1)), (profiledMs - accounted).toFixed(1), profiledMs.toFixed(1)]);
  results.push({ name: c.name, modules, runs: c.runs, canonMs: canon.map((r) => r.ms), nativeMs: native.map((r) => r.ms), canonWallMs: canon.map((r) => r.wallMs), nativeWallMs: native.map((r) => r.wallMs), stages });
}

printTable(
  `Cold graph loads on Node ${process.versions.node}, medians (ratio = native / canon; higher means canon is faster)`,
  ['graph', 'modules', 'native ms/1k', 'canon ms/1k', 'import ratio', 'native wall ms', 'canon wall ms', 'wall ratio'],
  rows,
);
printTable('Where canon\'s import time goes (median ms of 3 profiled runs; "other": the walk, bookkeeping, GC)', ['graph', ...STAGES, 'other', 'total'], stageRows);
process.stdout.write(`\nwritten: ${writeResults('graph', { date: new Date().toISOString(), node: process.version, results })}\n`);
