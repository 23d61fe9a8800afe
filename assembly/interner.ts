// Interning: byte strings → dense u32 ids.
//
// Open addressing with linear probing over 16-byte slots (hash tag, key
// length, id + 1 with 0 meaning empty, arena offset). A probe compares tag
// and length as one u64, so a slot of another key sends the lookup to key
// bytes only when 32 bits of hash and the length both match: mismatches
// touch no key bytes. Beside the slots, in the same allocation, are 64-byte
// cells, one per slot: cell i holds a copy of the key in slot i when the key
// is at most 64 bytes long (cells move with their slots). A hit on such a key
// compares against the cell, whose address follows from the slot index alone,
// so at a million keys the cache misses on slot and cell are in flight
// together instead of one after the other (slot, then the arena offset it
// holds, then the arena). That costs 64 bytes per slot. Longer keys are
// compared in the arena. The comparison itself is branch-free over 16-byte
// blocks (bytesEqual).
//
// Every key's bytes also live in one arena per interner; an id maps to
// (offset, length) in the entries array, so the host gets the bytes back by
// id without a copy. Deleted ids are reused (a free list) and their bytes are
// dropped the next time the arena has to grow. internerInternMany overlaps
// the cache misses of groups of keys (see there).
//
// Every hash match is confirmed by exact byte comparison: the hash only
// chooses where to look. `hashMask` exists so tests can force collisions.
//
// Failure atomicity: every allocation happens before the state it replaces
// is touched, so a failed allocation (a trap, see memory.ts) leaves the
// interner exactly as it was before the call.

import { alloc, free, realloc, bytesEqual, failTooLarge } from "./memory";
import { xxh3_64 } from "./xxh3";

// @ts-ignore: decorator
@inline const NONE: u32 = 0xFFFFFFFF;
// @ts-ignore: decorator
@inline const LIVE: u32 = 0xFFFFFFFE;
// @ts-ignore: decorator
@inline const ENTRY_SIZE: usize = 16;
// @ts-ignore: decorator
@inline const MIN_SLOTS: u32 = 16;
// @ts-ignore: decorator
@inline const SLOT_SHIFT: usize = 4;
// @ts-ignore: decorator
@inline const LINE: u32 = 64;
// @ts-ignore: decorator
@inline const CELL: u32 = 64;
// @ts-ignore: decorator
@inline const CELL_SHIFT: usize = 6;

@unmanaged
class Interner {
  /** capacity × 16 bytes: tag, length, id + 1 (0 = empty), arena offset. */
  slots: usize;
  /**
   * capacity × 64 bytes: cell i holds a copy of the bytes of the key in slot
   * i when the key is at most CELL bytes long (its arena copy is what ids
   * give back). Right after the slots, in the same allocation.
   */
  cells: usize;
  /** The allocation holding slots and cells (what is freed). */
  table: usize;
  /** capacity - 1; capacity is a power of two. */
  slotMask: u32;
  /** Live keys. */
  count: u32;
  /** Per id, 16 bytes: arena offset, length, tag, LIVE or the next free id. */
  entries: usize;
  /** Entries allocated. */
  entryCap: u32;
  /** Ids handed out so far (live or free); ids are < idLimit. */
  idLimit: u32;
  /** First reusable id, or NONE. */
  freeHead: u32;
  /** Key bytes. */
  arena: usize;
  arenaLen: u32;
  arenaCap: u32;
  /** Bytes in the arena that belong to deleted keys. */
  deadBytes: u32;
  seed: u64;
  hashMask: u64;
}

// @ts-ignore: decorator
@inline
function tagOf(self: Interner, ptr: usize, len: usize): u32 {
  const h = xxh3_64(ptr, len, self.seed) & self.hashMask;
  return <u32>(h ^ (h >> 32));
}

// @ts-ignore: decorator
@inline
function entryAt(self: Interner, id: u32): usize {
  return self.entries + (<usize>id) * ENTRY_SIZE;
}

