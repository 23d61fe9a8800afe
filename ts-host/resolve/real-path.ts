// Symlinks resolve to the real path, as Node's ESM resolver does (its
// finalizeResolution): a module reached through a link is keyed, run and
// given import.meta.url under the file it really is, so a link inside one
// directory cannot make a file outside it look as if it were inside (and one
// file reached by two paths is one module). Node's bare-specifier resolution
// (import-meta-resolve) and CommonJS resolver already return real paths; this
// covers relative and absolute URLs and import-map results.

import { fs } from '../builtins.js';
import { hrefToPath, pathToHref } from './file-url.js';

/** The file: URL of the file `href` really is (query and fragment kept); other URLs, and files that do not exist, as they are. */
export function realFileURL(href: string): string {
  if (!href.startsWith('file:') || href.endsWith('/')) return href;
  const cut = href.search(/[?#]/);
  const base = cut < 0 ? href : href.slice(0, cut);
  let path: string;
  let real: string;
  try {
    path = hrefToPath(base);
    // One realpath(3) call: no lstat per path component.
    real = fs.realpathSync.native(path);
  } catch {
    // Not there (the load reports it), or not a path at all: the URL stays as written.
    return href;
  }
  if (real === path) return href;
  return pathToHref(real) + (cut < 0 ? '' : href.slice(cut));
}
