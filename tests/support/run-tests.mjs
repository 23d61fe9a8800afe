// npm test's runner: every suite on this Node, then again on Node 26 (all
// but the corpus checks that compare Node 20 with Node 26, which need both
// and run on this Node), with a dot per test on the terminal and the failures
// in full (node:test's dot reporter), and one summary at the end naming every
// failed test. Exit 1 if anything failed.
//
//   node tests/support/run-tests.mjs      (after npm run build and install-node26.mjs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node26 } from './install-node26.mjs';

const dir = fileURLToPath(new URL('../../dist/tests/', import.meta.url));
const all = readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort().map((f) => dir + f);
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const scratch = mkdtempSync(join(tmpdir(), 'canon-tests-'));
// The programs the suites run through `canon run` use a cache directory of the run's own, not the user's ~/.cache/canon.
const env = { ...process.env, CANON_CACHE_DIR: process.env.CANON_CACHE_DIR ?? join(scratch, 'canon-cache') };

const runs = [{ label: `Node ${process.versions.node}`, node: process.execPath, files: all }];
if (existsSync(node26)) runs.push({ label: 'Node 26', node: node26, files: all.filter((f) => !f.endsWith('/graphs-native.test.js')) });
else process.stdout.write('run-tests: Node 26 is not installed (node tests/support/install-node26.mjs); its run is skipped\n');

/** The numbers node:test writes at the end of its TAP output, and the name of each failed test. */
function readTap(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+(?:\\.\\d+)?)$`, 'm').exec(text)?.[1] ?? NaN);
  const failures = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+ - (.*)$/.exec(lines[i]);
    if (!m) continue;
    // A suite fails with its tests: name the tests, not the suite too.
    const indent = m[1].length;
    let suite = false;
    for (let j = i + 1; j < lines.length && (lines[j].startsWith(' '.repeat(indent + 2)) || lines[j].trim() === ''); j++) {
      if (/^\s*error: '\d+ subtests? failed'/.test(lines[j])) suite = true;
    }
    if (!suite) failures.push(m[2]);
  }
  return { tests: count('tests'), pass: count('pass'), fail: count('fail'), cancelled: count('cancelled'), durationMs: count('duration_ms'), failures };
}

const results = [];
for (const run of runs) {
  process.stdout.write(`\n${run.label}: ${run.files.length} test files\n`);
  const tap = join(scratch, `${results.length}.tap`);
  const child = spawnSync(run.node, [
    ...FLAGS, '--test',
    '--test-reporter=dot', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...run.files,
  ], { stdio: ['ignore', 'inherit', 'inherit'], env });
  const summary = readTap(tap);
  results.push({ ...run, ...summary, status: child.status });
  process.stdout.write('\n');
}
rmSync(scratch, { recursive: true, force: true });

process.stdout.write('\nSummary\n');
let ok = true;
for (const r of results) {
  const good = r.status === 0 && r.fail === 0 && r.cancelled === 0 && r.pass === r.tests;
  ok &&= good;
  const seconds = Number.isFinite(r.durationMs) ? ` in ${(r.durationMs / 1000).toFixed(0)} s` : '';
  process.stdout.write(`  ${good ? '✔' : '✖'} ${r.label}: ${r.tests} tests, ${r.pass} passed, ${r.fail} failed${r.cancelled ? `, ${r.cancelled} cancelled` : ''}${seconds}${r.status !== 0 && r.fail === 0 ? ` (exit ${r.status})` : ''}\n`);
  for (const name of r.failures) process.stdout.write(`      ✖ ${name}\n`);
}
process.stdout.write(ok ? '  all passed\n' : '  FAILED\n');
process.exit(ok ? 0 : 1);
