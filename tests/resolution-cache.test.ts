// Resolutions kept across runs (ts-host/resolve/persisted-resolutions.ts):
// a warm `canon run` answers require() and bare imports from the cache, and
// every change that changes Node's answer (a file that now shadows, an
// edited "main", a node_modules created nearer, a package removed) is seen:
// after each change canon's output is native node's. Also: rows whose paths
// changed in the last two seconds are not kept, a corrupted record counts as
// empty, and a program that registers an extension is not answered from it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const scratch = mkdtempSync(join(tmpdir(), 'canon-resolutions-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

/** Waits out the two seconds within which a changed path's rows are not kept. */
function settle(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2100);
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  kept: number;
  resolved: number;
  outdated: number;
}

function canon(entry: string, cacheDir: string): Run {
  const r = spawnSync(process.execPath, [...FLAGS, cli, 'run', entry], { encoding: 'utf8', env: { ...process.env, CANON_CACHE_DEBUG: '1', CANON_CACHE_DIR: cacheDir } });
  const m = /canon cache: resolutions (\d+) kept, (\d+) resolved \((\d+) out of date\)/.exec(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, kept: Number(m?.[1] ?? 0), resolved: Number(m?.[2] ?? 0), outdated: Number(m?.[3] ?? 0) };
}

function node(entry: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [entry], { encoding: 'utf8' });
}

/** canon's output is node's (and both succeed, or both fail with the same error message). */
function sameAsNode(entry: string, cacheDir: string): Run {
  const c = canon(entry, cacheDir);
  const n = node(entry);
  assert.equal(c.status, n.status, `exit status: canon ${c.stderr}\nnode ${n.stderr}`);
  if (n.status === 0) assert.equal(c.stdout, n.stdout);
  else assert.equal(/^\w*Error: .*$/m.exec(c.stderr)?.[0], /^\w*Error: .*$/m.exec(n.stderr)?.[0], c.stderr);
  return c;
}

const project = join(scratch, 'project');
write(project, {
  'main.cjs': [
    "const lib = require('./lib');",
    "const pkg = require('pkg');",
    "const q = require('@s/q');",
    "const sub = require('./src/use.cjs');",
    'console.log(lib.name, pkg.name, q.name, sub.name);',
  ].join('\n'),
  'main.mjs': "import pkg from 'pkg';\nimport q from '@s/q';\nconsole.log(pkg.name, q.name);\n",
  'lib/index.js': "module.exports = { name: 'lib/index.js' };",
  'src/use.cjs': "module.exports = { name: 'src sees ' + require('pkg').name };",
  'node_modules/pkg/package.json': '{ "name": "pkg", "main": "a.js" }',
  'node_modules/pkg/a.js': "module.exports = { name: 'pkg/a.js' };",
  'node_modules/pkg/b.js': "module.exports = { name: 'pkg/b.js' };",
  'node_modules/@s/q/package.json': '{ "name": "@s/q", "exports": { "require": "./q.cjs", "import": "./q.mjs" } }',
  'node_modules/@s/q/q.cjs': "module.exports = { name: '@s/q required' };",
  'node_modules/@s/q/q.mjs': "export default { name: '@s/q imported' };",
});
settle();

test('a warm run answers from kept resolutions; every change Node would see is seen', () => {
  const cache = join(scratch, 'cache-changes');
  const main = join(project, 'main.cjs');

  const cold = sameAsNode(main, cache);
  assert.equal(cold.kept, 0);
  assert.ok(cold.resolved >= 5, cold.stderr);
  const warm = sameAsNode(main, cache);
  assert.equal(warm.resolved, 0, warm.stderr);
  assert.equal(warm.kept, cold.resolved);

  // A file that now comes first in Node's order: ./lib is lib.js, not lib/index.js.
  write(project, { 'lib.js': "module.exports = { name: 'lib.js' };" });
  const shadowed = sameAsNode(main, cache);
  assert.match(shadowed.stdout, /^lib\.js /);
  assert.ok(shadowed.outdated >= 1, shadowed.stderr);

  // An edited "main".
  write(project, { 'node_modules/pkg/package.json': '{ "name": "pkg", "main": "b.js" }' });
  assert.match(sameAsNode(main, cache).stdout, /pkg\/b\.js .*src sees pkg\/b\.js/);

  // A node_modules created nearer to one referrer: src/ now finds its own pkg.
  write(project, { 'src/node_modules/pkg/index.js': "module.exports = { name: 'src pkg' };" });
  assert.match(sameAsNode(main, cache).stdout, /src sees src pkg\n$/);

  // A package removed: node's MODULE_NOT_FOUND, not the kept answer.
  renameSync(join(project, 'node_modules/@s/q'), join(project, 'q-moved'));
  const missing = sameAsNode(main, cache);
  assert.notEqual(missing.status, 0);
  renameSync(join(project, 'q-moved'), join(project, 'node_modules/@s/q'));
  sameAsNode(main, cache);
});

test('rows whose paths changed in the last two seconds are not kept; once settled they are', () => {
  const dir = join(scratch, 'fresh');
  write(dir, { 'main.cjs': "console.log(require('./dep').v);", 'dep.js': 'module.exports = { v: 1 };' });
  const cache = join(scratch, 'cache-fresh');
  const main = join(dir, 'main.cjs');
  assert.equal(sameAsNode(main, cache).kept, 0);
  // Just written: the directory's times are too recent to trust a later same-tick change to show.
  const again = sameAsNode(main, cache);
  assert.equal(again.kept, 0);
  assert.equal(again.resolved, 1);
  settle();
  sameAsNode(main, cache);
  assert.equal(sameAsNode(main, cache).kept, 1);
});

test('import of bare specifiers is kept too, under the import conditions', () => {
  const cache = join(scratch, 'cache-import');
  const main = join(project, 'main.mjs');
  const cold = sameAsNode(main, cache);
  assert.match(cold.stdout, /@s\/q imported/);
  const warm = sameAsNode(main, cache);
  assert.equal(warm.resolved, 0);
  assert.equal(warm.kept, 2);
});

test('a corrupted resolution record counts as empty: resolved again, the same output', () => {
  const cache = join(scratch, 'cache-corrupt');
  const main = join(project, 'main.cjs');
  sameAsNode(main, cache);
  assert.ok(sameAsNode(main, cache).kept > 0);
  // The record is the pack's JSON text: flip one byte of it.
  for (const name of readdirSync(join(cache, 'packs'))) {
    const file = join(cache, 'packs', name);
    const bytes = readFileSync(file);
    const at = bytes.indexOf('"rows"');
    if (at < 0) continue;
    bytes[at + 10] ^= 0x20;
    writeFileSync(file, bytes);
  }
  const run = sameAsNode(main, cache);
  assert.equal(run.kept, 0, run.stderr);
  assert.ok(run.resolved > 0);
});

test('a program that registers an extension is not answered from kept resolutions', () => {
  const dir = join(scratch, 'extensions');
  write(dir, {
    // './note' is note.txt only once .txt is registered (compiled as JavaScript, by both).
    'main.cjs': "require.extensions['.txt'] = require.extensions['.js'];\nconsole.log(require('./note'), require('./dep').v);",
    'note.txt': "module.exports = 'from note.txt';",
    'dep.js': 'module.exports = { v: 2 };',
  });
  settle();
  const cache = join(scratch, 'cache-extensions');
  const main = join(dir, 'main.cjs');
  sameAsNode(main, cache);
  const warm = sameAsNode(main, cache);
  assert.equal(warm.stdout, 'from note.txt 2\n');
  assert.equal(warm.kept, 0);
});
