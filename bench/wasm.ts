// Wasm ESM integration benchmark: a chain of 200 small Wasm modules, each
// importing a function from the next (the last one from a JS module), loaded
// cold (a new process per run) from a JS entry that calls the head of the
// chain. canon on Node 26 is compared with Node 26's native Wasm ESM
// integration (same engine: the ratio compares loaders); canon on the Node
// running this script is reported too. Each runner times only the import
// (bench/runners), so process start-up is left out; whole-process times are
// printed as well. Figures are medians of interleaved runs (the machine is
// noisy); the ratio is native / canon (above 1: canon is faster).
//
//   node dist/bench/wasm.js [--quick] [--modules=N]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { leb, name, section } from '../ts-host/wasm/encode.js';
import { node26 } from './runtimes.js';
import { printTable, writeResults } from './stats.js';

const quick = process.argv.includes('--quick');
const modules = Number(/^--modules=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--modules=')) ?? '')?.[1] ?? 200);
const runs = quick ? 3 : 11;
const root = fileURLToPath(new URL('../../', import.meta.url));
const canonRunner = fileURLToPath(new URL('./runners/canon.js', import.meta.url));
const nativeRunner = `${root}bench/runners/native.mjs`;
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

// ---- the chain: m0.wasm -> m1.wasm -> ... -> m199.wasm -> leaf.mjs ----------

/** (module (import "<from>" "f" (func (result i32))) (func (export "f") (result i32) (i32.add (call 0) (i32.const 1)))) */
function chainLink(from: string): Uint8Array {
  const body = [0x00, 0x10, 0x00, 0x41, 0x01, 0x6a, 0x0b]; // no locals; call 0; i32.const 1; i32.add; end
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0x00, 0x01, 0x7f]), // one type: () -> i32
    ...section(2, [1, ...name(from), ...name('f'), 0x00, 0x00]), // import "from" "f" (func (type 0))
    ...section(3, [1, 0x00]), // one function of type 0
    ...section(7, [1, ...name('f'), 0x00, 0x01]), // export "f" (func 1)
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

function generateChain(n: number): string {
  const dir = `${root}bench/.graphs/wasm-chain-${n}/`;
  const entry = `${dir}main.mjs`;
  if (existsSync(entry)) return entry;
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(`${dir}m${i}.wasm`, chainLink(i + 1 < n ? `./m${i + 1}.wasm` : './leaf.mjs'));
  writeFileSync(`${dir}leaf.mjs`, 'export function f() {\n  return 0;\n}\n');
  writeFileSync(entry, `import { f } from './m0.wasm';\nif (f() !== ${n}) throw new Error('the chain returned ' + f());\n`);
  return entry;
}

// ---- runs -----------------------------------------------------------------------

interface Run {
  /** Time of the import alone, as the runner measured it. */
  ms: number;
  /** The whole process. */
  wallMs: number;
}

function once(node: string, args: string[]): Run {
  const start = performance.now();
  const r = spawnSync(node, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`${node} ${args.join(' ')} failed:\n${r.stderr}`);
  return { ms: (JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number }).ms, wallMs };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

// Node 26 is installed on demand (bench/runtimes.ts); without it this benchmark is skipped.
const installed = node26();
if (typeof installed === 'string') {
  process.stdout.write(`\nbench:wasm skipped: ${installed}\n`);
  process.exit(0);
}
const entry = generateChain(modules);
const hostIs26 = process.versions.node.startsWith('26.');
const series: Record<string, { node: string; args: string[]; runs: Run[] }> = {
  'Node 26 native': { node: installed.bin, args: [nativeRunner, entry], runs: [] },
  'canon on Node 26': { node: installed.bin, args: [...FLAGS, canonRunner, entry], runs: [] },
  ...(hostIs26 ? {} : { [`canon on Node ${process.versions.node}`]: { node: process.execPath, args: [...FLAGS, canonRunner, entry], runs: [] } }),
};
// One warm-up of each (file cache), then interleaved runs.
for (const s of Object.values(series)) once(s.node, s.args);
for (let i = 0; i < runs; i++) {
  process.stderr.write(`\rwasm chain of ${modules}: run ${i + 1} of ${runs}   `);
  for (const s of Object.values(series)) s.runs.push(once(s.node, s.args));
}
process.stderr.write('\n');

const nativeMs = median(series['Node 26 native']!.runs.map((r) => r.ms));
const nativeWall = median(series['Node 26 native']!.runs.map((r) => r.wallMs));
const rows = Object.entries(series).map(([name, s]) => {
  const ms = median(s.runs.map((r) => r.ms));
  const wall = median(s.runs.map((r) => r.wallMs));
  return [name, ms.toFixed(1), ((ms * 1000) / modules).toFixed(1), `${(nativeMs / ms).toFixed(2)}x`, wall.toFixed(0), `${(nativeWall / wall).toFixed(2)}x`];
});
printTable(
  `Cold load of a chain of ${modules} Wasm modules (medians of ${runs} runs; ratio = Node 26 native / this, above 1 is faster than native)`,
  ['loader', 'import ms', 'µs/module', 'import ratio', 'wall ms', 'wall ratio'],
  rows,
);
const file = writeResults('wasm', {
  modules,
  runs,
  host: process.versions.node,
  series: Object.fromEntries(Object.entries(series).map(([name, s]) => [name, { importMs: s.runs.map((r) => r.ms), wallMs: s.runs.map((r) => r.wallMs) }])),
  medians: Object.fromEntries(Object.entries(series).map(([name, s]) => [name, { importMs: median(s.runs.map((r) => r.ms)), wallMs: median(s.runs.map((r) => r.wallMs)) }])),
  ratio: nativeMs / median(series['canon on Node 26']!.runs.map((r) => r.ms)),
});
process.stdout.write(`\nresults: ${file}\n`);
