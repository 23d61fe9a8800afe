// Where canon's caches live and whether a directory is safe to keep them in:
// the module cache (directory-store.ts) and the code cache of canon's own
// command line (cli/load-bundle.ts) share these rules. Small on purpose: the
// bin loads this file before anything else, without a code cache.

import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createRequire, fs } from '../builtins.js';

export class CacheDirectoryError extends Error {
  override name = 'CacheDirectoryError';
  /** 'create': the directory could not be made; 'unsafe': it is not safe to run code from. */
  readonly reason: 'create' | 'unsafe';

  constructor(message: string, reason: 'create' | 'unsafe' = 'unsafe') {
    super(message);
    this.reason = reason;
  }
}

/** `$CANON_CACHE_DIR`, else `$XDG_CACHE_HOME/canon`, else `~/.cache/canon`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CANON_CACHE_DIR) return resolve(env.CANON_CACHE_DIR);
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'canon');
  // $HOME first: node:os is not loaded at start-up for this alone.
  const home = env.HOME || (createRequire(import.meta.url)('node:os') as typeof import('node:os')).homedir();
  return join(home, '.cache', 'canon');
}

/** Whether CANON_CACHE=0 (or false/off/no) turns every cache off. */
export function cacheDisabledByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(0|false|off|no)$/i.test(env.CANON_CACHE ?? '');
}

/**
 * Creates the directory if needed (mode 0700) and checks that it is safe to
 * run code from: a directory owned by this user, writable by no one else, in
 * a parent no one else can rename it out of. Throws CacheDirectoryError.
 */
export function checkCacheDirectory(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CacheDirectoryError(`cannot create ${dir}: ${(error as Error).message}`, 'create');
  }
  const st = fs.statSync(dir);
  if (!st.isDirectory()) throw new CacheDirectoryError(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid === undefined) return; // Windows: ACLs, not modes
  if (st.uid !== uid) throw new CacheDirectoryError(`${dir} is owned by another user (uid ${st.uid}, this process runs as ${uid})`);
  if ((st.mode & 0o022) !== 0) {
    throw new CacheDirectoryError(`${dir} is writable by ${st.mode & 0o002 ? 'others' : 'its group'} (mode ${(st.mode & 0o777).toString(8)}); chmod 700 it`);
  }
  const parent = fs.statSync(dirname(dir));
  // In a parent everyone can write to, the directory can be renamed away and replaced, unless the parent is sticky (/tmp).
  // (A group-writable parent is common with per-user groups, ~/.cache under umask 002, and is let through.)
  if ((parent.mode & 0o002) !== 0 && (parent.mode & 0o1000) === 0) {
    throw new CacheDirectoryError(`${dirname(dir)} (the parent of ${dir}) is writable by everyone and not sticky`);
  }
}
