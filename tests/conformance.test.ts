// The conformance runner (tests/support/conformance/) on hand-written tests in
// test262's and WPT's formats (tests/fixtures/conformance/): frontmatter and
// META parsing, the modes INTERPRETING.md asks for, negative phases with exact
// error classes, async $DONE, scripts whose import() loads modules, the WPT
// shim's exact-constructor checks, the report and --merge, and canon's
// verdicts equal to native Node's on every fixture.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readFrontmatter, modesOf, harnessFiles } from './support/conformance/frontmatter.js';
import { readWptMeta } from './support/conformance/wpt-meta.js';

const fixtures = fileURLToPath(new URL('../../tests/fixtures/conformance/', import.meta.url));
const main = fileURLToPath(new URL('./support/conformance/main.js', import.meta.url));

test('frontmatter: includes, flags and negative; the modes and harness files they imply', () => {
  const meta = readFrontmatter('/*---\nincludes: [compareArray.js]\nflags: [async, noStrict]\nnegative:\n  phase: runtime\n  type: TypeError\n---*/\n');
  assert.deepEqual(meta.includes, ['compareArray.js']);
  assert.deepEqual([...meta.flags], ['async', 'noStrict']);
  assert.deepEqual(meta.negative, { phase: 'runtime', type: 'TypeError' });
  assert.deepEqual(modesOf(meta), ['sloppy']);
  assert.deepEqual(harnessFiles(meta), ['assert.js', 'sta.js', 'doneprintHandle.js', 'compareArray.js']);
  const plain = readFrontmatter('var x; // no frontmatter');
  assert.deepEqual(modesOf(plain), ['sloppy', 'strict']);
  assert.deepEqual(modesOf(readFrontmatter('/*---\nflags: [module]\n---*/')), ['module']);
  assert.deepEqual(modesOf(readFrontmatter('/*---\nflags: [onlyStrict]\n---*/')), ['strict']);
  const raw = readFrontmatter('/*---\nflags: [raw]\nincludes: [x.js]\n---*/');
  assert.deepEqual(modesOf(raw), ['sloppy']);
  assert.deepEqual(harnessFiles(raw), []);
});

test('WPT META lines: scripts and globals, read only at the top of the file', () => {
  const meta = readWptMeta('// META: global=window,jsshell\n// META: script=/common/a.js\n\n// META: timeout=long\ncode();\n// META: script=late.js\n');
  assert.deepEqual(meta.globals, ['window', 'jsshell']);
  assert.deepEqual(meta.scripts, ['/common/a.js']);
  assert.equal(meta.timeoutLong, true);
});

test('the runner: per-test verdicts through canon equal native Node\'s, and the table and JSON report say so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'canon-conformance-'));
  try {
    const out = join(dir, 'report.json');
    const r = spawnSync(process.execPath, [main, '--test262', join(fixtures, 'test262'), '--wpt', join(fixtures, 'wpt'),
      '--compare', 'node', '--node', process.execPath, '--out', out, '--timeout', '20000'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      columns: string[];
      tests: { id: string; results: Record<string, { pass: boolean; failures: { name: string; message: string }[] }> }[];
    };
    assert.equal(report.columns.length, 2);
    const [canon, native] = report.columns as [string, string];
    const verdict = (id: string, column: string) => report.tests.find((t) => t.id.endsWith(id))!.results[column]!;
    const expected: Record<string, boolean> = {
      'module-code/pass-module.js': true,
      'module-code/fail-module.js': false,
      'module-code/negative-parse.js': true,
      'module-code/negative-resolution.js': true,
      'module-code/async-module.js': true,
      'module-code/async-never-done.js': false,
      'dynamic-import/script-import.js': true,
      'dynamic-import/sloppy-only-pass.js': false,
      'dynamic-import/strict-only.js': true,
    };
    for (const [id, pass] of Object.entries(expected)) {
      for (const column of [canon, native]) assert.equal(verdict(id, column).pass, pass, `${id} in ${column}: ${JSON.stringify(verdict(id, column).failures)}`);
    }
    assert.match(verdict('fail-module.js', canon).failures[0]!.message, /deliberately wrong/);
    assert.match(verdict('async-never-done.js', canon).failures[0]!.message, /\$DONE was never called/);
    // The sloppy run passes, the strict one fails: both are reported.
    assert.deepEqual(verdict('sloppy-only-pass.js', canon).failures.map((f) => f.name), ['strict']);
    const wpt = verdict('sample.tentative.any.js', canon);
    assert.deepEqual(wpt.failures.map((f) => f.name).sort(), [
      'a missing module rejects with exactly TypeError (fails: it is not a TypeError)',
      'assert_throws_js wants the exact constructor (fails: a subclass)',
    ]);
    assert.match(r.stdout, /\| test\/language\/module-code \(module\) \| 4\/6 \| 4\/6 \|/);
    assert.match(r.stdout, /\| all test262 script tests \| 2\/3 \| 2\/3 \|/);
    assert.match(r.stdout, /\| all esm-integration subtests \| 1\/3 \| 1\/3 \|/);
    // --merge: the columns of separate runs side by side (here the canon column alone, then both again).
    const canonOnly = join(dir, 'canon.json');
    writeFileSync(canonOnly, JSON.stringify({ ...report, columns: [canon], tests: report.tests.map((t) => ({ ...t, results: { [canon]: t.results[canon] } })) }));
    const merged = spawnSync(process.execPath, [main, '--merge', canonOnly, out, '--out', join(dir, 'merged.json')], { encoding: 'utf8' });
    assert.equal(merged.status, 0, merged.stderr);
    assert.match(merged.stdout, /\| all test262 module tests \| 4\/6 \| 4\/6 \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
