// Runs jobs in child processes, a fresh process per job, `parallel` at a
// time, each killed after `timeoutMs`. A child that dies or times out without
// writing its result line fails with what it printed last.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX, type Job, type JobResult } from './job.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface Column {
  /** e.g. "canon on Node 20.20.2" */
  label: string;
  runner: Job['runner'];
  node: string;
  /** Node's flags for this runner on this Node. */
  flags: string[];
}

export interface PoolOptions {
  parallel: number;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  onDone?: (done: number, total: number) => void;
}

function runOne(job: Job, column: Column, options: PoolOptions): Promise<JobResult> {
  return new Promise((resolve) => {
    const child = spawn(column.node, [...column.flags, CHILD, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'], env: options.env,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (err.length < 4000) err += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, options.timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as JobResult);
      const why = timedOut ? `timeout after ${options.timeoutMs} ms` : `the child exited (${signal ?? code}) without a result`;
      const tail = err.trim().split('\n').slice(-3).join(' | ');
      resolve({ results: [{ name: job.mode, pass: false, message: tail ? `${why}: ${tail}` : why }] });
    });
  });
}

/** Runs every (job, column) pair; results[i][c] is job i's result in column c. */
export async function runAll(jobs: Job[], columns: Column[], options: PoolOptions): Promise<JobResult[][]> {
  const results: JobResult[][] = jobs.map(() => []);
  const work: [number, number][] = [];
  for (let c = 0; c < columns.length; c++) for (let i = 0; i < jobs.length; i++) work.push([i, c]);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < work.length) {
      const [i, c] = work[next++]!;
      const column = columns[c]!;
      results[i]![c] = await runOne({ ...jobs[i]!, runner: column.runner }, column, options);
      options.onDone?.(++done, work.length);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.parallel) }, worker));
  return results;
}
