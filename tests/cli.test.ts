// The CLI: help, errors with one clear line and a non-zero exit, the demo.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