/** The slot holding the key, or the empty slot where it would go. */
// @ts-ignore: decorator
@inline
function probe(self: Interner, ptr: usize, len: usize, tag: u32): usize {
  const slots = self.slots;
  const mask = self.slotMask;
  // Tag and length compared as one u64: (len << 32) | tag.
  const want = ((<u64>len) << 32) | <u64>tag;
  let i = tag & mask;
  while (true) {
    const slot = slots + ((<usize>i) << SLOT_SHIFT);
    if (load<u32>(slot, 8) == 0) return slot;
    if (load<u64>(slot) == want) {
      // The cell's address follows from i alone, so its cache miss is in
      // flight together with the slot's.
      const stored = len <= CELL ? self.cells + ((<usize>i) << CELL_SHIFT) : self.arena + load<u32>(slot, 12);
      if (bytesEqual(stored, ptr, len)) return slot;
    }
    i = (i + 1) & mask;
  }
}

function slotsFor(keys: u64): u32 {
  let cap = MIN_SLOTS;
  // Keep the load factor at or below 5/8.
  while (<u64>cap * 5 < keys * 8) cap <<= 1;
  return cap;
}

/**
 * One allocation for `cap` slots (zeroed) and their cells, starting on a
 * cache line (slots fill whole lines, so every cell is one line).
 */
function allocTable(cap: u32): usize {
  const size = (<u64>cap << SLOT_SHIFT) + (<u64>cap << CELL_SHIFT) + LINE;
  if (size > 0xFFFFFFFF) failTooLarge(); // the host reports it as CanonMemoryLimitError
  const block = alloc(<usize>size);
  memory.fill(alignLine(block), 0, (<usize>cap) << SLOT_SHIFT);
  return block;
}

// @ts-ignore: decorator
@inline
function alignLine(ptr: usize): usize {
  return (ptr + LINE - 1) & ~(<usize>LINE - 1);
}

/** Makes `table` (from allocTable(cap)) the interner's slots and cells. */
function useTable(self: Interner, table: usize, cap: u32): void {
  self.table = table;
  self.slots = alignLine(table);
  self.cells = self.slots + ((<usize>cap) << SLOT_SHIFT);
  self.slotMask = cap - 1;
}

/** Creates an interner sized for `expectedKeys`. */
export function internerNew(expectedKeys: u32, seed: u64, hashMask: u64): usize {
  const cap = slotsFor(expectedKeys);
  const table = allocTable(cap);
  const self = changetype<Interner>(alloc(offsetof<Interner>()));
  useTable(self, table, cap);
  self.count = 0;
  self.entries = 0;
  self.entryCap = 0;
  self.idLimit = 0;
  self.freeHead = NONE;
  self.arena = 0;
  self.arenaLen = 0;
  self.arenaCap = 0;
  self.deadBytes = 0;
  self.seed = seed;
  self.hashMask = hashMask;
  return changetype<usize>(self);
}

export function internerFree(handle: usize): void {
  const self = changetype<Interner>(handle);
  free(self.table);
  if (self.entries) free(self.entries);
  if (self.arena) free(self.arena);
  free(handle);
}

/** Copies a cell (all 64 bytes; only the key's length of them matters). */
// @ts-ignore: decorator
@inline
function copyCell(to: usize, from: usize): void {
  v128.store(to, v128.load(from));
  v128.store(to, v128.load(from, 16), 16);
  v128.store(to, v128.load(from, 32), 32);
  v128.store(to, v128.load(from, 48), 48);
}

