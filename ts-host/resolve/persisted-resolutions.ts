// Resolutions kept across runs: what Node's resolvers answered (require()
// for every specifier, import for bare and '#' ones), so that a later run of
// the program can skip the node_modules search, the package.json reads and
// the stat calls behind each answer (on a CommonJS service of ~375 modules,
// about a fifth of the process's CPU time).
//
// An answer is trusted only while what it was read from is unchanged. Each
// row lists the paths the answer depends on, with what stat(2) said of each
// when the answer was made (inode, modification and change times, size):
//  - directories whose entries the lookup consulted: the directory of the
//    answer, the directory a relative specifier points into (and the
//    specifier's own path when it is a directory), for a bare specifier each
//    node_modules (and @scope) directory from the referrer's directory up to
//    the one that has the package, the referrer's ancestors up to that level
//    (a node_modules created nearer would win), and the package directory;
//  - files whose contents the lookup read: the package's package.json
//    ("exports", "main"), a directory specifier's package.json, and the
//    nearest package.json above the referrer ("imports"; for a bare
//    specifier, self-reference, looked for up to the node_modules level
//    that has the package: a project's own beside its node_modules, a
//    package's own).
// Adding, removing or renaming an entry changes its directory's times; an
// edited package.json changes its own. A row is checked on first use in a
// run (each path stat'ed once per run) and made afresh when anything
// differs. A row whose paths changed within the last two seconds is not
// kept (timestamps are coarser than the changes they stamp, as git's "racy"
// index entries), nor one whose answer lies outside the package or
// directory the lookup ended in (a symbolic link inside a package, or
// "main" pointing elsewhere), whose dependencies this does not describe.
// Not seen: a new candidate inside a directory the answer did not pass
// through, ahead of it in Node's order (a package whose "main" names a file
// that is missing, where the fallback answered), and a package.json that
// names itself after a dependency, created above the node_modules that has
// that dependency (self-reference from above): `canon cache clear`.

import { fs } from '../builtins.js';
import { resolve as resolvePath, sep } from 'node:path';
import { hrefToPath } from './file-url.js';
import { packageNameOf } from './node-resolve.js';

// Paths here are absolute and normalised (modules are keyed by real path): plain string operations do
// what node:path's normalising join and dirname would, at a fraction of the cost (a row is recorded per
// resolution of a cold run).
function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

