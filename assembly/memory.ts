// Linear-memory allocation for the host and for the tables.
//
// The runtime is AssemblyScript's TLSF allocator ("minimal" runtime; no
// managed objects are used anywhere in the core, so its collector never
// runs). TLSF traps with `unreachable` when memory.grow fails, which would
// reach JS as an anonymous RuntimeError. To turn that into a clear error,
// every allocation records its size in `pending` first: if a call traps
// while `pending` is non-zero, the host knows an allocation of that size
// failed (TLSF fails before it changes any state, and every table allocates
// its new storage before touching the old, so nothing is left half-done).

let pending: usize = 0;

/** Allocates `size` bytes (8-byte aligned). Traps with `pending` set on failure. */
export function alloc(size: usize): usize {
  pending = size == 0 ? 1 : size;
  const ptr = heap.alloc(size);
  pending = 0;
  return ptr;
}

/** Traps as a failed allocation of at least 4 GiB would (the size does not fit a usize: `pending` saturates). */
export function failTooLarge(): void {
  pending = <usize>0xFFFFFFFF;
  unreachable();
}

/** Grows or shrinks an allocation, keeping its contents. */
export function realloc(ptr: usize, size: usize): usize {
  pending = size == 0 ? 1 : size;
  const out = heap.realloc(ptr, size);
  pending = 0;
  return out;
}

/** Allocates `size` zeroed bytes. */
export function allocZeroed(size: usize): usize {
  const ptr = alloc(size);
  memory.fill(ptr, 0, size);
  return ptr;
}

/** Frees an allocation made by `alloc`. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** The size of the allocation that trapped, or 0 if none did. */
export function pendingAllocation(): usize {
  return pending;
}

/** Called by the host after it has reported a failed allocation. */
export function clearPendingAllocation(): void {
  pending = 0;
}

/**
 * Exact byte comparison. From 16 bytes on, 16-byte blocks are XORed and ORed
 * together and tested once at the end (the last block overlaps the one
 * before it), so no branch waits on loaded bytes: when `a` is not in the
 * cache, the misses on all of its lines are in flight at once instead of one
 * after the other (a ~64-byte key spans two lines). Shorter keys compare two
 * overlapping words. Loads stay within [a, a + len) and [b, b + len).
 */
// @ts-ignore: decorator
@inline
export function bytesEqual(a: usize, b: usize, len: usize): bool {
  if (len >= 16) {
    let diff = v128.xor(v128.load(a + len - 16), v128.load(b + len - 16));
    for (let i: usize = 16; i < len; i += 16) {
      diff = v128.or(diff, v128.xor(v128.load(a + i - 16), v128.load(b + i - 16)));
    }
    return !v128.any_true(diff);
  }
  if (len >= 8) {
    return ((load<u64>(a) ^ load<u64>(b)) | (load<u64>(a + len - 8) ^ load<u64>(b + len - 8))) == 0;
  }
  if (len >= 4) {
    return ((load<u32>(a) ^ load<u32>(b)) | (load<u32>(a + len - 4) ^ load<u32>(b + len - 4))) == 0;
  }
  for (let i: usize = 0; i < len; i++) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
  }
  return true;
}