/** Doubles the slot array and moves every slot (and its cell) to its place in the new one. */
function growSlots(self: Interner): void {
  const oldCap = self.slotMask + 1;
  const cap = oldCap << 1;
  const mask = cap - 1;
  const table = allocTable(cap);
  const slots = alignLine(table);
  const cells = slots + ((<usize>cap) << SLOT_SHIFT);
  for (let k: u32 = 0; k < oldCap; k++) {
    const from = self.slots + ((<usize>k) << SLOT_SHIFT);
    if (load<u32>(from, 8) == 0) continue;
    let i = load<u32>(from) & mask;
    while (load<u32>(slots + ((<usize>i) << SLOT_SHIFT), 8) != 0) i = (i + 1) & mask;
    v128.store(slots + ((<usize>i) << SLOT_SHIFT), v128.load(from));
    if (load<u32>(from, 4) <= CELL) copyCell(cells + ((<usize>i) << CELL_SHIFT), self.cells + ((<usize>k) << CELL_SHIFT));
  }
  free(self.table);
  useTable(self, table, cap);
}

/** After the arena was compacted: copy every key's new offset into its slot. */
function refreshSlotOffsets(self: Interner): void {
  const cap = self.slotMask + 1;
  for (let k: u32 = 0; k < cap; k++) {
    const slot = self.slots + ((<usize>k) << SLOT_SHIFT);
    const idPlusOne = load<u32>(slot, 8);
    if (idPlusOne != 0) store<u32>(slot, load<u32>(entryAt(self, idPlusOne - 1)), 12);
  }
}

/**
 * Appends key bytes to the arena and returns their offset. When the arena is
 * full it is replaced by a new one holding only the live keys (this is where
 * deleted keys' bytes are reclaimed). `ptr` may point into the old arena.
 */
function appendKey(self: Interner, ptr: usize, len: u32): u32 {
  if (<u64>self.arenaLen + len <= <u64>self.arenaCap) {
    const off = self.arenaLen;
    memory.copy(self.arena + off, ptr, len);
    self.arenaLen = off + len;
    return off;
  }
  const live = <u64>(self.arenaLen - self.deadBytes) + len;
  let cap = max<u64>(256, live * 2);
  if (cap > 0xFFFFFFFF) cap = live;
  if (cap > 0xFFFFFFFF) throw new Error("interner arena exceeds 4 GiB");
  const arena = alloc(<usize>cap);
  let off: u32 = 0;
  if (self.deadBytes == 0) {
    memory.copy(arena, self.arena, self.arenaLen);
    off = self.arenaLen;
  } else {
    for (let id: u32 = 0; id < self.idLimit; id++) {
      const e = entryAt(self, id);
      if (load<u32>(e, 12) != LIVE) continue;
      const n = load<u32>(e, 4);
      memory.copy(arena + off, self.arena + load<u32>(e), n);
      store<u32>(e, off);
      off += n;
    }
  }
  memory.copy(arena + off, ptr, len);
  if (self.arena) free(self.arena);
  self.arena = arena;
  self.arenaCap = <u32>cap;
  self.arenaLen = off + len;
  if (self.deadBytes != 0) refreshSlotOffsets(self);
  self.deadBytes = 0;
  return off;
}

/** Reserves the entry for a new key: a freed id if any, else the next one. */
function ensureEntry(self: Interner): void {
  if (self.freeHead != NONE || self.idLimit < self.entryCap) return;
  if (self.idLimit == LIVE) throw new Error("interner id space exhausted");
  const cap = max<u32>(16, self.entryCap << 1);
  self.entries = self.entries
    ? realloc(self.entries, (<usize>cap) * ENTRY_SIZE)
    : alloc((<usize>cap) * ENTRY_SIZE);
  self.entryCap = cap;
}

/** The id of the key, or -1. */
export function internerLookup(handle: usize, ptr: usize, len: usize): i32 {
  const self = changetype<Interner>(handle);
  return <i32>load<u32>(probe(self, ptr, len, tagOf(self, ptr, len)), 8) - 1;
}

/** The id of the key, inserting it if it is new. */
export function internerIntern(handle: usize, ptr: usize, len: usize): u32 {
  const self = changetype<Interner>(handle);
  return internTagged(self, ptr, len, tagOf(self, ptr, len));
}

