// What the error printer needs to know about a run's modules, from its
// registry: the text a module was loaded with, whether it is CommonJS, and
// the columns canon's lowering moved.

import { fileURLToPath } from 'node:url';
import type { Registry } from '../registry.js';
import { PackageTypes } from '../resolve/package-type.js';
import { isModuleSource } from '../sources/brand.js';
import { lexModule } from '../sources/analyze-js.js';
import { moduleSourceText, type ModuleSource } from '../sources/module-source.js';
import { phaseEdits } from '../loader/lower.js';
import { scriptPhaseEdits } from '../loader/parse-cjs.js';
import { fs } from '../builtins.js';
import { originalColumn } from '../diagnostics/lowered-columns.js';
import type { PrintContext } from './print-error.js';

export function registryContext(registry: Registry): Pick<PrintContext, 'sourceText' | 'originalColumn' | 'isCommonJS'> {
  const text = (url: string): string | undefined => {
    const source = registry.get(url)?.source;
    return source !== undefined && isModuleSource(source) ? moduleSourceText(source as ModuleSource) : undefined;
  };
  return {
    sourceText: text,
    isCommonJS(url) {
      const kind = registry.get(url)?.kind;
      if (kind !== undefined) return kind === 'cjs';
      // Not loaded (it failed to compile): the format Node would give it, by extension and package.json "type".
      if (!url.startsWith('file:')) return false;
      const format = new PackageTypes().formatOf(fileURLToPath(url));
      return format === 'commonjs' || format === 'detect';
    },
    originalColumn(url, line, column) {
      // The edits lowering made: an ES module's (import.meta as the host), a CommonJS module's (its hidden parameter).
      const kind = registry.get(url)?.kind;
      if (kind !== 'js' && kind !== 'cjs') return column;
      const original = text(url) ?? fromDisk(url);
      if (original === undefined) return column;
      try {
        const edits = kind === 'js' ? phaseEdits(original, lexModule(original, url)) : scriptPhaseEdits(original, url);
        return edits === undefined ? column : originalColumn(original, edits, line, column);
      } catch {
        return column;
      }
    },
  };
}

function fromDisk(url: string): string | undefined {
  try {
    return url.startsWith('file:') ? fs.readFileSync(fileURLToPath(url), 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
