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

/** What one listing of a directory says: its real path, its names, and which of them are symbolic links. */
interface Directory {
  real: string;
  names: Set<string>;
  links: Set<string>;
}

/**
 * realFileURL() for resolution, with a directory's facts read once: one
 * readdir and one realpath per directory (and one for its first file)
 * instead of a realpath(3) per file
 * (on a graph of ten thousand modules in one directory that was 60 ms of a
 * 650 ms import). A name the listing did not have (a file made since), a
 * symbolic link, or a directory that cannot be listed takes the exact path.
 * Policy checks do not use this: they ask realFileURL() each time. Held per
 * registry and dropped with its resolutions (clearResolutions).
 */
export class RealPaths {
  /** Each directory's listing (null: it cannot be listed), or the one file of it asked for so far. */
  readonly #directories = new Map<string, Directory | { only: string } | null>();

  fileURL(href: string): string {
    if (!href.startsWith('file:///') || href.endsWith('/') || /[?#%]/.test(href)) return realFileURL(href);
    const path = href.slice(7);
    const slash = path.lastIndexOf('/');
    const dir = path.slice(0, slash) || '/';
    const name = path.slice(slash + 1);
    let facts = this.#directories.get(dir);
    if (facts === undefined || (facts !== null && 'only' in facts)) {
      // While one file of a directory is asked for (a program's entry is resolved twice), each ask is
      // one realpath(3); the directory is listed from its second file on. An entry often sits alone in
      // a large directory (a home, /tmp), where the listing costs more.
      if (facts === undefined) this.#directories.set(dir, { only: name });
      if (facts === undefined || facts.only === name) return realFileURL(href);
      this.#directories.set(dir, (facts = list(dir)));
    }
    if (facts === null || facts.links.has(name) || !facts.names.has(name)) return realFileURL(href);
    return facts.real === dir ? href : pathToHref(`${facts.real === '/' ? '' : facts.real}/${name}`);
  }

  clear(): void {
    this.#directories.clear();
  }
}

function list(dir: string): Directory | null {
  try {
    const names = new Set<string>();
    const links = new Set<string>();
    // Streamed a few hundred entries at a time (opendir), not all at once (readdir withFileTypes):
    // ten thousand Dirent objects alive together cost a 10,000-module graph two more scavenges.
    const handle = fs.opendirSync(dir, { bufferSize: 256 });
    try {
      for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
        names.add(entry.name);
        if (entry.isSymbolicLink()) links.add(entry.name);
      }
    } finally {
      handle.closeSync();
    }
    return { real: fs.realpathSync.native(dir), names, links };
  } catch {
    return null;
  }
}
