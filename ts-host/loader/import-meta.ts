// import.meta of a registry's modules (HostGetImportMetaProperties and
// FinalizeImportMeta): url, resolve, dirname/filename and main where the
// running Node has them, the hidden methods lowered phase syntax calls
// (loader/lower.ts), import.meta.hot with hot reload, a non-canonical
// instance's additions, then the registry's importMeta hook.

import { dirname } from 'node:path';
import { HookError, shorten } from '../errors.js';
import type { HotContext } from '../hot/hot-context.js';
import type { ImportMetaHook } from '../registry-types.js';
import { nodeAtLeast } from '../node-version.js';
import { hrefToPath } from '../resolve/file-url.js';
import { baseOf, type Entry } from './entry.js';
import type { PhaseHost } from './script.js';

/** import.meta.dirname and .filename, where the running Node has them (20.11+). */
const IMPORT_META_PATHS = nodeAtLeast(20, 11);
/** import.meta.main, where the running Node has it (24.2+). */
const IMPORT_META_MAIN = nodeAtLeast(24, 2);

/** What import.meta reaches of its registry. */
export interface ImportMetaHost {
  /** Resolves as an import from `base` does. */
  resolve(specifier: string, base: string): string;
  /** The methods lowered phase syntax calls, for code resolving from `base`. */
  phaseHost(base: string): PhaseHost;
  /** The program's main module (runMain), for import.meta.main. */
  mainKey(): string | undefined;
  /** import.meta.hot of the entry, when the registry has hot reload. */
  hotContext: ((entry: Entry, base: string) => HotContext) | undefined;
  /** RegistryOptions.hooks.importMeta. */
  hook: ImportMetaHook | undefined;
}

export function initializeImportMeta(meta: ImportMeta, entry: Entry, host: ImportMetaHost): void {
  const url = entry.key;
  const base = baseOf(entry);
  const m = meta as unknown as Record<string, unknown>;
  m.url = url;
  if (url.startsWith('file:') && IMPORT_META_PATHS) {
    const filename = hrefToPath(url);
    m.dirname = dirname(filename);
    m.filename = filename;
  }
  if (IMPORT_META_MAIN) m.main = url === host.mainKey();
  m.resolve = (specifier: string) => host.resolve(String(specifier), base);
  // Not enumerable, so the program's view of import.meta is unchanged.
  const methods = host.phaseHost(base);
  for (const name of Object.keys(methods)) Object.defineProperty(m, name, { value: methods[name as keyof PhaseHost] });
  if (host.hotContext) m.hot = host.hotContext(entry, base);
  if (entry.importMeta) Object.assign(m, entry.importMeta);
  if (host.hook) {
    try {
      host.hook(m, url);
    } catch (error) {
      throw new HookError(`The importMeta hook failed for ${shorten(url)}: ${error instanceof Error ? error.message : String(error)}`, { url, hook: 'importMeta' }, { cause: error });
    }
  }
}
