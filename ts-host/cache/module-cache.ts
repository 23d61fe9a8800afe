// The module cache: for each JS module, keyed by the content hash of its
// bytes, a record with its analysis (analysis-codec.ts) and, for modules big
// enough to gain from it, V8's code cache. A warm run hashes the bytes it
// read, finds the record, and neither lexes nor fully compiles the module.
//
// Key: `<engine key>:<XXH3-128 of the bytes under the store's seed>`. The
// engine key covers what makes a record unusable elsewhere: the V8 version,
// the architecture, the V8/Node flags of the process, this record format and
// the code that produces the analysis (canon's lexer and lowering, and
// es-module-lexer). V8 checks its own code cache too (version, flags, source
// length) and refuses a mismatch: that is caught, the module compiled
// without it, and the record rewritten.
//
// A CommonJS module's record has no analysis (it has no requests), only the
// code cache of its compiled function (vm.compileFunction's cachedData), and
// a key of its own: the same bytes loaded as an ES module are another record.
//
// Record (little-endian):
//   0  magic 'CNMR'      4  format u16, flags u16 (1: has code cache, 2: a CommonJS function's)
//   8  source bytes u32  12 analysis bytes u32  16 code cache bytes u32  20 reserved
//   24 checksum32 of everything from byte 48 on 28 reserved
//   32 the content hash (128 bits)              48 analysis, padded to 8, code cache
// A record whose magic, format, lengths, content hash or checksum do not
// match the bytes read is ignored, deleted and written anew.

import { fs } from '../builtins.js';
import vm from 'node:vm';
import type { LinearBuffer } from '../core/index.js';
import { engineCore } from '../engine-core.js';
import { nodeAtLeast } from '../node-version.js';
import type { LexResult } from '../sources/analyze-js.js';
import { decodeAnalysis, encodeAnalysis, type DecodedAnalysis } from './analysis-codec.js';
import { checksum32 } from './checksum.js';
import type { CacheStore } from './store.js';

const RECORD_MAGIC = 0x524d4e43; // 'CNMR'
const RECORD_FORMAT = 2;
const HAS_CODE = 1;
const IS_FUNCTION = 2;
const HEADER = 48;

/**
 * Modules shorter than this (UTF-16 units) get no V8 code cache. Compiling
 * a module of a few kilobytes from its code cache saves 10-30 us, about what
 * making the cache (createCachedData) costs once and what reading its bytes
 * costs every time: on lodash-es (640 modules of 0.3-19 KB) a threshold of
 * 1 KB made warm runs no faster than uncached ones on Node 26
 * (bench/cache.ts). A large module gains milliseconds (acorn's 230 KB
 * compiles in 2.5 ms, 0.2 ms from its code cache).
 */
export const CODE_CACHE_MIN_LENGTH = 8192;

/**
 * Modules smaller than this (bytes) are not cached at all: es-module-lexer
 * reads a few hundred bytes in a microsecond or two, about what looking a
 * record up costs, and writing the record costs more (bench/cache.ts).
 */
export const RECORD_MIN_BYTES = 1024;

/** Node options that do not change how V8 compiles, left out of the engine key. */
const NEUTRAL_FLAGS = /^--(experimental-vm-modules|disable-warning|no-warnings|no-deprecation|trace-warnings|enable-source-maps|title|cpu-prof|heap-prof|inspect|env-file|import|require|loader|experimental-loader)/;

function hex64(n: bigint): string {
  return n.toString(16).padStart(16, '0');
}

let defaultEngineKey: string | undefined;

/**
 * What a record's usability depends on besides the module's bytes: V8
 * version, architecture, flags, the record format and the analysis code.
 */
export function engineKey(): string {
  if (defaultEngineKey === undefined) {
    const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)]
      .filter((f) => f.startsWith('-') && !NEUTRAL_FLAGS.test(f))
      .sort();
    const parts = [`canon-cache-${RECORD_FORMAT}`, process.versions.v8, process.arch, process.platform, ...flags];
    // The code that produces the analysis: a changed (rebuilt, upgraded) lexer or lowering makes new records.
    // The versions of canon and es-module-lexer (npm gives every installed file the same mtime), and the
    // size and modification time of the files themselves (a rebuild): a stat is cheaper than reading them.
    const lexer = lexerPackage();
    for (const url of [new URL('../../../package.json', import.meta.url), lexer]) {
      try {
        parts.push(String((JSON.parse(fs.readFileSync(url, 'utf8')) as { version?: unknown }).version));
      } catch {
        parts.push(String(url));
      }
    }
    for (const url of [new URL('../sources/analyze-js.js', import.meta.url), new URL('../loader/lower.js', import.meta.url), new URL('./analysis-codec.js', import.meta.url), lexer]) {
      try {
        const st = fs.statSync(url);
        parts.push(`${String(url)} ${st.size} ${st.mtimeMs}`);
      } catch {
        parts.push(String(url));
      }
    }
    defaultEngineKey = hex64(engineCore().hash64(parts.join('\n'), 0)).slice(0, 12);
  }
  return defaultEngineKey;
}

