// Import phases in running programs (tests/fixtures/phases): each fixture's
// output under `canon run` equals its expected.txt, on the Node running this
// test (npm test runs the suite on Node 20 and on Node 26). Fixtures marked
// `native-node26` also run natively on Node 26, with the same output; the
// others name in ORACLE.md the spec steps their expected output follows.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { lexModule } from '../ts-host/sources/analyze-js.js';
import fc from 'fast-check';
import { importUses, lowerPhases, SOURCE_PHASE_MARK, USES_DYNAMIC_IMPORT, USES_PHASE_FORMS } from '../ts-host/loader/lower.js';
import { runNative, runNode } from './support/graphs.js';
import { node26 } from './support/node26.js';

const dir = fileURLToPath(new URL('../../tests/fixtures/phases/', import.meta.url));
const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

for (const name of readdirSync(dir).sort()) {
  const entry = `${dir}${name}/main.mjs`;
  const expected = readFileSync(`${dir}${name}/expected.txt`, 'utf8');
  test(`phases/${name}: canon run prints the expected output (Node ${process.versions.node})`, () => {
    const r = runNode(process.execPath, [...FLAGS, cli, 'run', entry], entry);
    assert.equal(r.stdout, expected, r.stderr);
    assert.equal(r.status, 0, r.stderr);
  });
  test(`phases/${name}: its expected output has an oracle (a native run, or the spec steps it follows)`, () => {
    if (existsSync(`${dir}${name}/native-node26`)) return;
    // No engine runs it natively: ORACLE.md must say which spec text each line of expected.txt follows.
    const oracle = existsSync(`${dir}${name}/ORACLE.md`) ? readFileSync(`${dir}${name}/ORACLE.md`, 'utf8') : '';
    assert.match(oracle, /proposal-|seed 00\d/, `${name}: no ORACLE.md naming the spec it follows`);
    const lines = expected.trim().split('\n');
    const covered = lines.filter((line) => oracle.includes(line.split(/[ :]/).filter(Boolean)[0] ?? line));
    assert.ok(covered.length * 2 >= lines.length, `${name}: ORACLE.md explains ${covered.length} of ${lines.length} expected lines`);
  });
  if (existsSync(`${dir}${name}/native-node26`)) {
    test(`phases/${name}: Node 26 natively prints the same`, () => {
      const r = runNative(node26(), entry);
      assert.equal(r.stdout, expected, r.stderr);
    });
  }
}

test("importUses() finds what the regexes /\\bimport\\s*[(/]/ and /\\bimport\\s*\\.\\s*(?:source|defer|sync)\\b/ find", () => {
  // Texts made of the pieces that decide it: the word, what may precede and follow it, spaces of every kind.
  const piece = fc.constantFrom('import', 'import', 'x', '_', '$', '.', '(', '/', ' ', '\n', '\u2028', '\u00a0', '\t', 'source', 'defer', 'sync', 'syncs', 'meta', 'Import', 'é', '0');
  fc.assert(fc.property(fc.array(piece, { minLength: 0, maxLength: 40 }), (pieces) => {
    const text = pieces.join('');
    const expected = (/\bimport\s*[(/]/.test(text) ? USES_DYNAMIC_IMPORT : 0) | (/\bimport\s*\.\s*(?:source|defer|sync)\b/.test(text) ? USES_PHASE_FORMS : 0);
    assert.equal(importUses(text), expected, JSON.stringify(text));
  }), { numRuns: 5000 });
  assert.equal(importUses('const x = require("y"); // imports nothing'), 0);
  assert.equal(importUses('_import("x"); import.meta'), 0);
  assert.equal(importUses('await import ("./x.js")'), USES_DYNAMIC_IMPORT);
  assert.equal(importUses('import /* c */.source(x); import(y)'), USES_DYNAMIC_IMPORT);
  assert.equal(importUses('import\n  .\tdefer(x)'), USES_PHASE_FORMS);
});

test('lowering keeps every line where it was and leaves plain imports alone', () => {
  const text = [
    'import source a from "./a.wasm";',
    'import /* c */ source b from \'./b.js\' with { type: "x" };',
    'import c from "./c.js";',
    'const d = await import.source("./d.js");',
    'const e = await import(someSource);',
    'const f = await import("./f.js");',
  ].join('\n');
  const lowered = lowerPhases(text, lexModule(text))!;
  const lines = lowered.split('\n');
  assert.equal(lines.length, 6);
  assert.equal(lines[0], 'import        a from "./a.wasm\\u0000canon-source";');
  assert.equal(lines[1], 'import /* c */        b from \'./b.js\\u0000canon-source\' with { type: "x" };');
  assert.equal(lines[2], 'import c from "./c.js";');
  assert.equal(lines[3], 'const d = await import.meta.canonImportSource("./d.js");');
  assert.equal(lines[4], 'const e = await import(import.meta.canonSpecifier(someSource));');
  assert.equal(lines[5], 'const f = await import("./f.js");');
  assert.equal(SOURCE_PHASE_MARK, '\u0000canon-source');
  assert.equal(lowerPhases('import x from "./x.js"; export { x };', lexModule('import x from "./x.js"; export { x };')), undefined);
});
