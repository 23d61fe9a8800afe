// Finds the tests to run in the suites' directories: test262 `.js` files
// (not `_FIXTURE` files, which tests import) under the directories the
// module proposals touch, and WPT `.any.js` files of the esm-integration tests.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readFrontmatter, modesOf } from './frontmatter.js';
import type { Job } from './job.js';

/** test262's directories for module loading and the module proposals. */
export const TEST262_DIRS = [
  'test/language/module-code',
  'test/language/import',
  'test/language/expressions/dynamic-import',
  'test/language/expressions/import.meta',
  'test/built-ins/AbstractModuleSource',
  'test/staging/source-phase-imports',
];

/** Where the esm-integration tests are in the WebAssembly/esm-integration repository and in WPT. */
const WPT_DIRS = ['test/js-api/esm-integration', 'wasm/jsapi/esm-integration', '.'];

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** A discovered test: its jobs (one per mode) and the path reports use. */
export interface TestCase {
  suite: Job['suite'];
  /** Path relative to the suite root. */
  id: string;
  /** 'module' or 'script' for test262, 'wpt' for WPT. */
  kind: 'module' | 'script' | 'wpt';
  jobs: Job[];
}

export function discoverTest262(root: string, filter: string | undefined): TestCase[] {
  if (!existsSync(join(root, 'harness', 'assert.js'))) throw new Error(`--test262 ${root}: not a test262 checkout (no harness/assert.js)`);
  const cases: TestCase[] = [];
  for (const dir of TEST262_DIRS) {
    const full = join(root, dir);
    if (!existsSync(full)) continue;
    for (const file of walk(full, [])) {
      if (!file.endsWith('.js') || file.includes('_FIXTURE')) continue;
      const id = relative(root, file);
      if (filter && !id.includes(filter)) continue;
      const meta = readFrontmatter(readFileSync(file, 'utf8'));
      cases.push({
        suite: 'test262', id, kind: meta.flags.has('module') ? 'module' : 'script',
        jobs: modesOf(meta).map((mode) => ({ suite: 'test262', file, mode, runner: 'canon', harnessDir: join(root, 'harness') })),
      });
    }
  }
  return cases;
}

export function discoverWpt(root: string, filter: string | undefined): { dir: string; cases: TestCase[] } {
  const dir = WPT_DIRS.map((d) => join(root, d)).find((d) => existsSync(d) && readdirSync(d).some((f) => f.endsWith('.any.js')));
  if (!dir) throw new Error(`--wpt ${root}: no esm-integration tests (*.any.js) in ${WPT_DIRS.join(', ')}`);
  const cases: TestCase[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.any.js')) continue;
    const id = relative(root, join(dir, name));
    if (filter && !id.includes(filter)) continue;
    cases.push({ suite: 'wpt', id, kind: 'wpt', jobs: [{ suite: 'wpt', file: join(dir, name), mode: 'script', runner: 'canon' }] });
  }
  return { dir, cases };
}
