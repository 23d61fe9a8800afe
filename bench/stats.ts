// Shared helpers for the benchmark suites: run benchmark.js cases, take
// medians, print a table and write JSON.

import Benchmark from 'benchmark';
import { mkdirSync, writeFileSync } from 'node:fs';

export interface CaseResult {
  group: string;
  name: string;
  /** Median seconds per operation over benchmark.js's samples. */
  medianSeconds: number;
  /** Relative margin of error reported by benchmark.js (percent). */
  rme: number;
  samples: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs each case of a group in one benchmark.js suite; reports progress on stderr. */
export function runGroup(group: string, cases: Record<string, () => void>, options: Benchmark.Options = {}): CaseResult[] {
  const suite = new Benchmark.Suite(group);
  for (const [name, fn] of Object.entries(cases)) {
    suite.add(name, fn, { minSamples: 15, maxTime: 2, ...options });
  }
  const results: CaseResult[] = [];
  suite.on('cycle', (event: Benchmark.Event) => {
    const b = event.target as unknown as Benchmark & { error?: Error };
    if (b.error) throw b.error;
    const result = {
      group,
      name: String(b.name),
      medianSeconds: median(b.stats.sample),
      rme: b.stats.rme,
      samples: b.stats.sample.length,
    };
    results.push(result);
    process.stderr.write(`  ${group} / ${result.name}: ${formatTime(result.medianSeconds)} per op (±${result.rme.toFixed(1)}%)\n`);
  });
  suite.run({ async: false });
  return results;
}

export function formatTime(seconds: number): string {
  if (seconds < 1e-6) return `${(seconds * 1e9).toFixed(1)} ns`;
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(2)} µs`;
  return `${(seconds * 1e3).toFixed(2)} ms`;
}

/** Prints rows as an aligned text table. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(line(row) + '\n');
}

/** Writes the results as JSON under bench/results/ and returns the path. */
export function writeResults(name: string, data: unknown): string {
  const dir = new URL('../../bench/results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file.pathname;
}
