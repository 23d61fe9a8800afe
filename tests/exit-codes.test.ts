// The exit codes the README lists, one test each: for `canon run`, the
// program's outcome gives node's code (the same program run by both); for
// the other commands, usage errors exit 9 (node's code for bad options), a
// failed command 1, and a pipe closed early (`| head -1`) ends them quietly.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
// The flags the bin's shebang line gives Node, so canon runs in the process spawned here.
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

const dir = mkdtempSync(join(tmpdir(), 'canon-exit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function program(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

const node = (...args: string[]) => spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
const canon = (...args: string[]) => spawnSync(process.execPath, [...FLAGS, cli, ...args], { cwd: dir, encoding: 'utf8' });

/** `canon run file` and `node file`: the same exit status and signal. */
function sameAsNode(file: string): { status: number | null; signal: NodeJS.Signals | null; stderr: string } {
  const native = node(file);
  const ours = canon('run', file);
  assert.deepEqual([ours.status, ours.signal], [native.status, native.signal], `canon stderr: ${ours.stderr}\nnode stderr: ${native.stderr}`);
  return ours;
}

describe('canon run: the exit code node gives the same program', () => {
  test('0: the program ends normally', () => {
    assert.equal(sameAsNode(program('ok.mjs', 'console.log("fine");\n')).status, 0);
  });

  test('1: an uncaught error, and an unhandled rejection', () => {
    assert.equal(sameAsNode(program('throws.mjs', 'throw new TypeError("no");\n')).status, 1);
    assert.equal(sameAsNode(program('rejects.mjs', 'Promise.reject(new Error("nobody catches this"));\n')).status, 1);
    assert.equal(sameAsNode(program('throws.cjs', 'null.property;\n')).status, 1);
  });

  test('13: a top-level await that never settles', () => {
    const r = sameAsNode(program('hangs.mjs', 'await new Promise(() => {});\n'));
    assert.equal(r.status, 13);
    assert.match(r.stderr, /Warning: Detected unsettled top-level await/);
  });

  test('other: the program\'s own code, by process.exit() and by process.exitCode', () => {
    assert.equal(sameAsNode(program('exit42.mjs', 'process.exit(42);\n')).status, 42);
    assert.equal(sameAsNode(program('exitcode7.cjs', 'process.exitCode = 7;\n')).status, 7);
    assert.equal(sameAsNode(program('exit3-later.mjs', 'setTimeout(() => process.exit(3), 5);\n')).status, 3);
  });

  test('a signal that ends the program ends canon with it', () => {
    const r = sameAsNode(program('killed.mjs', 'process.kill(process.pid, "SIGTERM"); await new Promise((r) => setTimeout(r, 1000));\n'));
    assert.deepEqual([r.status, r.signal], [null, 'SIGTERM']);
  });
});

describe('the other commands: 9 for a usage error, 1 for a failure', () => {
  test('9: a bad option, as node\'s own code for one', () => {
    assert.equal(node('--no-such-node-option').status, 9, 'node\'s code for a bad option');
    const r = canon('graph', '--no-such-option', 'x.js');
    assert.equal(r.status, 9);
    assert.equal(r.stderr, 'canon: Unknown option \'--no-such-option\' (see canon --help)\n');
  });

  test('1: a graph with a module that does not load', () => {
    program('broken-graph.mjs', 'import "./not-there.mjs";\n');
    const r = canon('graph', 'broken-graph.mjs');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /canon graph: 1 module could not be loaded/);
  });
});

describe('0: a pipe closed early ends a command quietly', { skip: spawnSync('bash', ['-c', 'true']).status !== 0 && 'needs bash' }, () => {
  // A chain of modules with long names: canon graph prints about 120 KB of JSON, more than a pipe holds,
  // so writes go on after `head -1` has exited.
  const chain = 300;
  for (let i = 0; i < chain; i++) program(`a-module-with-a-rather-long-name-${i}.mjs`, i + 1 < chain ? `import './a-module-with-a-rather-long-name-${i + 1}.mjs';\n` : '');

  /** `<command> | head -1` in bash: canon's exit status, its stderr, and what head printed. */
  function piped(args: string[]): { status: number; stderr: string; head: string } {
    const quoted = [process.execPath, ...FLAGS, cli, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    const r = spawnSync('bash', ['-c', `${quoted} 2>canon.err | head -1; echo "\${PIPESTATUS[0]}" >canon.status`], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const read = (name: string) => spawnSync('cat', [name], { cwd: dir, encoding: 'utf8' }).stdout;
    return { status: Number(read('canon.status')), stderr: read('canon.err'), head: r.stdout };
  }

  test('canon graph | head -1', () => {
    const full = canon('graph', 'a-module-with-a-rather-long-name-0.mjs');
    assert.equal(full.status, 0, full.stderr);
    assert.ok(full.stdout.length > 100_000, `the output outgrows a pipe's buffer (${full.stdout.length} bytes)`);
    const r = piped(['graph', 'a-module-with-a-rather-long-name-0.mjs']);
    assert.deepEqual(r, { status: 0, stderr: '', head: '{\n' });
  });

  test('canon hash | head -1', () => {
    const files = Array.from({ length: 6 * chain }, (_, i) => `a-module-with-a-rather-long-name-${i % chain}.mjs`);
    const r = piped(['hash', ...files]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.head, /^[0-9a-f]{32} {2}a-module-with-a-rather-long-name-0\.mjs\n$/);
  });

  test('canon run leaves it to the program: the same status as node for a program writing past a closed pipe', () => {
    program('spam-write.mjs', 'for (let i = 0; i < 100000; i++) process.stdout.write(`line ${i}\\n`);\n');
    program('spam-log.mjs', 'for (let i = 0; i < 100000; i++) console.log(`line ${i}`);\n');
    for (const file of ['spam-write.mjs', 'spam-log.mjs']) {
      const native = spawnSync('bash', ['-c', `'${process.execPath}' ${file} 2>/dev/null | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8' });
      const ours = piped(['run', file]);
      assert.equal(ours.status, Number(native.stdout), `${file}: canon ${ours.status}, node ${native.stdout}`);
    }
  });
});
