// `canon cache info` and `canon cache clear`: the persistent compile and
// analysis cache that `canon run` uses (README "Cache").

import { cacheDisabledByEnv, checkCacheDirectory, defaultCacheDir, DirectoryStore, engineKey, maxBytesFromEnv } from '../cache/index.js';
import { UsageError } from './usage.js';

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
    process.stdout.write(`removed ${records} records (${megabytes(bytes)}) from ${dir}\n`);
    return;
  }
  const info = store.info();
  const lines = [
    ['location', dir],
    ['size', `${megabytes(info.bytes)} of ${megabytes(info.maxBytes)} (CANON_CACHE_MAX_MB)`],
    ['records', String(info.records)],
    ['packs', String(info.packs)],
    ['V8 key', `${engineKey()} (V8 ${process.versions.v8}, Node ${process.version}, ${process.arch})`],
    ['enabled', cacheDisabledByEnv() ? 'no (CANON_CACHE=0)' : 'yes (canon run --no-cache or CANON_CACHE=0 turn it off)'],
  ];
  for (const [name, value] of lines) process.stdout.write(`${name!.padEnd(9)}${value}\n`);
}
