// `canon importmap <entry> [--out FILE]`: walks the static graph with Node's
// resolution and writes the WICG import map that makes the same program
// resolve the same way without it (in browsers, under es-module-shims, or in
// canon with --import-map). Each bare specifier maps to what Node resolved;
// where one specifier resolves to different files from different packages
// (two versions installed), the most common target goes in "imports" and
// the others in "scopes" of the importing package's folder. Addresses are
// relative to the map file's folder. What a browser cannot load is reported
// on stderr: builtins (node:...) and CommonJS modules.

import { fs } from '../builtins.js';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Registry, type GraphFailure } from '../registry.js';
import { entryURL } from './entry-url.js';
import { describeFailures } from './graph.js';
import { loadImportMap } from './import-map-file.js';
import { shortURL } from './run.js';

/** Whether a specifier is bare: what only an import map (or Node's package resolution) can answer. */
function isBare(specifier: string): boolean {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/')) return false;
  return !/^[a-z][a-z0-9+.-]*:/i.test(specifier);
}

/** The scope a referrer's mappings belong to: its package's folder (below the last node_modules), else its own folder. */
function scopeOf(referrer: string): string {
  const at = referrer.lastIndexOf('/node_modules/');
  if (at < 0) return referrer.slice(0, referrer.lastIndexOf('/') + 1);
  const rest = referrer.slice(at + '/node_modules/'.length).split('/');
  const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  return `${referrer.slice(0, at)}/node_modules/${name}/`;
}

/** An address relative to the map's folder ("./x", "../x"), as import maps allow. */
function relativeTo(base: string, url: string): string {
  if (!url.startsWith('file:')) return url;
  const from = base.split('/');
  const to = url.split('/');
  let i = 0;
  while (i < from.length - 1 && i < to.length && from[i] === to[i]) i++;
  const up = from.length - 1 - i;
  return (up === 0 ? './' : '../'.repeat(up)) + to.slice(i).join('/');
}

export interface ImportMapJSON {
  imports: Record<string, string>;
  scopes?: Record<string, Record<string, string>>;
}

/** The import map for what `registry` loaded (see the file comment), addresses relative to `mapURL`. */
export function importMapOf(registry: Registry, mapURL: string): { map: ImportMapJSON; warnings: string[] } {
  // specifier → target → referrers asking for it
  const uses = new Map<string, Map<string, string[]>>();
  const warnings: string[] = [];
  for (const entry of registry.entries()) {
    if (entry.kind === 'cjs') warnings.push(`${shortURL(entry.key)} is CommonJS: a browser cannot run it`);
    for (const dependency of registry.dependenciesOf(entry.key, { ...entry.attributes })) {
      if (!isBare(dependency.specifier)) continue;
      if (dependency.key.startsWith('node:')) {
        warnings.push(`"${dependency.specifier}" (from ${shortURL(entry.key)}) is a Node builtin: left unmapped`);
        continue;
      }
      let targets = uses.get(dependency.specifier);
      if (!targets) uses.set(dependency.specifier, (targets = new Map()));
      let referrers = targets.get(dependency.key);
      if (!referrers) targets.set(dependency.key, (referrers = []));
      referrers.push(entry.key);
    }
  }
  const map: ImportMapJSON = { imports: {} };
  for (const specifier of [...uses.keys()].sort()) {
    // The most used target; on a tie the least nested one (the hoisted copy).
    const nesting = (url: string) => url.split('/node_modules/').length;
    const targets = [...uses.get(specifier)!].sort((a, b) => b[1].length - a[1].length || nesting(a[0]) - nesting(b[0]) || (a[0] < b[0] ? -1 : 1));
    // A "#name" is its package's own ("imports" of package.json): always scoped to that package.
    const scopedOnly = specifier.startsWith('#');
    if (!scopedOnly) map.imports[specifier] = relativeTo(mapURL, targets[0]![0]);
    for (const [target, referrers] of scopedOnly ? targets : targets.slice(1)) {
      for (const scope of new Set(referrers.map(scopeOf))) {
        map.scopes ??= {};
        (map.scopes[relativeTo(mapURL, scope)] ??= {})[specifier] = relativeTo(mapURL, target);
      }
    }
  }
  return { map, warnings: [...new Set(warnings)] };
}

/** `importMapFile`: a map resolution consults first (its warnings printed); the output holds what it resolved. */
export async function importmap(entry: string, out: string | undefined, conditions: string[] = [], importMapFile?: string): Promise<void> {
  const registry = new Registry({ conditions, ...(importMapFile ? { importMap: loadImportMap(importMapFile) } : {}) });
  const failures: GraphFailure[] = [];
  await registry.loadGraph(entryURL(entry), { failures });
  const mapFile = resolve(out ?? 'importmap.json');
  const { map, warnings } = importMapOf(registry, pathToFileURL(dirname(mapFile) + '/').href + 'importmap.json');
  for (const warning of warnings) process.stderr.write(`canon: warning: ${warning}\n`);
  if (failures.length > 0) {
    process.stderr.write(`canon importmap: ${failures.length} module${failures.length === 1 ? '' : 's'} could not be loaded (not in the map):\n${describeFailures(failures)}`);
    process.exitCode = 1;
  }
  const text = JSON.stringify(map, null, 2) + '\n';
  if (out === undefined) process.stdout.write(text);
  else fs.writeFileSync(mapFile, text);
}