/**
 * es-module-lexer's package.json: in node_modules beside canon's own package
 * or in a directory above it (where npm hoists it), found as Node's lookup
 * would find it, by a stat per directory. (Not require.resolve: the first
 * use of Node's CommonJS resolver with package exports cost 1.6 ms of every
 * process that opened the cache.)
 */
function lexerPackage(): URL | string {
  for (let dir = new URL('../../../', import.meta.url); ; dir = new URL('../', dir)) {
    const candidate = new URL('node_modules/es-module-lexer/package.json', dir);
    if (fs.existsSync(candidate)) return candidate;
    if (dir.pathname === '/') return 'es-module-lexer';
  }
}

/**
 * Whether V8 code caches are used by default: from Node 26 on. On Node
 * 20.20 (V8 11.3), runs that compiled modules from a code cache crashed in
 * the garbage collector now and then (a few runs in a hundred, lodash-es);
 * Node 22 and 24 are untested. CANON_CACHE_CODE=1 or 0 overrides this.
 */
export function codeCacheByDefault(): boolean {
  return codeCacheFromEnv() ?? nodeAtLeast(26);
}

/** CANON_CACHE_CODE=1 or 0: code caches forced on or off; undefined otherwise. */
function codeCacheFromEnv(): boolean | undefined {
  const env = process.env.CANON_CACHE_CODE;
  return env === '1' || env === '0' ? env === '1' : undefined;
}

/**
 * Whether CommonJS modules' code caches (vm.compileFunction's cachedData)
 * are used by default: on every Node. Unlike SourceTextModule's, they ran
 * clean on Node 20.20: 690 warm runs of the CommonJS and mixed bench apps
 * (about 200 functions each from code caches) without a crash or a changed
 * output. CANON_CACHE_CODE=1 or 0 overrides this too.
 */
export function functionCodeCacheByDefault(): boolean {
  return codeCacheFromEnv() ?? true;
}

export interface ModuleCacheOptions {
  /** Whether records hold V8 code caches (default: codeCacheByDefault()); analysis is cached either way. */
  codeCache?: boolean;
  /** Modules shorter than this get no V8 code cache (default CODE_CACHE_MIN_LENGTH). */
  codeCacheMinLength?: number;
  /** Modules smaller than this (bytes) are not cached (default RECORD_MIN_BYTES). */
  minBytes?: number;
  /** Whether CommonJS modules get records with V8's code cache of their function (default: functionCodeCacheByDefault()). */
  functionCodeCache?: boolean;
  /** CommonJS modules smaller than this (bytes) get none (default FUNCTION_CODE_CACHE_MIN_BYTES). */
  functionCodeCacheMinBytes?: number;
  /** @internal Tests: a different engine key (as another V8 version would have). */
  engineKey?: string;
}

/**
 * CommonJS modules smaller than this (bytes) get no record. From 1 KB up a
 * module's function compiles from its code cache in a quarter to a tenth of
 * the time (the CommonJS bench app's 200 modules of 1 KB or more: 22 ms of
 * compiling became 5); below that a lookup costs about what it saves. Making
 * and writing the caches costs the first run about what later runs save (on
 * that app 7% more CPU cold, 7% less warm; with 4 KB, 4% and 4.5%).
 */
export const FUNCTION_CODE_CACHE_MIN_BYTES = 1024;

/** vm.compileFunction's result: the function, and what it says about code caches. */
type CompiledFunction = ((...args: unknown[]) => unknown) & { cachedDataRejected?: boolean; cachedDataProduced?: boolean; cachedData?: Uint8Array };

/** The code cache record of one CommonJS module (its function compiled by vm.compileFunction). */
export class FunctionCacheSlot {
  readonly cache: ModuleCache;
  readonly key: string;
  readonly #hash: bigint;
  readonly #sourceBytes: number;
  /** The V8 code cache from the record, or made this run. */
  code: Uint8Array | undefined;

