// A region of linear memory owned by the host: the place module bytes are
// read into once and then hashed, scanned and interned without copies.

import { CanonFreedHandleError } from './errors.js';
import type { WasmBoundary } from './wasm.js';

export class LinearBuffer {
  readonly #wasm: WasmBoundary;
  #ptr: number;
  /** Length in bytes. */
  readonly byteLength: number;

  /** @internal Use Core.alloc(), Core.readFile() or Core.copyIn(). */
  constructor(wasm: WasmBoundary, ptr: number, byteLength: number) {
    this.#wasm = wasm;
    this.#ptr = ptr;
    this.byteLength = byteLength;
  }

  /** The address in linear memory (for raw export calls). Throws once freed. */
  get ptr(): number {
    if (this.#ptr === 0) throw new CanonFreedHandleError('LinearBuffer');
    return this.#ptr;
  }

  get freed(): boolean {
    return this.#ptr === 0;
  }

  /** A live view; valid until the next core call that may allocate (memory growth detaches it). */
  view(): Uint8Array {
    return this.#wasm.view(this.ptr, this.byteLength);
  }

  /** A JS-owned copy of the bytes. */
  bytes(): Uint8Array {
    return this.#wasm.copyOut(this.ptr, this.byteLength);
  }

  /** The bytes decoded as UTF-8. */
  text(): string {
    return this.#wasm.decode(this.ptr, this.byteLength);
  }

  /** Copies `bytes` into the buffer at `offset`. */
  write(bytes: Uint8Array, offset = 0): void {
    if (!Number.isInteger(offset) || offset < 0 || offset + bytes.length > this.byteLength) {
      throw new RangeError(
        `LinearBuffer.write: ${bytes.length} bytes at offset ${offset} do not fit in ${this.byteLength}`,
      );
    }
    this.#wasm.write(this.ptr + offset, bytes);
  }

  /** Returns the memory to the core. Idempotent. */
  free(): void {
    if (this.#ptr !== 0) {
      this.#wasm.free(this.#ptr);
      this.#ptr = 0;
    }
  }
}

/** Throws a RangeError unless offset..offset+length lies inside the buffer. */
export function checkRange(buffer: LinearBuffer, offset: number, length: number, what: string): void {
  if (!(offset >>> 0 === offset && length >>> 0 === length && offset + length <= buffer.byteLength)) {
    throw new RangeError(`${what}: range ${offset}+${length} is outside the buffer (${buffer.byteLength} bytes)`);
  }
}
