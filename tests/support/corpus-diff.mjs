// A quick look at the real-world corpus: runs every program of
// tests/fixtures/npm under `node` and under `canon run` (this Node, the built
// dist/) and prints one line per program: same, or different with the first
// line that differs; a program whose fixture.json declares a difference is
// checked against its pinned outputs. Needs `npm run build:ts` (or the whole
// build) once; installs the corpus if needed.
//
//   node tests/support/corpus-diff.mjs [name-substring...]
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const dist = new URL('../../dist/', import.meta.url);
let corpus, graphs;
try {
  corpus = await import(new URL('tests/support/npm-corpus.js', dist));
  graphs = await import(new URL('tests/support/graphs.js', dist));
} catch (e) {
  process.stderr.write(`corpus-diff: dist/ is missing or stale (${e.message}); run \`npm run build:ts\` first\n`);
  process.exit(2);
}
const cli = fileURLToPath(new URL('ts-host/cli.js', dist));

corpus.installCorpus();
const filters = process.argv.slice(2);
const programs = corpus.discoverPrograms().filter((p) => filters.length === 0 || filters.some((f) => p.name.includes(f)));

/** The first line where `a` and `b` differ, shown from both sides. */
function firstDifference(a, b, left, right) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}: ${left} ${JSON.stringify(x[i] ?? null)}, ${right} ${JSON.stringify(y[i] ?? null)}`;
  }
  return '';
}

function firstStderrLine(run) {
  return run.stderr.split('\n').find((l) => l.trim() !== '') ?? '';
}

async function check(program) {
  const [native, canon] = await Promise.all([
    graphs.runNodeAsync(process.execPath, corpus.nodeArgs(program), program.entry),
    graphs.runNodeAsync(process.execPath, [cli, ...corpus.canonRunArgs(program)], program.entry),
  ]);
  const problems = [];
  const wantNode = program.differs?.nodeStdout ?? canon.stdout;
  const wantCanon = program.differs?.canonStdout ?? native.stdout;
  const wantCanonStatus = program.differs?.canonExitCode ?? native.status;
  if (native.status !== program.expectedExitCode) problems.push(`node exit ${native.status}, fixture says ${program.expectedExitCode}: ${firstStderrLine(native)}`);
  if (program.differs && native.stdout !== wantNode) problems.push(`node stdout ${firstDifference(native.stdout, wantNode, 'node', 'pinned')}`);
  if (canon.stdout !== wantCanon) problems.push(`stdout ${firstDifference(canon.stdout, wantCanon, 'canon', program.differs ? 'pinned' : 'node')}`);
  if (canon.status !== wantCanonStatus) problems.push(`canon exit ${canon.status}, expected ${wantCanonStatus}${canon.status !== 0 ? `: ${firstStderrLine(canon)}` : ''}`);
  const label = program.differs ? 'differs as declared' : 'same';
  return problems.length === 0 ? `${label.padEnd(10)} ${program.name}` : `different  ${program.name}: ${problems.join('; ')}`;
}

// Runs the programs a few at a time, printing each line in corpus order.
const results = new Array(programs.length);
let next = 0;
let printed = 0;
let failures = 0;
const width = Math.max(2, availableParallelism());
await Promise.all(Array.from({ length: width }, async () => {
  while (next < programs.length) {
    const i = next++;
    results[i] = await check(programs[i]);
    while (printed < results.length && results[printed] !== undefined) {
      if (results[printed].startsWith('different')) failures++;
      console.log(results[printed++]);
    }
  }
}));
console.log(`${programs.length - failures}/${programs.length} as expected on Node ${process.versions.node}`);
process.exitCode = failures === 0 ? 0 : 1;
