// One unit of work for a child process: a test file, how to run it, and
// through what (canon's Registry or the running Node's own loader).

import type { Test262Mode } from './frontmatter.js';

export type Runner = 'canon' | 'native';

export interface Job {
  suite: 'test262' | 'wpt';
  /** Absolute path of the test file. */
  file: string;
  /** test262: module, strict or sloppy; WPT: always 'script'. */
  mode: Test262Mode | 'script';
  runner: Runner;
  /** test262's harness/ directory (test262 jobs only). */
  harnessDir?: string;
}

/** A finished job: one result for a test262 run, one per subtest for WPT. */
export interface JobResult {
  results: { name: string; pass: boolean; message?: string }[];
}

/** The line a child writes its result on, after whatever the test printed. */
export const RESULT_PREFIX = '@@conformance-result ';
