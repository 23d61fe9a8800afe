// The loader against native Node: every graph of the corpus
// (tests/fixtures/graphs) run by `canon run` prints exactly what `node main.mjs`
// prints and exits with the same code, on the Node running this test (npm test
// runs the suite on Node 20 and again on Node 26). Each graph runs twice: with
// canon's synchronous link (the engine's link steps called directly, where
// this Node has them) and with vm's promise-based link(linker), the fallback
// for a Node without them (CANON_SYNC_LINK=0).

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { GRAPHS, runNative, runNode } from './support/graphs.js';
import { parseCanonReport, parseNodeReport } from './support/error-report.js';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
// The flags the CLI would re-execute itself with, given directly to save a process.
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

const LINKS = [
  { name: 'sync link', env: {} },
  { name: 'vm link(linker)', env: { CANON_SYNC_LINK: '0' } },
];

for (const graph of GRAPHS) {
  let nativeResult: ReturnType<typeof runNative> | undefined;
  const nativeRun = () => (nativeResult ??= runNative(process.execPath, graph.entry));
  for (const link of LINKS) test(`canon run ${graph.name} = node ${graph.name} (Node ${process.versions.node}, ${link.name})`, () => {
    const canon = runNode(process.execPath, [...FLAGS, cli, 'run', graph.entry], graph.entry, link.env);
    const native = nativeRun();
    const context = `${graph.description}\n--- canon stderr\n${canon.stderr}--- native stderr\n${native.stderr}`;
    assert.equal(canon.stdout, native.stdout, context);
    assert.equal(canon.status, native.status, context);
    assert.equal(canon.status, graph.expectedExitCode, context);
    if (canon.status === 1) {
      // The error as node reports it: the same name (and code), and where node points into the
      // program (not into its own loader), the same file, line and caret column.
      const ours = parseCanonReport(canon.stderr);
      const theirs = parseNodeReport(native.stderr);
      assert.equal(ours.headline?.replace(/:.*/, ''), theirs.headline?.replace(/:.*/, ''), context);
      if (theirs.location !== undefined && !theirs.location.startsWith('node:')) {
        assert.deepEqual([ours.location, ours.caret], [theirs.location, theirs.caret], context);
      }
    }
  });
}