// @ts-ignore: decorator
@inline
function internTagged(self: Interner, ptr: usize, len: usize, tag: u32): u32 {
  let slot = probe(self, ptr, len, tag);
  const found = load<u32>(slot, 8);
  if (found != 0) return found - 1;
  return insertAt(self, ptr, len, tag, slot);
}

/** Adds the key at `slot` (the empty slot where probe() found it missing). */
function insertAt(self: Interner, ptr: usize, len: usize, tag: u32, slot: usize): u32 {
  if (<u64>(self.count + 1) * 8 > <u64>(self.slotMask + 1) * 5) {
    growSlots(self);
    slot = probe(self, ptr, len, tag);
  }
  ensureEntry(self);
  const off = appendKey(self, ptr, <u32>len);
  let id: u32;
  if (self.freeHead != NONE) {
    id = self.freeHead;
    self.freeHead = load<u32>(entryAt(self, id), 12);
  } else {
    id = self.idLimit++;
  }
  const e = entryAt(self, id);
  store<u32>(e, off);
  store<u32>(e, <u32>len, 4);
  store<u32>(e, tag, 8);
  store<u32>(e, LIVE, 12);
  store<u32>(slot, tag);
  store<u32>(slot, <u32>len, 4);
  store<u32>(slot, id + 1, 8);
  store<u32>(slot, off, 12);
  // From the arena copy: `ptr` may have pointed into an arena appendKey freed.
  if (<u32>len <= CELL) memory.copy(self.cells + (((slot - self.slots) >> SLOT_SHIFT) << CELL_SHIFT), self.arena + off, len);
  self.count++;
  return id;
}

// @ts-ignore: decorator
@inline const GROUP: u32 = 32;

/** Where the loads that only warm the cache go (so they are not optimised away). */
let touched: u32 = 0;

/**
 * Interns `count` keys given as (offset, length) u32 pairs relative to
 * `base`, writing their ids to `out`: one call for all the specifiers of a
 * source, whose bytes are already in linear memory.
 *
 * Keys go in groups of GROUP, in passes: touch every key's bytes, hash them
 * all (the tags wait in `out`), touch every home slot and its cell, touch the
 * arena bytes of a matching slot whose key is too long for a cell, and only
 * then intern each key. A lookup is a chain of dependent cache misses (key,
 * then slot and cell); the passes keep the misses of the group's keys in
 * flight together, so a large table pays about one chain per group rather
 * than one per key. The passes only read; interning proper is the same code
 * as internerIntern. `out` must not overlap the pairs or the keys (it holds
 * a group's tags before its ids).
 */
export function internerInternMany(handle: usize, base: usize, pairs: usize, count: u32, out: usize): void {
  const self = changetype<Interner>(handle);
  let sink: u32 = 0;
  for (let g: u32 = 0; g < count; g += GROUP) {
    const end = min<u32>(g + GROUP, count);
    for (let i = g; i < end; i++) {
      const pair = pairs + ((<usize>i) << 3);
      const len = <usize>load<u32>(pair, 4);
      if (len != 0) {
        const ptr = base + load<u32>(pair);
        sink += <u32>load<u8>(ptr) + <u32>load<u8>(ptr + len - 1);
      }
    }
    for (let i = g; i < end; i++) {
      const pair = pairs + ((<usize>i) << 3);
      store<u32>(out + ((<usize>i) << 2), tagOf(self, base + load<u32>(pair), load<u32>(pair, 4)));
    }
    const slots = self.slots;
    const cells = self.cells;
    const mask = self.slotMask;
    for (let i = g; i < end; i++) {
      const home = <usize>(load<u32>(out + ((<usize>i) << 2)) & mask);
      sink += load<u32>(slots + (home << SLOT_SHIFT), 12) + <u32>load<u8>(cells + (home << CELL_SHIFT));
    }
    for (let i = g; i < end; i++) {
      const tag = load<u32>(out + ((<usize>i) << 2));
      const slot = slots + ((<usize>(tag & mask)) << SLOT_SHIFT);
      const len = load<u32>(slot, 4);
      if (load<u32>(slot) == tag && len > CELL) {
        const stored = self.arena + load<u32>(slot, 12);
        sink += <u32>load<u8>(stored) + <u32>load<u8>(stored + len - 1);
      }
    }
    for (let i = g; i < end; i++) {
      const pair = pairs + ((<usize>i) << 3);
      const at = out + ((<usize>i) << 2);
      store<u32>(at, internTagged(self, base + load<u32>(pair), load<u32>(pair, 4), load<u32>(at)));
    }
  }
  touched = sink;
}

