// CommonJS entries in an ES module graph: after a walk, each CommonJS entry
// that an ES module imports gets its facade (cjs-facade.ts), with the export
// names Node's lexer finds and the names this graph's importers ask for.

import { filenameOf } from '../resolve/file-url.js';
import type vm from 'node:vm';
import { lineColumn } from '../sources/analyze-js.js';
import { moduleSourceLex, moduleSourceText, type ModuleSource } from '../sources/module-source.js';
import { createCjsFacade, type PendingName } from './cjs-facade.js';
import type { Entry } from './entry.js';
import { importedNames } from './import-names.js';
import { entryOfModule } from './instantiate.js';
import { cjsExportNames } from './parse-cjs.js';

/** Whether an entry is CommonJS without a module record yet. */
const needsFacade = (entry: Entry | undefined): entry is Entry => entry !== undefined && entry.loaded?.kind === 'cjs' && !entry.module;

/**
 * The names each CommonJS entry is asked for by the ES modules of `batch`
 * (in walk order), with the site of each request for the error a missing
 * name gets at evaluation.
 */
export function requestedNames(batch: readonly Entry[]): Map<Entry, PendingName[]> {
  const out = new Map<Entry, PendingName[]>();
  for (const importer of batch) {
    if (importer.loaded?.kind !== 'js' || !importer.dependencies?.some(needsFacade)) continue;
    const source = importer.loaded.source as ModuleSource;
    const text = moduleSourceText(source);
    for (const site of moduleSourceLex(source).staticImports) {
      const dependency = importer.dependencies[site.request];
      if (site.phase !== null || !needsFacade(dependency)) continue;
      let list = out.get(dependency);
      if (!list) out.set(dependency, (list = []));
      const specifier = importer.loaded.requests[site.request]!.specifier;
      for (const name of importedNames(text, site.statementStart, site.specifierStart)) {
        list.push({ name, site: { specifier, referrer: importer.key, url: dependency.key, phase: 'evaluation', ...lineColumn(text, site.statementStart) } });
      }
    }
  }
  return out;
}

/**
 * The module record of a CommonJS entry: its facade. `run` runs the module
 * (once); `resolve` resolves a reexport as require() does (a file path, or
 * undefined), for the lexer's names of reexported modules.
 */
export function commonjsFacade(entry: Entry, pending: PendingName[], run: () => unknown, resolve: (specifier: string, from: string) => string | undefined): vm.Module {
  const loaded = entry.loaded!;
  const filename = filenameOf(entry.key);
  const module = createCjsFacade(entry, cjsExportNames(loaded.text!, filename, resolve), pending, run);
  entryOfModule.set(module, entry);
  return module;
}
