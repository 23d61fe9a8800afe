// The CLI: help, errors with one clear line and a non-zero exit, the demo.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('--help prints usage and exits 0', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^canon: /);
  assert.match(r.stdout, /Usage:/);
});

test('no command, an unknown command, a missing file: one line on stderr, exit 1', () => {
  for (const [args, message] of [
    [[], /no command given/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['hash', '/nonexistent/file.js'], /ENOENT.*\/nonexistent\/file\.js/],
    [['demo', '--seed', 'x'], /--seed must be an integer/],
  ] as const) {
    const r = run(...args);
    assert.equal(r.status, 1, String(args));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
  }
});

test('hash prints the same XXH3-128 for the same file with a fixed seed', () => {
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  const a = run('hash', '--seed', '5', file);
  const b = run('hash', '--seed', '5', file);
  assert.equal(a.status, 0);
  assert.match(a.stdout, /^[0-9a-f]{32} {2}.*package\.json\n$/);
  assert.equal(a.stdout, b.stdout);
});

const app = fileURLToPath(new URL('../../examples/app/main.js', import.meta.url));

test('run: the example app (npm start) runs and prints the registry; re-executes itself with the vm flag', () => {
  const r = run('run', '--registry', app);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no experimental-feature warning leaks through');
  assert.match(r.stdout, /isEven\(10\) through a cycle of two modules: true/);
  assert.match(r.stdout, /hello, module graphs/);
  assert.match(r.stdout, /from CommonJS: 3 modules, and its require\(\) of an ES module gives the same function: true/);
  assert.match(r.stdout, /The registry holds 7 entries:/);
  assert.match(r.stdout, /evaluated +cjs +[0-9a-f]{12} +\.\/examples\/app\/units\.cjs/);
  assert.match(r.stdout, /evaluated {2}json {2}[0-9a-f]{12} {2}\.\/examples\/app\/config\.json \{"type":"json"\}|evaluated +json +[0-9a-f]{12} +.*config\.json \{"type":"json"\}/);
});

test('run: a missing entry is one line naming it; a failing import shows the import in a code frame; exit 1', () => {
  const missing = run('run', '/nonexistent/entry.js');
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/nonexistent/entry.js'\n");
  const bare = fileURLToPath(new URL('../../tests/fixtures/cli/bare.mjs', import.meta.url));
  const unmapped = run('run', bare);
  assert.equal(unmapped.status, 1);
  const lines = unmapped.stderr.split('\n');
  assert.equal(lines[0], `${pathToFileURL(bare).href}:1`);
  assert.equal(lines[1], "> 1 | import name from 'some-package';");
  assert.equal(lines[2], '    |                  ^^^^^^^^^^^^^^', 'the caret under the specifier');
  assert.match(unmapped.stderr, /^Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'some-package' imported from .*bare\.mjs$/m);
});

test('run --import-map: bare specifiers map through the file, relative to it', () => {
  const dir = new URL('../../tests/fixtures/cli/', import.meta.url);
  const r = run('run', '--import-map', fileURLToPath(new URL('importmap.json', dir)), fileURLToPath(new URL('bare.mjs', dir)));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'mapped: some-package\n');
  const bad = run('run', '--import-map', '/nonexistent.json', fileURLToPath(new URL('bare.mjs', dir)));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /cannot read the import map/);
});

test('graph: the static graph as JSON (nothing evaluated) and as dot', () => {
  const r = run('graph', app);
  assert.equal(r.status, 0, r.stderr);
  const graph = JSON.parse(r.stdout) as { root: string; modules: { key: string; kind: string; hash: string; imports: { specifier: string; attributes: object }[] }[] };
  assert.ok(graph.root.endsWith('/examples/app/main.js'));
  assert.deepEqual(graph.modules.map((m) => m.key.split('/').pop()), ['main.js', 'config.json', 'even.js', 'describe.js', 'units.cjs', 'odd.js'], 'lazy.js is only imported dynamically');
  assert.ok(graph.modules.every((m) => /^[0-9a-f]{32}$/.test(m.hash)));
  assert.deepEqual(graph.modules[0]!.imports.map((i) => i.specifier), ['./config.json', './even.js', './describe.js', './units.cjs']);
  assert.deepEqual(graph.modules[0]!.imports[0]!.attributes, { type: 'json' });
  assert.doesNotMatch(r.stdout, /isEven/, 'nothing was evaluated');
  const dot = run('graph', app, '--format', 'dot');
  assert.equal(dot.status, 0, dot.stderr);
  assert.match(dot.stdout, /^digraph canon \{/);
  assert.match(dot.stdout, /m2 -> m5;/);
  assert.equal(run('graph', app, '--format', 'svg').status, 1);
});

test('analyze: the source analysis as JSON', () => {
  const r = run('analyze', app);
  assert.equal(r.status, 0, r.stderr);
  const analysis = JSON.parse(r.stdout) as { kind: string; imports: unknown[]; importMeta: boolean; hasTopLevelAwait: boolean };
  assert.equal(analysis.kind, 'ModuleSource');
  assert.equal(analysis.imports.length, 4);
  assert.equal(analysis.importMeta, true);
  assert.equal(analysis.hasTopLevelAwait, true);
});

test('demo interns keys and shows the registry tables', () => {
  const r = run('demo', '--seed', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /intern file:\/\/\/app\/main\.js again -> id 0/);
  assert.match(r.stdout, /registry holds 3 entries/);
});

test('examples/core-usage.mjs runs against the package exports', () => {
  const example = fileURLToPath(new URL('../../examples/core-usage.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [example], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /main\.js id: 0 \| again: 0/);
  assert.match(r.stdout, /specifier ids: \[ 1, 2 \]/);
  assert.match(r.stdout, /entry for main\.js: 0/);
});

test('<command> --help prints that command\'s usage; after run\'s entry, --help is the program\'s', () => {
  for (const command of ['run', 'graph', 'importmap', 'cache', 'analyze', 'hash', 'demo']) {
    const r = run(command, '--help');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Usage: canon ${command}`), command);
  }
  const dir = mkdtempSync(join(tmpdir(), 'canon-cli-help-'));
  writeFileSync(join(dir, 'argv.cjs'), 'console.log(JSON.stringify(process.argv.slice(2)));');
  const r = run('run', join(dir, 'argv.cjs'), '--help', '-x');
  assert.equal(r.stdout, '["--help","-x"]\n', r.stderr);
  rmSync(dir, { recursive: true, force: true });
});
