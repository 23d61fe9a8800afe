// The Wasm boundary: the only file that touches linear memory.
//
// It instantiates the core, owns the memory (created here, imported by the
// module, so the host chooses its maximum), keeps the byte view current
// after `memory.grow`, writes input bytes in and copies results out. Hot
// calls use the raw exports (`exports`): a call is a few nanoseconds, and
// `@assemblyscript/loader` is only used to instantiate and to turn
// AssemblyScript aborts into readable errors.
//
// Pointers cross the boundary as i32, so every pointer result is read with
// `>>> 0` (memory above 2 GiB would otherwise look negative).

import { fs } from '../builtins.js';
import { instantiateSync } from '@assemblyscript/loader';
import { CanonMemoryLimitError } from './errors.js';

const { closeSync, fstatSync, openSync, readFileSync, readSync } = fs;

/** The raw exports of build/{release,debug}.wasm (see assembly/index.ts). */
export interface CoreExports {
  alloc(size: number): number;
  free(ptr: number): void;
  pendingAllocation(): number;
  clearPendingAllocation(): void;
  xxh64(ptr: number, len: number, seed: bigint): bigint;
  xxh3_64(ptr: number, len: number, seed: bigint): bigint;
  xxh3_128(ptr: number, len: number, seed: bigint): bigint;
  xxh3_128_high(): bigint;
  internerNew(expectedKeys: number, seed: bigint, hashMask: bigint): number;
  internerFree(handle: number): void;
  internerLookup(handle: number, ptr: number, len: number): number;
  internerIntern(handle: number, ptr: number, len: number): number;
  internerInternMany(handle: number, base: number, pairs: number, count: number, out: number): void;
  internerDelete(handle: number, ptr: number, len: number): number;
  internerDeleteId(handle: number, id: number): number;
  internerBytesPtr(handle: number, id: number): number;
  internerBytesLength(handle: number, id: number): number;
  internerCount(handle: number): number;
  internerIdLimit(handle: number): number;
  internerCapacity(handle: number): number;
  tableNew(expectedKeys: number, seed: bigint, hashMask: bigint): number;
  tableFree(handle: number): void;
  tableSet(handle: number, k0: number, k1: number, k2: number, k3: number, value: number): number;
  tableGet(handle: number, k0: number, k1: number, k2: number, k3: number): number;
  tableDelete(handle: number, k0: number, k1: number, k2: number, k3: number): number;
  tableCount(handle: number): number;
  tableCapacity(handle: number): number;
  tableClear(handle: number): void;
  tableDump(handle: number, out: number): number;
}

/** The exports the host relies on, exactly (checked against the binary by tests/wasm-interface). */
export const CORE_EXPORTS = [
  'alloc', 'free', 'pendingAllocation', 'clearPendingAllocation',
  'xxh64', 'xxh3_64', 'xxh3_128', 'xxh3_128_high',
  'internerNew', 'internerFree', 'internerLookup', 'internerIntern', 'internerInternMany',
  'internerDelete', 'internerDeleteId', 'internerBytesPtr', 'internerBytesLength',
  'internerCount', 'internerIdLimit', 'internerCapacity',
  'tableNew', 'tableFree', 'tableSet', 'tableGet', 'tableDelete', 'tableCount',
  'tableCapacity', 'tableClear', 'tableDump',
] as const satisfies readonly (keyof CoreExports)[];

// Every CoreExports member is listed above (a compile error otherwise).
const _allListed: Exclude<keyof CoreExports, (typeof CORE_EXPORTS)[number]> extends never ? true : never = true;
void _allListed;

/** The imports the core module declares, exactly (checked by tests/wasm-interface). */
export const CORE_IMPORTS = [
  { module: 'env', name: 'abort', kind: 'function' },
  { module: 'env', name: 'memory', kind: 'memory' },
] as const;

/** The module's declared minimum memory (asconfig.json "initialMemory"). */
export const INITIAL_PAGES = 1;
const PAGE = 65536;
/** readFile's first read size: most modules fit, and then no fstat is needed. */
const READ_GUESS = 16384;
/** Wasm32's ceiling: 65536 pages = 4 GiB. */
export const MAX_PAGES = 65536;

export type CoreBuild = 'release' | 'debug';

const modules = new Map<CoreBuild, WebAssembly.Module>();

