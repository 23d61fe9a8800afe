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

/** Exact byte comparison, 8 bytes at a time. */
// @ts-ignore: decorator
@inline
export function bytesEqual(a: usize, b: usize, len: usize): bool {
  let i: usize = 0;
  while (i + 8 <= len) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  if (i + 4 <= len) {
    if (load<u32>(a + i) != load<u32>(b + i)) return false;
    i += 4;
  }
  while (i < len) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
    i++;
  }
  return true;
}
