// canon run against node on real npm programs: every program of the corpus
// (tests/fixtures/npm, packages pinned in tests/support/corpus) run by
// `canon run <entry> <args>` prints exactly what `node <entry> <args>` prints
// (user conditions, where a program has them, as --conditions to both)
// and exits with the same code, on the Node running this test (npm test runs
// the suite on Node 20 and again on Node 26). A program whose fixture.json
// declares "differs" pins both sides instead: node's output and canon's.
//
// Each program runs once under node and once under canon, both at the same
// time, and several programs run at once (describe concurrency).

import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runNodeAsync } from './support/graphs.js';
import { canonRunArgs, discoverPrograms, installCorpus, nodeArgs } from './support/npm-corpus.js';

// Run as a user runs it: `node cli.js run ...`, so the CLI re-executes itself
// with the flags it needs (vm modules, and whatever else it passes on to Node).
const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));

installCorpus();
const programs = discoverPrograms();

describe(`npm corpus: canon run = node (Node ${process.versions.node})`, { concurrency: Math.max(2, availableParallelism()) }, () => {
  test('the corpus has at least 30 programs', () => {
    assert.ok(programs.length >= 30, `${programs.length} programs`);
  });

  for (const program of programs) {
    test(program.name, async () => {
      const [native, canon] = await Promise.all([
        runNodeAsync(process.execPath, nodeArgs(program), program.entry),
        runNodeAsync(process.execPath, [cli, ...canonRunArgs(program)], program.entry),
      ]);
      const context = `${program.description}\n--- canon stderr\n${canon.stderr}--- node stderr\n${native.stderr}`;
      assert.equal(native.status, program.expectedExitCode, `node's exit code\n${context}`);
      if (program.differs === undefined) {
        assert.equal(canon.stdout, native.stdout, context);
        assert.equal(canon.status, native.status, context);
      } else {
        const why = `${context}\n--- declared difference: ${program.differs.reason}`;
        assert.equal(native.stdout, program.differs.nodeStdout, `node's pinned stdout\n${why}`);
        assert.equal(canon.stdout, program.differs.canonStdout, `canon's pinned stdout\n${why}`);
        assert.equal(canon.status, program.differs.canonExitCode, `canon's pinned exit code\n${why}`);
      }
    });
  }
});
