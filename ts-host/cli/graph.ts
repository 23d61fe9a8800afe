// `canon graph <entry>`: loads the static graph without evaluating it and
// prints it: keys, kinds, attributes, the phase of each import, source hashes.
// Every module that fails to resolve, load or compile is listed at once (on
// stderr, and under "failures" in JSON), and the command then exits 1.

import type { ErrorSite } from '../errors.js';
import { Registry, type GraphFailure } from '../registry.js';
import { entryURL } from './entry-url.js';
import { loadImportMap } from './import-map-file.js';
import { withoutSite } from './print-error.js';
import { shortURL } from './run.js';

export interface GraphNode {
  key: string;
  kind: string | undefined;
  attributes: Record<string, string>;
  hash: string | undefined;
  imports: { specifier: string; key: string; phase: string | null; attributes: Record<string, string> }[];
}

/** One line per failure: the specifier, who asked for it, and why. */
export function describeFailures(failures: GraphFailure[]): string {
  return failures.map((f) => {
    const what = f.specifier === undefined ? f.url ?? '(entry)' : `"${f.specifier}" from ${shortURL(f.referrer ?? '')}`;
    const why = f.error instanceof Error ? `${f.error.name}: ${withoutSite(f.error.message, f.error as ErrorSite)}` : String(f.error);
    const { url, line, column } = f.error as ErrorSite;
    const at = typeof url === 'string' && typeof line === 'number' ? ` (${shortURL(url)}:${line}:${column ?? 1})` : '';
    return `  ${what}: ${why}${at}\n`;
  }).join('');
}

export async function graph(entry: string, format: string, importMapFile: string | undefined, conditions: string[] = []): Promise<void> {
  if (format !== 'json' && format !== 'dot') throw new Error(`--format must be json or dot, got "${format}"`);
  let loaded = 0;
  const progress = process.stderr.isTTY
    ? () => {
        if (++loaded % 250 === 0) process.stderr.write(`\rloaded ${loaded} modules`);
      }
    : undefined;
  const registry = new Registry({
    ...(importMapFile ? { importMap: loadImportMap(importMapFile) } : {}),
    ...(progress ? { onLoad: progress } : {}),
    conditions,
  });
  const root = entryURL(entry);
  const failures: GraphFailure[] = [];
  await registry.loadGraph(root, { failures });
  if (progress && loaded >= 250) process.stderr.write(`\rloaded ${loaded} modules\n`);
  const nodes: GraphNode[] = registry.entries().map((e) => {
    const phases = new Map((e.source && 'imports' in e.source ? e.source.imports() : []).map((i) => [i.specifier, i.phase]));
    return {
      key: e.key,
      kind: e.kind,
      attributes: { ...e.attributes },
      hash: e.hash === undefined ? undefined : e.hash.toString(16).padStart(32, '0'),
      imports: registry.dependenciesOf(e.key, { ...e.attributes }).map((d) => ({
        specifier: d.specifier,
        key: d.key,
        phase: phases.get(d.specifier) ?? null,
        attributes: { ...d.attributes },
      })),
    };
  });
  if (failures.length > 0) {
    process.stderr.write(`canon graph: ${failures.length} module${failures.length === 1 ? '' : 's'} could not be loaded:\n${describeFailures(failures)}`);
    process.exitCode = 1;
  }
  if (format === 'json') {
    const listed = failures.map((f) => ({ specifier: f.specifier, referrer: f.referrer, url: f.url, error: f.error instanceof Error ? `${f.error.name}: ${f.error.message}` : String(f.error) }));
    process.stdout.write(JSON.stringify({ root, modules: nodes, ...(listed.length ? { failures: listed } : {}) }, null, 2) + '\n');
    return;
  }
  const id = new Map(nodes.map((n, i) => [n.key, `m${i}`]));
  const lines = ['digraph canon {', '  node [shape=box, fontname="monospace"];'];
  for (const n of nodes) lines.push(`  ${id.get(n.key)} [label=${JSON.stringify(`${n.key}\n${n.kind ?? '?'}${n.hash ? ' ' + n.hash.slice(0, 12) : ''}`)}];`);
  for (const n of nodes) {
    for (const i of n.imports) {
      const label = [i.phase, Object.keys(i.attributes).length ? JSON.stringify(i.attributes) : ''].filter(Boolean).join(' ');
      lines.push(`  ${id.get(n.key)} -> ${id.get(i.key) ?? JSON.stringify(i.key)}${label ? ` [label=${JSON.stringify(label)}]` : ''};`);
    }
  }
  lines.push('}');
  process.stdout.write(lines.join('\n') + '\n');
}
