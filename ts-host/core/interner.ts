// Interner: byte strings (or strings, as UTF-8) → dense u32 ids, stored in
// Wasm (assembly/interner.ts). Ids are small integers from 0; a deleted
// key's id is reused by a later key.

import { checkRange, type LinearBuffer } from './buffer.js';
import { CanonFreedHandleError } from './errors.js';
import type { WasmBoundary } from './wasm.js';

export type Key = Uint8Array | string;

export class Interner {
  readonly #wasm: WasmBoundary;
  #handle: number;

  /** @internal Use Core.createInterner(). */
  constructor(wasm: WasmBoundary, handle: number) {
    this.#wasm = wasm;
    this.#handle = handle;
  }

  get #h(): number {
    if (this.#handle === 0) throw new CanonFreedHandleError('Interner');
    return this.#handle;
  }

  /** The handle to pass to the raw exports (Core.raw) on a hot path. Throws once freed. */
  get handle(): number {
    return this.#h;
  }

  /** The key's id, interning it if it is new. */
  intern(key: Key): number {
    const h = this.#h;
    const wasm = this.#wasm;
    const len = wasm.writeInput(key, 'Interner.intern');
    try {
      return wasm.exports.internerIntern(h, wasm.scratchPtr(), len) >>> 0;
    } catch (error) {
      throw wasm.trapError('Interner.intern', error);
    }
  }

  /** Interns bytes already in linear memory: no copy, no string. */
  internAt(buffer: LinearBuffer, offset: number, length: number): number {
    const h = this.#h;
    checkRange(buffer, offset, length, 'Interner.internAt');
    try {
      return this.#wasm.exports.internerIntern(h, buffer.ptr + offset, length) >>> 0;
    } catch (error) {
      throw this.#wasm.trapError('Interner.internAt', error);
    }
  }

  /**
   * Interns many keys of one buffer in a single Wasm call: `ranges` holds
   * (offset, length) pairs; returns their ids in order.
   */
  internMany(buffer: LinearBuffer, ranges: Uint32Array): Uint32Array {
    const h = this.#h;
    if (ranges.length % 2 !== 0) throw new RangeError('Interner.internMany: ranges must hold (offset, length) pairs');
    const count = ranges.length / 2;
    for (let i = 0; i < ranges.length; i += 2) checkRange(buffer, ranges[i]!, ranges[i + 1]!, 'Interner.internMany');
    const wasm = this.#wasm;
    const pairs = wasm.alloc(ranges.byteLength + count * 4, 'Interner.internMany');
    try {
      wasm.writeU32(pairs, ranges);
      const out = pairs + ranges.byteLength;
      wasm.exports.internerInternMany(h, buffer.ptr, pairs, count, out);
      return wasm.readU32(out, count);
    } catch (error) {
      throw wasm.trapError('Interner.internMany', error);
    } finally {
      wasm.free(pairs);
    }
  }

  /** The key's id, or -1 if it is not interned. */
  lookup(key: Key): number {
    const h = this.#h;
    const wasm = this.#wasm;
    const len = wasm.writeInput(key, 'Interner.lookup');
    return wasm.exports.internerLookup(h, wasm.scratchPtr(), len);
  }

  /** Looks up bytes already in linear memory. */
  lookupAt(buffer: LinearBuffer, offset: number, length: number): number {
    const h = this.#h;
    checkRange(buffer, offset, length, 'Interner.lookupAt');
    return this.#wasm.exports.internerLookup(h, buffer.ptr + offset, length);
  }

  /** Removes the key; returns its former id, or -1 if it was not interned. */
  delete(key: Key): number {
    const h = this.#h;
    const wasm = this.#wasm;
    const len = wasm.writeInput(key, 'Interner.delete');
    return wasm.exports.internerDelete(h, wasm.scratchPtr(), len);
  }

  /** Removes the key with this id; returns whether it was live. */
  deleteId(id: number): boolean {
    return isId(id) && this.#wasm.exports.internerDeleteId(this.#h, id) !== 0;
  }

  /** Whether the id belongs to a live key. */
  has(id: number): boolean {
    return isId(id) && this.#wasm.exports.internerBytesLength(this.#h, id) >= 0;
  }

  /** A copy of the key's bytes, or undefined if the id is not live. */
  bytes(id: number): Uint8Array | undefined {
    const h = this.#h;
    checkId(id, 'Interner.bytes');
    const len = this.#wasm.exports.internerBytesLength(h, id);
    if (len < 0) return undefined;
    return this.#wasm.copyOut(this.#wasm.exports.internerBytesPtr(h, id) >>> 0, len);
  }

  /** The key decoded as UTF-8, or undefined if the id is not live. */
  string(id: number): string | undefined {
    const h = this.#h;
    checkId(id, 'Interner.string');
    const len = this.#wasm.exports.internerBytesLength(h, id);
    if (len < 0) return undefined;
    return this.#wasm.decode(this.#wasm.exports.internerBytesPtr(h, id) >>> 0, len);
  }

  /** Live keys. */
  get size(): number {
    return this.#wasm.exports.internerCount(this.#h);
  }

  /** Slots in the hash table (a power of two; grows with the key count). */
  get capacity(): number {
    return this.#wasm.exports.internerCapacity(this.#h) >>> 0;
  }

  /** The live ids, ascending. */
  *ids(): IterableIterator<number> {
    const limit = this.#wasm.exports.internerIdLimit(this.#h) >>> 0;
    for (let id = 0; id < limit; id++) {
      if (this.#wasm.exports.internerBytesLength(this.#h, id) >= 0) yield id;
    }
  }

  /** Releases the interner's memory. Idempotent; later use throws. */
  free(): void {
    if (this.#handle !== 0) {
      this.#wasm.exports.internerFree(this.#handle);
      this.#handle = 0;
    }
  }
}

function isId(id: number): boolean {
  return id >>> 0 === id;
}

/** An id a getter can look up: an integer in [0, 2^32). Anything else is a caller's bug, not an absent key. */
function checkId(id: number, method: string): void {
  if (!isId(id)) throw new RangeError(`${method}: id must be an integer in [0, 2^32), got ${String(id)}`);
}
