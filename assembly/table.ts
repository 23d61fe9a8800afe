// Integer tables: a key of four u32 words → a u32 value (< 2^31).
//
// The registry's lookups are all integer lookups once bytes are interned:
// (registry id, key id, attributes id, source id) → entry id, and
// (registry id, key id, attributes id, 0) → canonical source id. One table
// shape serves both. Open addressing with linear probing over 24-byte slots
// (tag, value, key as two u64 words) and backward-shift deletion, so there
// are no tombstones and lookups never slow down after many deletes.
//
// Failure atomicity as in interner.ts: the new slot array is allocated
// before the old one is touched.

import { allocZeroed, alloc, free } from "./memory";

// @ts-ignore: decorator
@inline const SLOT: usize = 24;
// @ts-ignore: decorator
@inline const MIN_SLOTS: u32 = 16;
// @ts-ignore: decorator
@inline const OCCUPIED: u32 = 0x80000000;

@unmanaged
class IntTable {
  /** capacity × 24 bytes: tag (0 = empty, else hash | OCCUPIED), value, key lo, key hi. */
  slots: usize;
  /** capacity - 1; capacity is a power of two below 2^31, so OCCUPIED never reaches the index. */
  slotMask: u32;
  count: u32;
  seed: u64;
  hashMask: u64;
}

// @ts-ignore: decorator
@inline
function fmix64(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCD;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53;
  h ^= h >> 33;
  return h;
}

// @ts-ignore: decorator
@inline
function tagOf(self: IntTable, lo: u64, hi: u64): u32 {
  const h = fmix64(fmix64(lo ^ self.seed) ^ hi) & self.hashMask;
  return <u32>(h ^ (h >> 32)) | OCCUPIED;
}

// @ts-ignore: decorator
@inline
function probe(self: IntTable, lo: u64, hi: u64, tag: u32): usize {
  const slots = self.slots;
  const mask = self.slotMask;
  let i = tag & mask;
  while (true) {
    const slot = slots + (<usize>i) * SLOT;
    const t = load<u32>(slot);
    if (t == 0) return slot;
    if (t == tag && load<u64>(slot, 8) == lo && load<u64>(slot, 16) == hi) return slot;
    i = (i + 1) & mask;
  }
}

function slotsFor(keys: u64): u32 {
  let cap = MIN_SLOTS;
  while (<u64>cap * 5 < keys * 8) cap <<= 1;
  return cap;
}

export function tableNew(expectedKeys: u32, seed: u64, hashMask: u64): usize {
  const cap = slotsFor(expectedKeys);
  const slots = allocZeroed((<usize>cap) * SLOT);
  const self = changetype<IntTable>(alloc(offsetof<IntTable>()));
  self.slots = slots;
  self.slotMask = cap - 1;
  self.count = 0;
  self.seed = seed;
  self.hashMask = hashMask;
  return changetype<usize>(self);
}

export function tableFree(handle: usize): void {
  free(changetype<IntTable>(handle).slots);
  free(handle);
}

function grow(self: IntTable): void {
  const oldCap = self.slotMask + 1;
  if (oldCap >= 0x40000000) throw new Error("table exceeds 2^30 slots");
  const cap = oldCap << 1;
  const mask = cap - 1;
  const slots = allocZeroed((<usize>cap) * SLOT);
  for (let k: u32 = 0; k < oldCap; k++) {
    const from = self.slots + (<usize>k) * SLOT;
    const tag = load<u32>(from);
    if (tag == 0) continue;
    let i = tag & mask;
    while (load<u32>(slots + (<usize>i) * SLOT) != 0) i = (i + 1) & mask;
    memory.copy(slots + (<usize>i) * SLOT, from, SLOT);
  }
  free(self.slots);
  self.slots = slots;
  self.slotMask = mask;
}

// @ts-ignore: decorator
@inline
function keyLo(k0: u32, k1: u32): u64 {
  return (<u64>k1 << 32) | <u64>k0;
}