/** The compiled core, compiled once per process and build. */
export function coreModule(build: CoreBuild = 'release'): WebAssembly.Module {
  let module = modules.get(build);
  if (!module) {
    const url = new URL(`../../../build/${build}.wasm`, import.meta.url);
    module = new WebAssembly.Module(readFileSync(url));
    modules.set(build, module);
  }
  return module;
}

export interface BoundaryOptions {
  build?: CoreBuild;
  /** Upper bound for linear memory in bytes (rounded up to 64 KiB pages; default and ceiling 4 GiB). */
  maxMemoryBytes?: number;
}

export class WasmBoundary {
  readonly exports: CoreExports;
  readonly memory: WebAssembly.Memory;
  readonly maxBytes: number;
  #buffer: ArrayBuffer;
  #u8: Uint8Array;
  #scratchPtr = 0;
  #scratchLen = 0;
  #scratchViewCache: Uint8Array | undefined;
  readonly #encoder = new TextEncoder();
  readonly #decoder = new TextDecoder();

  constructor(options: BoundaryOptions = {}) {
    const maxPages = pagesFor(options.maxMemoryBytes ?? MAX_PAGES * PAGE);
    this.maxBytes = maxPages * PAGE;
    this.memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: maxPages });
    const { instance } = instantiateSync(coreModule(options.build), {
      env: { memory: this.memory },
    });
    // The instance's own exports: the loader's demangled ones wrap every
    // function in a rest-args trampoline (for optional arguments, which the
    // core does not use), a cost on every hot call.
    this.exports = instance.exports as unknown as CoreExports;
    this.#buffer = this.memory.buffer;
    this.#u8 = new Uint8Array(this.#buffer);
  }

  /**
   * The current byte view (recreated when memory has grown). Growing a
   * (non-shared) memory detaches its old buffer, so an empty view means it
   * grew: no call to the memory's buffer getter on every access.
   */
  u8(): Uint8Array {
    if (this.#u8.byteLength === 0 && this.memory.buffer !== this.#buffer) {
      this.#buffer = this.memory.buffer;
      this.#u8 = new Uint8Array(this.#buffer);
    }
    return this.#u8;
  }

  /**
   * Maps an error thrown by a call that may allocate. A failed allocation
   * traps inside Wasm; the core records the requested size first, so the
   * trap becomes a CanonMemoryLimitError naming `operation`. Anything else
   * is returned as it is. Hot paths use it in their own try/catch.
   */
  trapError(operation: string, error: unknown): unknown {
    const requested = this.exports.pendingAllocation() >>> 0;
    if (requested === 0) return error;
    this.exports.clearPendingAllocation();
    return new CanonMemoryLimitError(operation, requested, this.maxBytes, this.memory.buffer.byteLength);
  }

  /** Runs a call that may allocate, mapping a failed allocation (see trapError). */
  guard<T>(operation: string, call: () => T): T {
    try {
      return call();
    } catch (error) {
      throw this.trapError(operation, error);
    }
  }

  /**
   * Writes a key (UTF-8 string or bytes) into the scratch region and
   * returns its byte length; the pointer is scratchPtr().
   */
  writeInput(data: Uint8Array | string, what: string): number {
    if (typeof data === 'string') return this.writeScratchString(data);
    if (data instanceof Uint8Array) {
      this.writeScratch(data);
      return data.length;
    }
    throw new TypeError(`${what}: expected a string or a Uint8Array, got ${describe(data)}`);
  }

  /** Allocates `size` bytes of linear memory; returns the pointer. */
  alloc(size: number, operation = 'alloc'): number {
    checkSize(size, operation);
    if (size > this.maxBytes) {
      throw new CanonMemoryLimitError(operation, size, this.maxBytes, this.memory.buffer.byteLength);
    }
    return this.guard(operation, () => this.exports.alloc(size)) >>> 0;
  }

  free(ptr: number): void {
    this.exports.free(ptr);
  }

  /**
   * A reusable region for input that is only needed for one call (a string
   * to intern, bytes to hash). Grows as needed; valid until the next
   * scratch() call.
   */
  scratch(size: number): number {
    if (size > this.#scratchLen) {
      const want = Math.max(size, this.#scratchLen * 2, 256);
      const ptr = this.alloc(want, 'scratch');
      if (this.#scratchPtr) this.exports.free(this.#scratchPtr);
      this.#scratchPtr = ptr;
      this.#scratchLen = want;
    }
    return this.#scratchPtr;
  }

  /** Copies bytes into the scratch region; returns the pointer. */
  writeScratch(bytes: Uint8Array): number {
    const ptr = this.scratch(bytes.length);
    this.u8().set(bytes, ptr);
    return ptr;
  }

  /**
   * Encodes a string as UTF-8 into the scratch region; returns the byte
   * length (the pointer is scratchPtr()). Encodes straight into linear
   * memory, so the string's bytes are written once.
   */
  writeScratchString(text: string): number {
    // One UTF-16 unit never needs more than 3 UTF-8 bytes.
    this.scratch(Math.max(16, text.length));
    for (;;) {
      const { read, written } = this.#encoder.encodeInto(text, this.#scratchView());
      if (read === text.length) return written;
      this.scratch(text.length * 3);
    }
  }

  /** A view of the whole scratch region, kept until memory or the region changes (one view, not one per key). */
  #scratchView(): Uint8Array {
    const u8 = this.u8();
    if (this.#scratchViewCache?.buffer !== u8.buffer || this.#scratchViewCache.byteOffset !== this.#scratchPtr || this.#scratchViewCache.length !== this.#scratchLen) {
      this.#scratchViewCache = u8.subarray(this.#scratchPtr, this.#scratchPtr + this.#scratchLen);
    }
    return this.#scratchViewCache;
  }

  scratchPtr(): number {
    return this.#scratchPtr;
  }

  /** Writes bytes at `ptr` (which the caller allocated). */
  write(ptr: number, bytes: Uint8Array): void {
    this.u8().set(bytes, ptr);
  }

  /** A view of linear memory, valid until the next call that may allocate. */
  view(ptr: number, len: number): Uint8Array {
    return this.u8().subarray(ptr, ptr + len);
  }

  /** A copy of `len` bytes at `ptr`, owned by JS. */
  copyOut(ptr: number, len: number): Uint8Array {
    return this.u8().slice(ptr, ptr + len);
  }

  /** UTF-8 decoding of `len` bytes at `ptr`. */
  decode(ptr: number, len: number): string {
    return this.#decoder.decode(this.u8().subarray(ptr, ptr + len));
  }

  /** `count` u32 words at `ptr`, copied out. */
  readU32(ptr: number, count: number): Uint32Array {
    const bytes = this.u8().slice(ptr, ptr + count * 4);
    return new Uint32Array(bytes.buffer, 0, count);
  }

  /** Writes u32 words at `ptr` (which the caller allocated). */
  writeU32(ptr: number, words: Uint32Array): void {
    this.u8().set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength), ptr);
  }

  /**
   * Reads a whole file straight into a new allocation: the bytes land in
   * linear memory without an intermediate JS buffer. The caller owns the
   * allocation (free it with free()).
   */
  readFile(path: string | URL): { ptr: number; len: number } {
    const fd = openSync(path, 'r');
    try {
      // Most modules are small: read into a first guess and skip the fstat
      // (a short read of a regular file means end of file). Only a file that
      // fills the guess is measured and read on.
      let size = READ_GUESS;
      let ptr = this.alloc(size, 'readFile');
      let done = 0;
      try {
        done = readSync(fd, this.u8(), ptr, size, 0);
        if (done === size) {
          size = Math.max(fstatSync(fd).size, size);
          const bigger = this.alloc(size, 'readFile');
          this.u8().copyWithin(bigger, ptr, ptr + done);
          this.exports.free(ptr);
          ptr = bigger;
          while (done < size) {
            const n = readSync(fd, this.u8(), ptr + done, size - done, done);
            if (n === 0) break;
            done += n;
          }
        }
      } catch (error) {
        this.exports.free(ptr);
        throw error;
      }
      return { ptr, len: done };
    } finally {
      closeSync(fd);
    }
  }
}

function pagesFor(bytes: number): number {
  if (!Number.isFinite(bytes) || bytes <= 0) {
    throw new RangeError(`maxMemoryBytes must be a positive number of bytes, got ${String(bytes)}`);
  }
  return Math.min(MAX_PAGES, Math.max(INITIAL_PAGES, Math.ceil(bytes / PAGE)));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

function checkSize(size: number, operation: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError(`${operation}: size must be a non-negative integer, got ${String(size)}`);
  }
}