  constructor(cache: ModuleCache, key: string, hash: bigint, sourceBytes: number, code: Uint8Array | undefined) {
    this.cache = cache;
    this.key = key;
    this.#hash = hash;
    this.#sourceBytes = sourceBytes;
    this.code = code;
  }

  /**
   * vm.compileFunction with the record's code cache (compiling again without
   * it, and making a new one, when V8 refuses it), or making one on a miss.
   * The function carries none of compileFunction's cache properties: the
   * module's code could see them (arguments.callee), Node's own do not have them.
   */
  compileFunction(text: string, params: string[], options: vm.CompileFunctionOptions): CompiledFunction {
    const code = this.code;
    if (code !== undefined) {
      const fn = vm.compileFunction(text, params, { ...options, cachedData: code }) as CompiledFunction;
      const rejected = fn.cachedDataRejected === true;
      delete fn.cachedDataRejected;
      if (!rejected) return fn;
      this.code = undefined;
      this.cache.rejected++;
    }
    const fn = vm.compileFunction(text, params, { ...options, produceCachedData: true }) as CompiledFunction;
    if (fn.cachedDataProduced && fn.cachedData) {
      this.code = fn.cachedData;
      this.cache.dirty(this);
    }
    delete fn.cachedDataProduced;
    delete fn.cachedData;
    return fn;
  }

  /** @internal The record to store. */
  encode(): Uint8Array {
    return encodeRecord(this.#hash, this.#sourceBytes, new Uint8Array(0), this.code, IS_FUNCTION);
  }
}

/** What the cache knows about one loaded JS module; Loaded carries it to instantiate(). */
export class CacheSlot {
  readonly cache: ModuleCache;
  readonly key: string;
  readonly #hash: bigint;
  readonly #sourceBytes: number;
  /** The V8 code cache from the record, or made this run. */
  code: Uint8Array | undefined;
  /** The record's encoded analysis (a hit), kept to rewrite the record. */
  #analysis: Uint8Array | undefined;
  /** A miss: what to encode at flush. */
  #fresh: { text: string; lex: LexResult; compileText: string | undefined } | undefined;

  constructor(cache: ModuleCache, key: string, hash: bigint, sourceBytes: number) {
    this.cache = cache;
    this.key = key;
    this.#hash = hash;
    this.#sourceBytes = sourceBytes;
  }

  /** @internal A hit's analysis bytes. */
  setAnalysis(bytes: Uint8Array): void {
    this.#analysis = bytes;
  }

  /** Records a miss's analysis, written with the record at flush. */
  remember(text: string, lex: LexResult, compileText: string | undefined): void {
    this.#fresh = { text, lex, compileText };
    this.cache.dirty(this);
  }

  /**
   * Compiles the module's text: with the record's code cache when it has
   * one (recompiling without it if V8 refuses it), else plainly, making a
   * code cache for a module big enough to gain from one. Call before the
   * module is evaluated (V8 cannot make a code cache after).
   */
  compile(text: string, options: vm.SourceTextModuleOptions): vm.SourceTextModule {
    const code = this.code;
    if (code !== undefined) {
      let module: vm.SourceTextModule | undefined;
      try {
        module = new vm.SourceTextModule(text, { ...options, cachedData: code });
      } catch (error) {
        // Some Node releases throw instead of setting cachedDataRejected.
        if ((error as { code?: string } | null)?.code !== 'ERR_VM_MODULE_CACHED_DATA_REJECTED') throw error;
      }
      if (module !== undefined && !(module as { cachedDataRejected?: boolean }).cachedDataRejected) return module;
      this.code = undefined;
      this.cache.rejected++;
      this.cache.dirty(this);
      if (module !== undefined) {
        this.#makeCode(module, text);
        return module;
      }
    }
    const module = new vm.SourceTextModule(text, options);
    this.#makeCode(module, text);
    return module;
  }

  #makeCode(module: vm.SourceTextModule, text: string): void {
    if (!this.cache.codeCache || text.length < this.cache.codeCacheMinLength) return;
    this.code = (module as unknown as { createCachedData(): Uint8Array }).createCachedData();
    this.cache.dirty(this);
  }

