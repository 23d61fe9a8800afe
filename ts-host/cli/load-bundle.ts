// Loads the command line (cli/bundle.cjs) with a V8 code cache of canon's
// own code, on every Node.
//
// Compiling the 320 KB bundle, and then each function of it the first time
// it runs, was about half of `canon run`'s start-up over node's (10 of 16 ms
// of CPU on Node 20; Node 22's module.enableCompileCache saves less, as it
// caches only what was compiled before the bundle ran). So the bundle is
// compiled as a vm.Script with the cached data of an earlier run, made at
// that run's exit by createCachedData(), which then holds every function the
// run compiled. The cache is one file per Node version and bundle build, in
// the directory of the module cache (`own/`), under the same rules: a
// directory not safe to run code from is not used; CANON_CACHE=0 turns it
// off. V8 checks the data it is given (its version, flags and the source's
// length) and compiles afresh when it rejects it, but it does not check the
// payload (a flipped byte crashes the process in V8's deserializer), so the
// file starts with a 64-bit checksum of the data (checksum.wat: four
// independent lanes, over the file read straight into its memory; loading
// node:zlib for a CRC would cost milliseconds).
// The file name carries the bundle's size, mtime and inode, so a rebuilt
// bundle gets a new file. A bad, rejected or missing file is written again,
// to a temporary name and renamed into place, at the run's exit.

import { dirname, join } from 'node:path';
import { cacheDisabledByEnv, checkCacheDirectory, defaultCacheDir } from '../cache/location.js';
import { createRequire, fs } from '../builtins.js';

/** What the bundle exports (cli/main.ts). */
export interface CommandLine {
  main(argv: string[], script: string): Promise<void>;
  report(error: unknown): void;
}

const require = createRequire(import.meta.url);

/** checksum.wat, assembled (tests/own-code-cache.test.ts checks these bytes against the text). */
export const CHECKSUM_WASM = 'AGFzbQEAAAABBwFgAn9/AX4DAgEABQMBAAEHFQIGbWVtb3J5AgAIY2hlY2tzdW0AAAqcAgGZAgICfwR+QpX4qfqXt96bnn8hBELP1tO+0ser2UIhBUL5893xmfaZqxYhBkLFz9my8eW66ichByAAIQIgACABaiEDAkADQCACIANPDQEgBCACKQMAhUKzg4CAgCB+IQQgBSACKQMIhUKzg4CAgCB+IQUgBiACKQMQhUKzg4CAgCB+IQYgByACKQMYhUKzg4CAgCB+IQcgBCAEQh2IhSEEIAUgBUIdiIUhBSAGIAZCHYiFIQYgByAHQh2IhSEHIAJBIGohAgwACwsgBCAFhUKzg4CAgCB+IQQgBCAEQh2IhSEEIAQgBoVCs4OAgIAgfiEEIAQgBEIdiIUhBCAEIAeFQrODgICAIH4hBCAEIARCHYiFIQQgBCABrYUL';
const HEADER = 8;
/** How many other builds' files of this Node stay beside this build's. */
const OTHER_BUILDS_KEPT = 3;

/** checksum.wat, instantiated with room for `bytes` and the 32 zero bytes its last step may read past them. */
function checksummer(bytes: number): { memory: WebAssembly.Memory; sum: (ptr: number, length: number) => bigint } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(CHECKSUM_WASM, 'base64')));
  const { memory, checksum: sum } = instance.exports as { memory: WebAssembly.Memory; checksum: (ptr: number, length: number) => bigint };
  const pages = Math.ceil((bytes + 32) / 65536) - 1;
  if (pages > 0) memory.grow(pages);
  return { memory, sum: (ptr, length) => BigInt.asUintN(64, sum(ptr, length)) };
}

/** The 64-bit checksum of `data` (checksum.wat). */
export function checksum(data: Uint8Array): bigint {
  const { memory, sum } = checksummer(data.length);
  new Uint8Array(memory.buffer).set(data);
  return sum(0, data.length);
}

