// Core: one instance of the Wasm core with its own linear memory, and the
// operations on it: hashing, buffers, interners and tables.

import { checkRange, LinearBuffer } from './buffer.js';
import { IntTable } from './int-table.js';
import { Interner, type Key } from './interner.js';
import { RegistryTables } from './registry-tables.js';
import { PROCESS_SEED, toSeed } from './seed.js';
import { WasmBoundary, type CoreBuild, type CoreExports } from './wasm.js';

export interface CoreOptions {
  /** Hash seed (unsigned 64-bit). Default: a random seed chosen once per process. */
  seed?: bigint | number;
  /** Upper bound for linear memory in bytes. Default and ceiling: 4 GiB. */
  maxMemoryBytes?: number;
  /** Which build to run: "release" (default) or "debug" (assertions, names). */
  build?: CoreBuild;
  /**
   * Testing only: ANDed into every interner and table hash, so a small mask
   * forces collisions and exercises the exact-comparison path.
   */
  collisionMask?: bigint;
}

export interface TableOptions {
  /** Expected number of keys, to size the table up front (it grows anyway). */
  expectedKeys?: number;
}

const ALL_BITS = 0xffff_ffff_ffff_ffffn;

export class Core {
  /** The seed of this core's interners, tables and default hashes. */
  readonly seed: bigint;
  readonly #wasm: WasmBoundary;
  readonly #mask: bigint;

  constructor(options: CoreOptions = {}) {
    this.seed = options.seed === undefined ? PROCESS_SEED : toSeed(options.seed);
    this.#mask = options.collisionMask === undefined ? ALL_BITS : toSeed(options.collisionMask, 'collisionMask');
    this.#wasm = new WasmBoundary(options);
  }

  /** The raw Wasm exports, for embedders who call the core directly (see assembly/index.ts). */
  get raw(): CoreExports {
    return this.#wasm.exports;
  }

  /** The core's linear memory. */
  get memory(): WebAssembly.Memory {
    return this.#wasm.memory;
  }

  /** Linear memory's upper bound in bytes. */
  get maxMemoryBytes(): number {
    return this.#wasm.maxBytes;
  }

  /** XXH64 (bit-exact with the reference) of a string's UTF-8 or of bytes. */
  hash64(data: Key, seed: bigint | number = this.seed): bigint {
    const s = toSeed(seed);
    const len = this.#wasm.writeInput(data, 'Core.hash64');
    return BigInt.asUintN(64, this.#wasm.exports.xxh64(this.#wasm.scratchPtr(), len, s));
  }

  /** XXH3-128 (bit-exact with the reference) as one unsigned 128-bit bigint. */
  hash128(data: Key, seed: bigint | number = this.seed): bigint {
    const s = toSeed(seed);
    const len = this.#wasm.writeInput(data, 'Core.hash128');
    return this.#hash128(this.#wasm.scratchPtr(), len, s);
  }

  /** XXH64 of bytes already in linear memory (no copy). */
  hash64At(buffer: LinearBuffer, offset = 0, length = buffer.byteLength - offset, seed: bigint | number = this.seed): bigint {
    checkRange(buffer, offset, length, 'Core.hash64At');
    return BigInt.asUintN(64, this.#wasm.exports.xxh64(buffer.ptr + offset, length, toSeed(seed)));
  }

  /** XXH3-128 of bytes already in linear memory (no copy). */
  hash128At(buffer: LinearBuffer, offset = 0, length = buffer.byteLength - offset, seed: bigint | number = this.seed): bigint {
    checkRange(buffer, offset, length, 'Core.hash128At');
    return this.#hash128(buffer.ptr + offset, length, toSeed(seed));
  }

  #hash128(ptr: number, len: number, seed: bigint): bigint {
    const ex = this.#wasm.exports;
    const low = BigInt.asUintN(64, ex.xxh3_128(ptr, len, seed));
    return (BigInt.asUintN(64, ex.xxh3_128_high()) << 64n) | low;
  }

  /** Allocates an uninitialised buffer in linear memory. */
  alloc(byteLength: number): LinearBuffer {
    return new LinearBuffer(this.#wasm, this.#wasm.alloc(byteLength, 'Core.alloc'), byteLength);
  }

  /** Copies bytes (or a string's UTF-8) into a new buffer in linear memory. */
  copyIn(data: Key): LinearBuffer {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`Core.copyIn: expected a string or a Uint8Array, got ${typeof data}`);
    }
    const buffer = this.alloc(bytes.length);
    buffer.write(bytes);
    return buffer;
  }

  /** Reads a file straight into a new buffer in linear memory. */
  readFile(path: string | URL): LinearBuffer {
    const { ptr, len } = this.#wasm.readFile(path);
    return new LinearBuffer(this.#wasm, ptr, len);
  }

  createInterner(options: TableOptions = {}): Interner {
    const expected = expectedKeys(options, 'Core.createInterner');
    const handle = this.#wasm.guard('Core.createInterner', () =>
      this.#wasm.exports.internerNew(expected, this.seed, this.#mask));
    return new Interner(this.#wasm, handle >>> 0);
  }

  createTable(options: TableOptions = {}): IntTable {
    const expected = expectedKeys(options, 'Core.createTable');
    const handle = this.#wasm.guard('Core.createTable', () =>
      this.#wasm.exports.tableNew(expected, this.seed, this.#mask));
    return new IntTable(this.#wasm, handle >>> 0);
  }

  createRegistryTables(options: TableOptions = {}): RegistryTables {
    const entries = this.createTable(options);
    try {
      return new RegistryTables(entries, this.createTable(options));
    } catch (error) {
      entries.free();
      throw error;
    }
  }
}

/** Creates a core with its own linear memory. */
export function createCore(options: CoreOptions = {}): Core {
  return new Core(options);
}

function expectedKeys(options: TableOptions, what: string): number {
  const n = options.expectedKeys ?? 0;
  if (!(n >>> 0 === n && n <= 0x1000_0000)) {
    throw new RangeError(`${what}: expectedKeys must be an integer in [0, 2^28], got ${String(n)}`);
  }
  return n;
}