  /** @internal The record to store. */
  encode(): Uint8Array {
    let analysis = this.#analysis;
    if (analysis === undefined) {
      const fresh = this.#fresh!;
      analysis = encodeAnalysis(fresh.text, fresh.lex, fresh.compileText);
    }
    return encodeRecord(this.#hash, this.#sourceBytes, analysis, this.code, 0);
  }
}

/** A record: the header, the analysis, the code cache (see the top of this file). */
function encodeRecord(hash: bigint, sourceBytes: number, analysis: Uint8Array, code: Uint8Array | undefined, flags: number): Uint8Array {
  const codeAt = align8(HEADER + analysis.length);
  const out = new Uint8Array(code ? codeAt + code.length : HEADER + analysis.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, RECORD_MAGIC, true);
  view.setUint16(4, RECORD_FORMAT, true);
  view.setUint16(6, (code ? HAS_CODE : 0) | flags, true);
  view.setUint32(8, sourceBytes, true);
  view.setUint32(12, analysis.length, true);
  view.setUint32(16, code?.length ?? 0, true);
  view.setBigUint64(32, BigInt.asUintN(64, hash), true);
  view.setBigUint64(40, hash >> 64n, true);
  out.set(analysis, HEADER);
  if (code) out.set(code, codeAt);
  view.setUint32(24, checksum32(out.subarray(HEADER)), true);
  return out;
}

/** A cache lookup for one module: its slot, and the analysis when the record was good. */
export interface Probe {
  slot: CacheSlot;
  analysis: DecodedAnalysis | undefined;
}

export class ModuleCache {
  readonly store: CacheStore;
  readonly codeCache: boolean;
  readonly codeCacheMinLength: number;
  readonly minBytes: number;
  readonly functionCodeCache: boolean;
  readonly functionCodeCacheMinBytes: number;
  readonly #engineKey: string | undefined;
  #seed: bigint | undefined;
  #dirty = new Set<CacheSlot | FunctionCacheSlot>();
  #exitHook = false;
  /** atFlush() callbacks. */
  readonly #writers: (() => void)[] = [];
  /** Counters for `canon cache info` and tests. */
  hits = 0;
  misses = 0;
  /** Records found bad (checksum, lengths, hash, analysis) and dropped. */
  corrupt = 0;
  /** Code caches V8 refused. */
  rejected = 0;

  constructor(store: CacheStore, options: ModuleCacheOptions = {}) {
    this.store = store;
    this.codeCache = options.codeCache ?? codeCacheByDefault();
    this.codeCacheMinLength = options.codeCacheMinLength ?? CODE_CACHE_MIN_LENGTH;
    this.minBytes = options.minBytes ?? RECORD_MIN_BYTES;
    this.functionCodeCache = options.functionCodeCache ?? functionCodeCacheByDefault();
    this.functionCodeCacheMinBytes = options.functionCodeCacheMinBytes ?? FUNCTION_CODE_CACHE_MIN_BYTES;
    this.#engineKey = options.engineKey;
  }

  get engineKey(): string {
    return this.#engineKey ?? engineKey();
  }

  /**
   * Looks a module up by the bytes just read (in linear memory) and their
   * decoded text. A record is used only if it matches those bytes.
   * Undefined for a module too small to cache.
   */
  probe(buffer: LinearBuffer, text: string): Probe | undefined {
    if (buffer.byteLength < this.minBytes) return undefined;
    const hash = this.#hash(buffer);
    const key = `${this.engineKey}:${hash.toString(16)}`;
    const slot = new CacheSlot(this, key, hash, buffer.byteLength);
    const record = this.store.get(key);
    if (record === undefined) {
      this.misses++;
      return { slot, analysis: undefined };
    }
    const analysis = this.#verify(record, hash, buffer.byteLength, text, slot);
    if (analysis === undefined) {
      this.corrupt++;
      this.misses++;
      this.store.delete(key);
      return { slot, analysis: undefined };
    }
    this.hits++;
    return { slot, analysis };
  }

  /**
   * The code cache slot of a CommonJS module, looked up by the bytes just
   * read (in linear memory): with the record's code cache when it matches
   * those bytes. Undefined when CommonJS code caches are off or the module
   * is too small for one.
   */
  probeFunction(buffer: LinearBuffer): FunctionCacheSlot | undefined {
    if (!this.functionCodeCache || buffer.byteLength < this.functionCodeCacheMinBytes) return undefined;
    const hash = this.#hash(buffer);
    const key = `${this.engineKey}:f:${hash.toString(16)}`;
    const record = this.store.get(key);
    if (record === undefined) {
      this.misses++;
      return new FunctionCacheSlot(this, key, hash, buffer.byteLength, undefined);
    }
    const code = this.#verifyFunction(record, hash, buffer.byteLength);
    if (code === undefined) {
      this.corrupt++;
      this.misses++;
      this.store.delete(key);
    } else {
      this.hits++;
    }
    return new FunctionCacheSlot(this, key, hash, buffer.byteLength, code);
  }

