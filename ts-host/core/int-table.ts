// IntTable: four u32 words → a u32 value below 2^31, stored in Wasm
// (assembly/table.ts). The shape every registry lookup reduces to once
// bytes are interned.

import { CanonFreedHandleError } from './errors.js';
import type { WasmBoundary } from './wasm.js';

/** One row of IntTable.rows(): the four key words and the value. */
export type IntRow = [k0: number, k1: number, k2: number, k3: number, value: number];

/** The largest value a table holds (-1 is reserved for "absent" at the boundary). */
export const MAX_TABLE_VALUE = 0x7fff_ffff;

export class IntTable {
  readonly #wasm: WasmBoundary;
  #handle: number;

  /** @internal Use Core.createTable(). */
  constructor(wasm: WasmBoundary, handle: number) {
    this.#wasm = wasm;
    this.#handle = handle;
  }

  get #h(): number {
    if (this.#handle === 0) throw new CanonFreedHandleError('IntTable');
    return this.#handle;
  }

  /** The handle to pass to the raw exports (Core.raw) on a hot path. Throws once freed. */
  get handle(): number {
    return this.#h;
  }

  /** Sets the value; returns the previous one, or -1 if the key is new. */
  set(k0: number, k1: number, k2: number, k3: number, value: number): number {
    checkWords(k0, k1, k2, k3, 'IntTable.set');
    if (!(value >>> 0 === value && value <= MAX_TABLE_VALUE)) {
      throw new RangeError(`IntTable.set: value must be an integer in [0, 2^31), got ${String(value)}`);
    }
    const h = this.#h;
    try {
      return this.#wasm.exports.tableSet(h, k0, k1, k2, k3, value);
    } catch (error) {
      throw this.#wasm.trapError('IntTable.set', error);
    }
  }

  /** The value, or -1. */
  get(k0: number, k1: number, k2: number, k3: number): number {
    checkWords(k0, k1, k2, k3, 'IntTable.get');
    return this.#wasm.exports.tableGet(this.#h, k0, k1, k2, k3);
  }

  /** Removes the key; returns its value, or -1 if it was absent. */
  delete(k0: number, k1: number, k2: number, k3: number): number {
    checkWords(k0, k1, k2, k3, 'IntTable.delete');
    return this.#wasm.exports.tableDelete(this.#h, k0, k1, k2, k3);
  }

  get size(): number {
    return this.#wasm.exports.tableCount(this.#h) >>> 0;
  }

  /** Slots in the hash table (a power of two; grows with the key count). */
  get capacity(): number {
    return this.#wasm.exports.tableCapacity(this.#h) >>> 0;
  }

  clear(): void {
    this.#wasm.exports.tableClear(this.#h);
  }

  /** Every row, read out in one Wasm call (order is the table's, not insertion order). */
  rows(): IntRow[] {
    const h = this.#h;
    const wasm = this.#wasm;
    const count = wasm.exports.tableCount(h) >>> 0;
    if (count === 0) return [];
    const out = wasm.alloc(count * 20, 'IntTable.rows');
    try {
      const n = wasm.exports.tableDump(h, out) >>> 0;
      const words = wasm.readU32(out, n * 5);
      const rows: IntRow[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const w = i * 5;
        rows[i] = [words[w]!, words[w + 1]!, words[w + 2]!, words[w + 3]!, words[w + 4]!];
      }
      return rows;
    } finally {
      wasm.free(out);
    }
  }

  /** Releases the table's memory. Idempotent; later use throws. */
  free(): void {
    if (this.#handle !== 0) {
      this.#wasm.exports.tableFree(this.#handle);
      this.#handle = 0;
    }
  }
}

function checkWords(k0: number, k1: number, k2: number, k3: number, what: string): void {
  if (!(k0 >>> 0 === k0 && k1 >>> 0 === k1 && k2 >>> 0 === k2 && k3 >>> 0 === k3)) {
    throw new RangeError(`${what}: key words must be u32 integers, got ${[k0, k1, k2, k3].map(String).join(', ')}`);
  }
}
