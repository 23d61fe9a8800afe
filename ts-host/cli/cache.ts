// `canon cache info` and `canon cache clear`: the persistent compile and
// analysis cache that `canon run` uses (README "Cache").

import { cacheDisabledByEnv, checkCacheDirectory, defaultCacheDir, DirectoryStore, engineKey, maxBytesFromEnv } from '../cache/index.js';
import { join } from 'node:path';
import { fs } from '../builtins.js';
import { UsageError } from './usage.js';

/** The code cache of canon's own command line (cli/load-bundle.ts): its files and their size. */
function ownCode(dir: string): { files: string[]; bytes: number } {
  const own = join(dir, 'own');
  let files: string[] = [];
  try {
    files = fs.readdirSync(own).filter((name) => name.endsWith('.v8')).map((name) => join(own, name));
  } catch {
    // not written yet
  }
  return { files, bytes: files.reduce((sum, file) => sum + fs.statSync(file).size, 0) };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function cache(args: string[]): void {
  const [action, ...extra] = args;
  if ((action !== 'info' && action !== 'clear') || extra.length > 0) {
    throw new UsageError('cache: expected "info" or "clear" (see canon cache --help)');
  }
  const dir = defaultCacheDir();
  checkCacheDirectory(dir);
  const store = new DirectoryStore(dir, { maxBytes: maxBytesFromEnv() });
  if (action === 'clear') {
    const { records, bytes } = store.info();
    store.clear();
    const own = ownCode(dir);
    for (const file of own.files) fs.rmSync(file, { force: true });
    process.stdout.write(`removed ${records} records (${megabytes(bytes)}) and ${own.files.length} code caches of canon's own code (${megabytes(own.bytes)}) from ${dir}\n`);
    return;
  }
  const info = store.info();
  const lines = [
    ['location', dir],
    ['size', `${megabytes(info.bytes)} of ${megabytes(info.maxBytes)} (CANON_CACHE_MAX_MB)`],
    ['records', String(info.records)],
    ['packs', String(info.packs)],
    ['own code', `${megabytes(ownCode(dir).bytes)} in own/ (canon's own command line, one file per Node version)`],
    ['V8 key', `${engineKey()} (V8 ${process.versions.v8}, Node ${process.version}, ${process.arch})`],
    ['enabled', cacheDisabledByEnv() ? 'no (CANON_CACHE=0)' : 'yes (canon run --no-cache or CANON_CACHE=0 turn it off)'],
  ];
  for (const [name, value] of lines) process.stdout.write(`${name!.padEnd(9)}${value}\n`);
}