  /** The content hash of a module's bytes under the store's seed (and, on first use, the flush at exit). */
  #hash(buffer: LinearBuffer): bigint {
    this.#flushAtExit();
    const seed = (this.#seed ??= (this.store as { seed?: bigint }).seed ?? 0n);
    return engineCore().hash128At(buffer, 0, buffer.byteLength, seed);
  }

  /** A record's header and checksum checked against the module's bytes; its flags, and where its analysis and code cache are. */
  #check(record: Uint8Array, hash: bigint, sourceBytes: number): { flags: number; analysisLength: number; codeAt: number; codeLength: number } | undefined {
    if (record.length < HEADER) return undefined;
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (view.getUint32(0, true) !== RECORD_MAGIC || view.getUint16(4, true) !== RECORD_FORMAT) return undefined;
    if (view.getUint32(8, true) !== sourceBytes) return undefined;
    if (view.getBigUint64(32, true) !== BigInt.asUintN(64, hash) || view.getBigUint64(40, true) !== hash >> 64n) return undefined;
    const flags = view.getUint16(6, true);
    const analysisLength = view.getUint32(12, true);
    const codeLength = view.getUint32(16, true);
    const hasCode = (flags & HAS_CODE) !== 0;
    const codeAt = align8(HEADER + analysisLength);
    const expected = hasCode ? codeAt + codeLength : HEADER + analysisLength;
    if (record.length !== expected || (!hasCode && codeLength !== 0)) return undefined;
    if (view.getUint32(24, true) !== checksum32(record.subarray(HEADER))) return undefined;
    return { flags, analysisLength, codeAt, codeLength };
  }

  /** A CommonJS record's code cache, if the record is good. */
  #verifyFunction(record: Uint8Array, hash: bigint, sourceBytes: number): Uint8Array | undefined {
    const checked = this.#check(record, hash, sourceBytes);
    if (!checked || checked.flags !== (HAS_CODE | IS_FUNCTION) || checked.analysisLength !== 0) return undefined;
    return record.subarray(checked.codeAt, checked.codeAt + checked.codeLength);
  }

  #verify(record: Uint8Array, hash: bigint, sourceBytes: number, text: string, slot: CacheSlot): DecodedAnalysis | undefined {
    const checked = this.#check(record, hash, sourceBytes);
    if (!checked || (checked.flags & IS_FUNCTION) !== 0) return undefined;
    const { analysisLength, codeAt, codeLength } = checked;
    const hasCode = (checked.flags & HAS_CODE) !== 0;
    const analysisBytes = record.subarray(HEADER, HEADER + analysisLength);
    const analysis = decodeAnalysis(analysisBytes, text);
    if (analysis === undefined) return undefined;
    slot.setAnalysis(analysisBytes);
    if (hasCode && this.codeCache) slot.code = record.subarray(codeAt, codeAt + codeLength);
    return analysis;
  }

  #flushAtExit(): void {
    if (!this.#exitHook) {
      // One batch at exit, after the program: what this run added, and the store's bookkeeping (last use, bad records).
      this.#exitHook = true;
      process.once('exit', () => this.flush());
    }
  }

  /** @internal Runs `write` at each flush, before the store writes (other records kept in this cache: resolutions). */
  atFlush(write: () => void): void {
    this.#flushAtExit();
    this.#writers.push(write);
  }

  /** @internal Marks a slot's record for writing at flush. */
  dirty(slot: CacheSlot | FunctionCacheSlot): void {
    this.#dirty.add(slot);
  }

  /** Writes the records made or changed since the last flush, in one batch. Never throws: a cache that cannot be written is skipped. */
  flush(): void {
    const debug = process.env.CANON_CACHE_DEBUG;
    const start = debug ? performance.now() : 0;
    const dirty = this.#dirty;
    this.#dirty = new Set();
    try {
      // (forEach: a for-of allocates an iterator result per record in the interpreter, which runs this once.)
      dirty.forEach((slot) => this.store.set(slot.key, slot.encode()));
      for (const write of this.#writers) write();
      this.store.flush?.();
    } catch (error) {
      if (debug) process.stderr.write(`canon: cache not written: ${(error as Error).message}\n`);
    }
    if (debug) {
      process.stderr.write(`canon cache: ${this.hits} hits, ${this.misses} misses, ${this.corrupt} corrupt, ${this.rejected} code caches rejected, ${dirty.size} records written in ${(performance.now() - start).toFixed(1)} ms\n`);
    }
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