/**
 * The V8 data of a cache file, or undefined when its checksum does not
 * match. The file is read straight into the checksum's memory (no copy),
 * and the data handed to V8 is a view of it.
 */
function readVerified(file: string): Buffer | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= HEADER) return undefined;
    const { memory, sum } = checksummer(size);
    const bytes = Buffer.from(memory.buffer, 0, size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, bytes, done, size - done, done);
      if (n === 0) return undefined; // shorter than when measured: being replaced
      done += n;
    }
    return bytes.readBigUInt64LE(0) === sum(HEADER, size - HEADER) ? bytes.subarray(HEADER) : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Where the bundle's code cache is kept. */
interface CacheFile {
  dir: string;
  file: string;
  /** What the names of this Node's files start with (other builds' files of this Node are removed but the newest few). */
  prefix: string;
}

/** The bundle's code cache file, or undefined when caching is off or the directory is unsafe. */
function cacheFile(stat: import('node:fs').Stats): CacheFile | undefined {
  if (cacheDisabledByEnv()) return undefined;
  const dir = join(defaultCacheDir(), 'own');
  try {
    checkCacheDirectory(dir);
  } catch {
    return undefined; // the module cache warns about its directory; this one stays quiet
  }
  const prefix = `${process.version}-${process.arch}-`;
  return { dir, file: join(dir, `${prefix}${stat.size}-${Math.trunc(stat.mtimeMs)}-${stat.ino}.v8`), prefix };
}

/** Writes the script's code cache to `file` (temp file, rename) and removes older ones; a failure only costs the next run its cache. */
function writeCodeCache(script: import('node:vm').Script, { dir, file, prefix }: CacheFile): void {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    const data = script.createCachedData();
    const header = Buffer.alloc(HEADER);
    header.writeBigUInt64LE(checksum(data));
    fs.writeFileSync(tmp, Buffer.concat([header, data]), { mode: 0o600 });
    fs.renameSync(tmp, file);
    // Other builds' files for this Node go but the newest few: two installs of canon run in turn (a global
    // and a project's, two checkouts) would otherwise remove each other's file and compile afresh every
    // run. Other Node versions keep theirs.
    const keep = file.slice(dir.length + 1);
    const others = fs.readdirSync(dir)
      .filter((name) => name !== keep && name.startsWith(prefix) && name.endsWith('.v8'))
      .map((name) => ({ name, written: fs.statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.written - a.written);
    for (const { name } of others.slice(OTHER_BUILDS_KEPT)) fs.rmSync(join(dir, name), { force: true });
  } catch {
    // read-only or full disk: run uncached next time too
  }
}

/** Runs the bundle at `path` (a CommonJS file) and returns its exports. */
export function loadBundle(path: string): CommandLine {
  const vm = require('node:vm') as typeof import('node:vm');
  const text = fs.readFileSync(path, 'utf8');
  const where = cacheFile(fs.statSync(path));
  let cachedData: Buffer | undefined;
  let state = where ? 'miss' : 'off';
  try {
    if (where) {
      cachedData = readVerified(where.file);
      state = cachedData ? 'hit' : 'bad checksum';
    }
  } catch {
    // not written yet
  }
  // Node's own CommonJS wrapper, so the bundle is also a plain CommonJS file.
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
  const script = new vm.Script(wrapper, { filename: path, ...(cachedData ? { cachedData } : {}) });
  if (cachedData && script.cachedDataRejected) state = 'rejected';
  if (process.env.CANON_CACHE_DEBUG) process.stderr.write(`canon cache: own code ${state}\n`);
  if (where && state !== 'hit') {
    process.once('exit', () => writeCodeCache(script, where));
  }
  const module = { exports: {} as CommandLine };
  const run = script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void;
  // The bundle requires builtins only (everything else is bundled): this file's require serves, where a
  // createRequire(path) of its own cost up to 0.8 ms of start-up (Node 26 resolving the path afresh).
  run(module.exports, require, module, path, dirname(path));
  return module.exports;
}
