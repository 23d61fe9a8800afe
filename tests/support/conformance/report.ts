// The runner's report: per directory, how many tests pass in each column
// (test262 tests by file: a script test passes when both of its strictness
// runs pass; WPT by subtest), as a text table, plus every failure in JSON.

import type { TestCase } from './discover.js';
import type { JobResult } from './job.js';
import type { Column } from './pool.js';

export interface CaseReport {
  suite: TestCase['suite'];
  id: string;
  kind: TestCase['kind'];
  /** Per column label: pass, and the failures' messages by mode or subtest. */
  results: Record<string, { pass: boolean; failures: { name: string; message: string }[] }>;
  /** WPT: the subtests' names (each counted): every name any column reported. */
  subtests?: string[];
}

/** Folds the jobs' results into one report per test. */
export function buildReports(cases: TestCase[], jobResults: JobResult[][], columns: Column[]): CaseReport[] {
  let j = 0;
  return cases.map((tc) => {
    const perJob = jobResults.slice(j, j + tc.jobs.length);
    j += tc.jobs.length;
    const report: CaseReport = { suite: tc.suite, id: tc.id, kind: tc.kind, results: {} };
    columns.forEach((col, c) => {
      const all = perJob.flatMap((r) => r[c]!.results);
      report.results[col.label] = {
        pass: all.length > 0 && all.every((r) => r.pass),
        failures: all.filter((r) => !r.pass).map((r) => ({ name: r.name, message: r.message ?? '' })),
      };
      if (tc.kind === 'wpt') report.subtests = [...new Set([...(report.subtests ?? []), ...all.map((r) => r.name).filter((n) => !FILE_LEVEL.has(n))])];
    });
    return report;
  });
}

/** The directory a test is counted under: its path, cut to four segments (test/language/import/import-defer). */
export function groupOf(report: CaseReport): string {
  const parts = report.id.split('/').slice(0, -1);
  return report.suite === 'wpt' ? parts.join('/') || '.' : parts.slice(0, 4).join('/');
}

interface Count { pass: number; total: number }

/** Results that stand for a whole WPT file (it threw, the child died or timed out), not a subtest. */
export const FILE_LEVEL = new Set(['(file)', 'runner', 'script']);

/**
 * A WPT test counts once per subtest, over the subtest names any column
 * reported: a file that fails as a whole (a syntax error on an older Node)
 * fails each of them.
 */
function counts(report: CaseReport, label: string): Count {
  const r = report.results[label]!;
  if (report.kind !== 'wpt') return { pass: r.pass ? 1 : 0, total: 1 };
  const names = report.subtests ?? [];
  const failed = new Set(r.failures.map((f) => f.name));
  const fileFailed = [...failed].some((n) => FILE_LEVEL.has(n));
  return { pass: fileFailed ? 0 : names.filter((n) => !failed.has(n)).length, total: Math.max(names.length, 1) };
}

export function table(reports: CaseReport[], columns: Column[]): string {
  const rows = new Map<string, Map<string, Count>>();
  const add = (row: string, label: string, c: Count) => {
    const m = rows.get(row) ?? rows.set(row, new Map()).get(row)!;
    const cur = m.get(label) ?? { pass: 0, total: 0 };
    m.set(label, { pass: cur.pass + c.pass, total: cur.total + c.total });
  };
  for (const r of reports) {
    for (const col of columns) {
      const c = counts(r, col.label);
      add(`${groupOf(r)} (${r.kind === 'wpt' ? 'subtests' : r.kind})`, col.label, c);
      add(r.kind === 'wpt' ? 'all esm-integration subtests' : `all test262 ${r.kind} tests`, col.label, c);
    }
  }
  const header = `| directory | ${columns.map((c) => c.label).join(' | ')} |\n| --- |${columns.map(() => ' --- |').join('')}`;
  const ordered = [...rows].sort(([a], [b]) => Number(a.startsWith('all ')) - Number(b.startsWith('all ')));
  const lines = ordered.map(([row, m]) => `| ${row} | ${columns.map((c) => { const x = m.get(c.label)!; return `${x.pass}/${x.total}`; }).join(' | ')} |`);
  return `${header}\n${lines.join('\n')}`;
}
