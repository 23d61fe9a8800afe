// The runnable examples of README sections (examples/): each runs and
// prints what its section says; the hot-reload example reloads a changed
// module under canon run --watch.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../ts-host/cli.cjs', import.meta.url));
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const node = (file: string, ...args: string[]) => spawnSync(process.execPath, [...FLAGS, join(root, file), ...args], { encoding: 'utf8', cwd: root });

test('examples/compartments: a compartment and a ModuleInstance that virtualise node:fs', () => {
  const r = node('examples/compartments/main.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, [
    'in the compartment, the plugin read: mode=sandboxed',
    'as a ModuleInstance, it read: mode=sandboxed',
    'import(source) in the compartment gives its canonical instance: true',
    'the ModuleInstance is another instance: true',
    'entries of the registry: plugin.mjs, fake-fs.mjs, plugin.mjs (non-canonical)',
    '',
  ].join('\n'));
});

test('examples/realms: a registry in a vm.Context, with the realm\'s own ModuleSource', () => {
  const r = node('examples/realms/main.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, [
    "the widget saw the realm's globals: answer = 42",
    "its array is the realm's: true / Node's: false",
    "its source is the realm's ModuleSource: true / Node's realm's: false",
    "import(source) of a source from Node's realm: TypeError",
    "with crossRealmSources: 'copy': a copy, imported",
    '',
  ].join('\n'));
});

test('examples/workers: a worker started from a module source, with the parent\'s import map', () => {
  const r = node('examples/workers/main.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'from the worker: 42\n');
});

test('examples/hot-reload under canon run --watch: a changed greeting reaches the running program', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'canon-example-hot-'));
  try {
    cpSync(join(root, 'examples/hot-reload'), dir, { recursive: true });
    const child = spawn(process.execPath, [...FLAGS, bin, 'run', '--watch', join(dir, 'main.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const seen = async (text: string) => {
      for (let i = 0; i < 40 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
      return out.includes(text);
    };
    try {
      assert.ok(await seen('hello from the first version'), out);
      // The supervisor watches the file once the program has reported it: write until the change shows.
      for (let attempt = 0; attempt < 15 && !(await seen('hello from the second version')); attempt++) {
        writeFileSync(join(dir, 'greeting.mjs'), "export const greeting = 'hello from the second version';\n");
      }
      assert.ok(out.includes('hello from the second version'), out);
      assert.ok(out.includes('canon: hot update: '), out);
      assert.ok(!out.includes('restarting'), 'applied without a restart');
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('examples/typescript-hook: TypeScript through a require hook (esbuild) under canon run, as under node', () => {
  const entry = join(root, 'examples/typescript-hook/main.cjs');
  const viaCanon = spawnSync(process.execPath, [...FLAGS, bin, 'run', entry], { encoding: 'utf8', cwd: root });
  const viaNode = spawnSync(process.execPath, [entry], { encoding: 'utf8', cwd: root });
  assert.equal(viaCanon.status, 0, viaCanon.stderr);
  assert.equal(viaCanon.stdout, 'a point at (3, 4), 5 from the origin\nloaded through the hook: src/shapes.ts, src/numbers.ts\n');
  assert.equal(viaCanon.stdout, viaNode.stdout);
});