/** Sets the value for the key; returns the previous value, or -1 if the key is new. */
export function tableSet(handle: usize, k0: u32, k1: u32, k2: u32, k3: u32, value: u32): i32 {
  if (value > 0x7FFFFFFF) throw new Error("table value must be below 2^31");
  const self = changetype<IntTable>(handle);
  const lo = keyLo(k0, k1);
  const hi = keyLo(k2, k3);
  const tag = tagOf(self, lo, hi);
  let slot = probe(self, lo, hi, tag);
  if (load<u32>(slot) != 0) {
    const old = load<u32>(slot, 4);
    store<u32>(slot, value, 4);
    return <i32>old;
  }
  if (<u64>(self.count + 1) * 8 > <u64>(self.slotMask + 1) * 5) {
    grow(self);
    slot = probe(self, lo, hi, tag);
  }
  store<u32>(slot, tag);
  store<u32>(slot, value, 4);
  store<u64>(slot, lo, 8);
  store<u64>(slot, hi, 16);
  self.count++;
  return -1;
}

/** The value for the key, or -1. */
export function tableGet(handle: usize, k0: u32, k1: u32, k2: u32, k3: u32): i32 {
  const self = changetype<IntTable>(handle);
  const lo = keyLo(k0, k1);
  const hi = keyLo(k2, k3);
  const slot = probe(self, lo, hi, tagOf(self, lo, hi));
  return load<u32>(slot) == 0 ? -1 : <i32>load<u32>(slot, 4);
}

/** Removes the key; returns its value, or -1 if it was absent. */
export function tableDelete(handle: usize, k0: u32, k1: u32, k2: u32, k3: u32): i32 {
  const self = changetype<IntTable>(handle);
  const lo = keyLo(k0, k1);
  const hi = keyLo(k2, k3);
  const slot = probe(self, lo, hi, tagOf(self, lo, hi));
  if (load<u32>(slot) == 0) return -1;
  const value = <i32>load<u32>(slot, 4);
  // Backward shift: pull later members of the probe run into the gap.
  const mask = self.slotMask;
  let i = <u32>((slot - self.slots) / SLOT);
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    const from = self.slots + (<usize>j) * SLOT;
    const tag = load<u32>(from);
    if (tag == 0) break;
    const home = tag & mask;
    const inRange = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!inRange) {
      memory.copy(self.slots + (<usize>i) * SLOT, from, SLOT);
      i = j;
    }
  }
  store<u32>(self.slots + (<usize>i) * SLOT, 0);
  self.count--;
  return value;
}

export function tableCount(handle: usize): u32 {
  return changetype<IntTable>(handle).count;
}

export function tableCapacity(handle: usize): u32 {
  return changetype<IntTable>(handle).slotMask + 1;
}

/** Removes every key (keeps the capacity). */
export function tableClear(handle: usize): void {
  const self = changetype<IntTable>(handle);
  memory.fill(self.slots, 0, (<usize>(self.slotMask + 1)) * SLOT);
  self.count = 0;
}

/**
 * Writes every (k0, k1, k2, k3, value) as five u32 words to `out`, which
 * must hold tableCount() × 20 bytes; returns the number written. The host
 * reads the whole table in one call instead of iterating across the boundary.
 */
export function tableDump(handle: usize, out: usize): u32 {
  const self = changetype<IntTable>(handle);
  const cap = self.slotMask + 1;
  let n: u32 = 0;
  for (let k: u32 = 0; k < cap; k++) {
    const slot = self.slots + (<usize>k) * SLOT;
    if (load<u32>(slot) == 0) continue;
    const dst = out + (<usize>n) * 20;
    store<u64>(dst, load<u64>(slot, 8));
    store<u64>(dst, load<u64>(slot, 16), 8);
    store<u32>(dst, load<u32>(slot, 4), 16);
    n++;
  }
  return n;
}
