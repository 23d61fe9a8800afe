// npm run bench:cache: whole-process `canon run` timings with the persistent
// cache off, cold (an empty cache directory, which the run fills) and warm
// (filled by one earlier run), on the 10,000-module generated graph and on
// lodash-es. Runs are interleaved (off, cold, warm, ...) and reported as
// medians with the spread; ratios are against canon cold in the same run.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateGraph } from './generate.js';
import { printTable, writeResults } from './stats.js';

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../ts-host/cli.cjs', import.meta.url));
const cpuAtExit = pathToFileURL(`${root}bench/runners/cpu-at-exit.mjs`).href;
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', `--import=${cpuAtExit}`];

interface Timing {
  wall: number;
  cpu: number;
}

function once(args: string[], env: NodeJS.ProcessEnv): Timing {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  const wall = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  return { wall, cpu: Number(/cpu-ms ([\d.]+)\s*$/.exec(r.stderr)?.[1] ?? NaN) };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (values: number[]) => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;

const cases = [
  { name: '10,000 generated', entry: generateGraph(`${root}bench/.graphs/g10000`, 10000), runs: quick ? 5 : 11 },
  { name: 'lodash-es', entry: `${root}node_modules/lodash-es/lodash.js`, runs: quick ? 7 : 21 },
];

const scratch = mkdtempSync(join(tmpdir(), 'canon-bench-cache-'));
const rows: string[][] = [];
const results: unknown[] = [];
try {
  for (const c of cases) {
    const warmDir = join(scratch, 'warm');
    const coldDir = join(scratch, 'cold');
    rmSync(warmDir, { recursive: true, force: true });
    once([...FLAGS, cli, 'run', c.entry], { CANON_CACHE_DIR: warmDir }); // fills the warm cache
    const t = { node: [] as Timing[], off: [] as Timing[], cold: [] as Timing[], warm: [] as Timing[] };
    for (let i = 0; i < c.runs; i++) {
      process.stderr.write(`\r${c.name}: run ${i + 1} of ${c.runs}   `);
      t.node.push(once([`--import=${cpuAtExit}`, c.entry], {}));
      t.off.push(once([...FLAGS, cli, 'run', '--no-cache', c.entry], {}));
      rmSync(coldDir, { recursive: true, force: true });
      // A first run of this program, not of canon: the code cache of canon's own command line stays.
      cpSync(join(warmDir, 'own'), join(coldDir, 'own'), { recursive: true });
      t.cold.push(once([...FLAGS, cli, 'run', c.entry], { CANON_CACHE_DIR: coldDir }));
      t.warm.push(once([...FLAGS, cli, 'run', c.entry], { CANON_CACHE_DIR: warmDir }));
    }
    process.stderr.write('\n');
    for (const measure of ['wall', 'cpu'] as const) {
      const v = (k: keyof typeof t) => t[k].map((x) => x[measure]);
      const m = { node: median(v('node')), off: median(v('off')), cold: median(v('cold')), warm: median(v('warm')) };
      rows.push([
        c.name, measure,
        m.node.toFixed(0), `${m.off.toFixed(0)} (${spread(v('off'))})`, `${m.cold.toFixed(0)} (${spread(v('cold'))})`, `${m.warm.toFixed(0)} (${spread(v('warm'))})`,
        `${(m.cold / m.off).toFixed(3)}`, `${(m.cold / m.warm).toFixed(2)}x`, `${(m.node / m.warm).toFixed(2)}x`,
      ]);
    }
    results.push({ name: c.name, runs: c.runs, ...Object.fromEntries(Object.entries(t).map(([k, list]) => [k, { wallMs: list.map((x) => x.wall), cpuMs: list.map((x) => x.cpu) }])) });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

printTable(
  'Whole process, ms (median, min-max), wall and CPU (user + system): node, canon run --no-cache, canon cold (empty cache, filled by the run), canon warm',
  ['graph', 'time', 'node', 'canon off', 'canon cold', 'canon warm', 'cold/off', 'warm vs cold', 'warm vs node'],
  rows,
);
writeResults('cache', { node: process.version, v8: process.versions.v8, results });
