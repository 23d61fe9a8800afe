// The module graph corpus (tests/fixtures/graphs) against native Node: every
// graph prints the same stdout and exits with the same, expected code on Node 20
// (this process's node) and Node 26. This validates the corpus itself; the
// loader's differential test compares `canon run` against the same graphs.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { GRAPHS, runNative, type NativeRun } from './support/graphs.js';
import { node26 } from './support/node26.js';

const NODE20 = process.execPath;
const NODE26 = node26();

const describeRun = (label: string, run: NativeRun) =>
  `${label}: status ${run.status}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;

test('the corpus: at least 34 graphs, unique names, an entry and a description each', () => {
  assert.ok(GRAPHS.length >= 34, `only ${GRAPHS.length} graphs`);
  assert.equal(new Set(GRAPHS.map((g) => g.name)).size, GRAPHS.length);
  for (const graph of GRAPHS) {
    assert.ok(graph.entry.startsWith(graph.dir), graph.name);
    assert.ok(graph.entry.endsWith('/main.mjs'), graph.name);
    assert.notEqual(graph.description, graph.name, `${graph.name} has no fixture.json description`);
  }
  assert.ok(GRAPHS.some((g) => g.expectedExitCode !== 0), 'some graph must exit non-zero');
});

test('the two runtimes are this Node (20 on the development machine) and Node 26', () => {
  const version26 = execFileSync(NODE26, ['--version'], { encoding: 'utf8' }).trim();
  assert.match(version26, /^v26\./);
  assert.notEqual(process.version, version26, 'comparing Node 26 with itself proves nothing');
});

for (const graph of GRAPHS) {
  test(`${graph.name}: same output on Node 20 and 26, exit ${graph.expectedExitCode}`, () => {
    const on20 = runNative(NODE20, graph.entry);
    const on26 = runNative(NODE26, graph.entry);
    const context = `${graph.description}\n${describeRun('node 20', on20)}\n${describeRun('node 26', on26)}`;
    assert.notEqual(on20.stdout, '', `node 20 printed nothing\n${context}`);
    assert.equal(on20.status, graph.expectedExitCode, `node 20 exit code\n${context}`);
    assert.equal(on26.status, graph.expectedExitCode, `node 26 exit code\n${context}`);
    assert.equal(on26.stdout, on20.stdout, `stdout differs between node 20 and 26\n${context}`);
  });
}