/** Removes the slot and closes the gap (backward shift; no tombstones). */
function removeSlot(self: Interner, slot: usize): void {
  const mask = self.slotMask;
  let i = <u32>((slot - self.slots) >> SLOT_SHIFT);
  let j = i;
  while (true) {
    j = (j + 1) & mask;
    const from = self.slots + ((<usize>j) << SLOT_SHIFT);
    if (load<u32>(from, 8) == 0) break;
    const home = load<u32>(from) & mask;
    // Move j back to i unless its home lies cyclically in (i, j].
    const inRange = i <= j ? (home > i && home <= j) : (home > i || home <= j);
    if (!inRange) {
      v128.store(self.slots + ((<usize>i) << SLOT_SHIFT), v128.load(from));
      if (load<u32>(from, 4) <= CELL) copyCell(self.cells + ((<usize>i) << CELL_SHIFT), self.cells + ((<usize>j) << CELL_SHIFT));
      i = j;
    }
  }
  v128.store(self.slots + ((<usize>i) << SLOT_SHIFT), i64x2.splat(0));
}

function deleteAt(self: Interner, slot: usize): i32 {
  const idPlusOne = load<u32>(slot, 8);
  if (idPlusOne == 0) return -1;
  const id = idPlusOne - 1;
  removeSlot(self, slot);
  const e = entryAt(self, id);
  self.deadBytes += load<u32>(e, 4);
  store<u32>(e, self.freeHead, 12);
  self.freeHead = id;
  self.count--;
  return <i32>id;
}

/** Removes the key; returns its former id, or -1 if it was not interned. */
export function internerDelete(handle: usize, ptr: usize, len: usize): i32 {
  const self = changetype<Interner>(handle);
  return deleteAt(self, probe(self, ptr, len, tagOf(self, ptr, len)));
}

/** Removes the key with this id; returns true if it was live. */
export function internerDeleteId(handle: usize, id: u32): bool {
  const self = changetype<Interner>(handle);
  if (id >= self.idLimit) return false;
  const e = entryAt(self, id);
  if (load<u32>(e, 12) != LIVE) return false;
  const len = <usize>load<u32>(e, 4);
  return deleteAt(self, probe(self, self.arena + load<u32>(e), len, load<u32>(e, 8))) >= 0;
}

/** Where the id's bytes are now (valid until the next call that may allocate), or 0. */
export function internerBytesPtr(handle: usize, id: u32): usize {
  const self = changetype<Interner>(handle);
  if (id >= self.idLimit) return 0;
  const e = entryAt(self, id);
  if (load<u32>(e, 12) != LIVE) return 0;
  return self.arena + load<u32>(e);
}

/** The length of the id's bytes, or -1 if the id is not live. */
export function internerBytesLength(handle: usize, id: u32): i32 {
  const self = changetype<Interner>(handle);
  if (id >= self.idLimit) return -1;
  const e = entryAt(self, id);
  if (load<u32>(e, 12) != LIVE) return -1;
  return <i32>load<u32>(e, 4);
}

export function internerCount(handle: usize): u32 {
  return changetype<Interner>(handle).count;
}

/** One past the highest id ever handed out: iterate ids below it and skip dead ones. */
export function internerIdLimit(handle: usize): u32 {
  return changetype<Interner>(handle).idLimit;
}

/** Slots allocated (for tests of growth). */
export function internerCapacity(handle: usize): u32 {
  return changetype<Interner>(handle).slotMask + 1;
}
