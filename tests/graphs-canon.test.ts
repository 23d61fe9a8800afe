// The loader against native Node: every graph of the corpus
// (tests/fixtures/graphs) run by `canon run` prints exactly what `node main.mjs`
// prints and exits with the same code, on the Node running this test (npm test
// runs the suite on Node 20 and again on Node 26).

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GRAPHS, runNative, runNode } from './support/graphs.js';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
// The flags the CLI would re-execute itself with, given directly to save a process.
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

for (const graph of GRAPHS) {
  test(`canon run ${graph.name} = node ${graph.name} (Node ${process.versions.node})`, () => {
    const native = runNative(process.execPath, graph.entry);
    const canon = runNode(process.execPath, [...FLAGS, cli, 'run', graph.entry], graph.entry);
    const context = `${graph.description}\n--- canon stderr\n${canon.stderr}--- native stderr\n${native.stderr}`;
    assert.equal(canon.stdout, native.stdout, context);
    assert.equal(canon.status, native.status, context);
    assert.equal(canon.status, graph.expectedExitCode, context);
    if (canon.status === 1) {
      // One clear line naming the error, not a stack.
      assert.equal(canon.stderr.trim().split('\n').length, 1, context);
      assert.match(canon.stderr, /^canon: \w*Error: /, context);
    }
  });
}
