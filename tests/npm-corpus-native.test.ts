// The real-world corpus (tests/fixtures/npm) against native Node: every
// program prints the same stdout and exits with the same, expected code on
// Node 20 (this process's node) and Node 26, and a declared difference pins
// what node prints. This validates the corpus itself; npm-corpus.test.ts
// compares `canon run` against the same programs. It needs both Nodes, so it
// runs only under the older one (npm test); under Node 26 it is skipped.

import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, test } from 'node:test';
import { runNodeAsync, type NativeRun } from './support/graphs.js';
import { node26 } from './support/node26.js';
import { discoverPrograms, installCorpus, nodeArgs } from './support/npm-corpus.js';

const major = Number(process.versions.node.split('.')[0]);
const skip = major >= 26 ? 'runs under Node 20 only (it compares Node 20 with Node 26)' : false;

const describeRun = (label: string, run: NativeRun) => `${label}: status ${run.status}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;

describe('npm corpus: Node 20 = Node 26', { skip, concurrency: Math.max(2, availableParallelism()) }, () => {
  if (skip !== false) return;
  installCorpus();
  const programs = discoverPrograms();
  const NODE26 = node26();

  test('the corpus: at least 30 programs, some failing on purpose, each with its own copy next to the packages', () => {
    assert.ok(programs.length >= 30, `only ${programs.length} programs`);
    assert.ok(programs.some((p) => p.expectedExitCode !== 0), 'some program must exit non-zero');
    for (const p of programs) assert.ok(p.entry.startsWith(p.dir), p.name);
  });

  for (const program of programs) {
    test(`${program.name}: same output on Node 20 and 26, exit ${program.expectedExitCode}`, async () => {
      const args = nodeArgs(program);
      const [on20, on26] = await Promise.all([runNodeAsync(process.execPath, args, program.entry), runNodeAsync(NODE26, args, program.entry)]);
      const context = `${program.description}\n${describeRun(`node ${process.versions.node}`, on20)}\n${describeRun('node 26', on26)}`;
      assert.equal(on20.status, program.expectedExitCode, `node 20 exit code\n${context}`);
      assert.equal(on26.status, program.expectedExitCode, `node 26 exit code\n${context}`);
      assert.equal(on26.stdout, on20.stdout, `stdout differs between node 20 and 26\n${context}`);
      if (program.differs !== undefined) assert.equal(on20.stdout, program.differs.nodeStdout, `node's pinned stdout\n${context}`);
      else if (program.expectedExitCode === 0) assert.notEqual(on20.stdout, '', `node printed nothing\n${context}`);
    });
  }
});