function child(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** A relative or absolute specifier's path: plain './name' without a join, anything else normalised. */
function targetOf(dir: string, specifier: string): string {
  if (specifier.startsWith('file:')) return hrefToPath(specifier);
  if (specifier.startsWith('./') && !specifier.includes('/.', 1) && !specifier.includes('//') && !specifier.endsWith('/')) return child(dir, specifier.slice(2));
  return resolvePath(dir, specifier);
}

/** How a row was resolved: Node's ESM resolver (import) or its CommonJS one (require). */
export type PersistedKind = 'import' | 'require';

/** A row is not kept when a path it depends on changed this recently (ms). */
const SETTLED_MS = 2000;
/** Rows beyond this many are not written (those not used by the run that writes go first). */
const MAX_ROWS = 20000;
const FORMAT = 1;

interface Row {
  result: string;
  /** Indices into the table's paths. */
  deps: number[];
  /** The check epoch of `valid` (checked again after forgetChecks()). */
  checked?: number;
  /** Whether nothing it depends on changed, as of its check. */
  valid?: boolean;
  /** Made or confirmed by this run (kept first when the table is trimmed). */
  used?: boolean;
}

/** What this run's stat(2) of a path said. */
interface Seen {
  /** The comparable stamp (stampOf). */
  stamp: string;
  /** Changed within SETTLED_MS: rows depending on it are not kept. */
  recent: boolean;
  directory: boolean;
  /** The path table's slot for this stamp, once a row used it. */
  slot: number | undefined;
}

const NO_DEPS: ReadonlySet<string> = new Set();

/** What stat(2) says of a path, as one comparable string ('-' for no such path). */
function stampOf(stats: import('node:fs').Stats | undefined): string {
  return stats ? `${stats.ino}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.size}` : '-';
}

/** The encoded table: JSON, as the store's record payload. */
interface Encoded {
  format: number;
  paths: string[];
  stamps: string[];
  /** [kind (0 import, 1 require), referrer directory, specifier, result, dependency indices]. */
  rows: [number, string, string, string, number[]][];
}

export class PersistedResolutions {
  /** Paths rows depend on, and what they were when the rows were made. */
  readonly #paths: string[] = [];
  readonly #pathIndex = new Map<string, number>();
  readonly #stamps: string[] = [];
  readonly #rows = new Map<string, Row>();
  /** What this run's stat calls said, by path. */
  #seen = new Map<string, Seen>();
  /** Real paths of package and specifier directories, this run. */
  #real = new Map<string, string | undefined>();
  #dirty = false;
  /** Bumped by forgetChecks(): rows checked before are checked again. */
  #epoch = 0;
  hits = 0;
  misses = 0;
  /** Rows found out of date (something they depend on changed). */
  stale = 0;

  /** A table read back from its encoding; an empty one for anything that does not decode. */
  static decode(text: string | undefined): PersistedResolutions {
    const table = new PersistedResolutions();
    if (text === undefined) return table;
    try {
      const data = JSON.parse(text) as Encoded;
      if (data.format !== FORMAT || !Array.isArray(data.paths) || !Array.isArray(data.rows) || data.stamps.length !== data.paths.length) return table;
      data.paths.forEach((path, i) => table.#pathAt(path, data.stamps[i]!));
      for (const [kind, dir, specifier, result, deps] of data.rows) {
        if (typeof result !== 'string' || !Array.isArray(deps) || deps.some((d) => !(d >= 0 && d < data.paths.length))) return new PersistedResolutions();
        table.#rows.set(rowKey(kind === 1 ? 'require' : 'import', dir, specifier), { result, deps });
      }
    } catch {
      return new PersistedResolutions();
    }
    return table;
  }

  /** Whether this run added or replaced rows (the table needs writing). */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** How many rows the table holds. */
  get size(): number {
    return this.#rows.size;
  }

  /** The answer kept for this request, when nothing it depends on changed; else undefined. */
  lookup(kind: PersistedKind, dir: string, specifier: string): string | undefined {
    const row = this.#rows.get(rowKey(kind, dir, specifier));
    if (row === undefined) {
      this.misses++;
      return undefined;
    }
    if (row.checked !== this.#epoch) {
      row.checked = this.#epoch;
      row.valid = row.deps.every((i) => this.#stat(this.#paths[i]!).stamp === this.#stamps[i]);
      if (!row.valid) this.stale++;
    }
    if (!row.valid) {
      this.misses++;
      return undefined;
    }
    row.used = true;
    this.hits++;
    return row.result;
  }

  /** Keeps an answer Node's resolver just gave (a file: URL or a node: builtin), with what it depends on. */
  record(kind: PersistedKind, dir: string, specifier: string, result: string): void {
    const key = rowKey(kind, dir, specifier);
    const deps = result.startsWith('node:') ? NO_DEPS : this.#dependencies(dir, specifier, result);
    const indices: number[] = [];
    if (deps !== undefined) {
      for (const path of deps) {
        const seen = this.#stat(path);
        if (seen.recent) {
          indices.length = 0;
          break;
        }
        // A path whose stamp changed gets a new slot: rows made against the old stamp keep it, and fail their check.
        if (seen.slot === undefined) {
          const at = this.#pathIndex.get(path);
          seen.slot = at !== undefined && this.#stamps[at] === seen.stamp ? at : this.#pathAt(path, seen.stamp);
        }
        indices.push(seen.slot);
      }
    }
    if (deps === undefined || indices.length !== deps.size) {
      if (this.#rows.delete(key)) this.#dirty = true;
      return;
    }
    this.#rows.set(key, { result, deps: indices, checked: this.#epoch, valid: true, used: true });
    this.#dirty = true;
  }

  /** Forgets this run's stat results (files may have changed since: a reload, a watch). Rows are checked again. */
  forgetChecks(): void {
    this.#seen = new Map();
    this.#real = new Map();
    this.#epoch++;
  }

  /** The table as text: rows found out of date are left out, and rows beyond the cap (unused ones first). */
  encode(): string {
    let rows = [...this.#rows].filter(([, row]) => row.valid !== false && row.deps.every((i) => {
      // A row not checked this run is kept if what this run saw of its paths still matches.
      const seen = this.#seen.get(this.#paths[i]!);
      return seen === undefined || seen.stamp === this.#stamps[i];
    }));
    if (rows.length > MAX_ROWS) rows = [...rows.filter(([, r]) => r.used), ...rows.filter(([, r]) => !r.used)].slice(0, MAX_ROWS);
    // Only the paths the kept rows use.
    const paths: string[] = [];
    const stamps: string[] = [];
    const renumber = new Map<number, number>();
    const encoded: Encoded['rows'] = rows.map(([key, row]) => {
      const [kind, dir, specifier] = key.split('\0') as [string, string, string];
      const deps = row.deps.map((i) => {
        let j = renumber.get(i);
        if (j === undefined) {
          renumber.set(i, (j = paths.length));
          paths.push(this.#paths[i]!);
          stamps.push(this.#stamps[i]!);
        }
        return j;
      });
      return [kind === 'require' ? 1 : 0, dir, specifier, row.result, deps];
    });
    return JSON.stringify({ format: FORMAT, paths, stamps, rows: encoded } satisfies Encoded);
  }

  #pathAt(path: string, stamp: string): number {
    const at = this.#paths.length;
    this.#paths.push(path);
    this.#stamps.push(stamp);
    this.#pathIndex.set(path, at);
    return at;
  }

  #stat(path: string): Seen {
    let seen = this.#seen.get(path);
    if (seen === undefined) {
      let stats: import('node:fs').Stats | undefined;
      try {
        stats = fs.statSync(path, { throwIfNoEntry: false });
      } catch {
        stats = undefined; // not a directory on the way, no permission: as if absent
      }
      seen = {
        stamp: stampOf(stats),
        recent: stats !== undefined && Date.now() - Math.max(stats.mtimeMs, stats.ctimeMs) < SETTLED_MS,
        directory: stats?.isDirectory() ?? false,
        slot: undefined,
      };
      this.#seen.set(path, seen);
    }
    return seen;
  }

  #realPath(path: string): string | undefined {
    if (!this.#real.has(path)) {
      let real: string | undefined;
      try {
        real = fs.realpathSync.native(path);
      } catch {
        real = undefined;
      }
      this.#real.set(path, real);
    }
    return this.#real.get(path);
  }

  /** The nearest package.json at or above `dir` (not above `top`), and the directories walked to find it. */
  #scope(dir: string, top: string | undefined, walked: string[]): string | undefined {
    for (let at = dir; ; at = parentOf(at)) {
      walked.push(at);
      const file = child(at, 'package.json');
      if (this.#stat(file).stamp !== '-') return file;
      if (at === top || parentOf(at) === at) return undefined;
    }
  }

  /** What an answer depends on (see the head of this file); undefined when that cannot be said. */
  #dependencies(dir: string, specifier: string, result: string): Set<string> | undefined {
    if (!result.startsWith('file:')) return undefined;
    const file = hrefToPath(result);
    const deps = new Set<string>([parentOf(file)]);
    const under = (root: string | undefined) => root !== undefined && file.startsWith(root.endsWith(sep) ? root : root + sep);
    if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:')) {
      const target = targetOf(dir, specifier);
      const parent = parentOf(target);
      // The referrer's directory and its ancestors are real paths already (modules are keyed by real path).
      if (!(dir === parent || dir.startsWith(parent === sep ? parent : parent + sep)) && this.#realPath(parent) !== parent) return undefined;
      deps.add(parent);
      // Resolved inside the specifier's own directory (index file, "main"): that directory and its package.json.
      // Otherwise the answer is the path itself or it with an extension, which Node prefers to a directory.
      if (file.startsWith(target + sep)) {
        deps.add(target);
        deps.add(child(target, 'package.json'));
      }
      return under(parent) ? deps : undefined;
    }
    if (specifier.startsWith('#')) {
      // "imports" of the nearest package.json, and the directories up to it (a nearer one would take its place).
      const walked: string[] = [];
      const scope = this.#scope(dir, undefined, walked);
      if (scope === undefined) return undefined;
      for (const d of walked) deps.add(d);
      deps.add(scope);
      return under(this.#realPath(parentOf(scope))) ? deps : undefined;
    }
    // A bare specifier: the node_modules lookup, from the referrer's directory up.
    const name = packageNameOf(specifier);
    if (name === undefined) return undefined;
    for (let at = dir; ; at = parentOf(at)) {
      deps.add(at);
      const modules = child(at, 'node_modules');
      if (this.#stat(modules).directory) {
        deps.add(modules);
        if (name.includes('/')) {
          const scoped = child(modules, name.slice(0, name.indexOf('/')));
          if (this.#stat(scoped).directory) deps.add(scoped);
        }
        const pkg = child(modules, name);
        if (this.#stat(pkg).stamp !== '-') {
          deps.add(pkg);
          deps.add(child(pkg, 'package.json'));
          // Self-reference reads the nearest package.json first: the one at or below this level (a project's
          // own, beside its node_modules; a package's own). One further up is not looked for (see above).
          const scope = this.#scope(dir, at, []);
          if (scope !== undefined) deps.add(scope);
          return under(this.#realPath(pkg)) ? deps : undefined;
        }
      }
      if (parentOf(at) === at) return undefined; // not in any node_modules: NODE_PATH, global folders, self-reference
    }
  }
}

function rowKey(kind: PersistedKind, dir: string, specifier: string): string {
  return `${kind}\0${dir}\0${specifier}`;
}
