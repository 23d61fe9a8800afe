// Source ids: the registry's secondary key. Two sources with the same
// content get the same id, wherever they came from (a URL load, a source
// object handed to import(), a clone from another agent). The XXH3-128 hash
// finds the candidate in a Wasm table; exact comparison confirms it.
//
// Ids are counted: every registry entry that holds one retains it, and the
// last release forgets the content (its object or text and its hash row), so
// a long-running host that deletes and reloads modules does not keep every
// version it ever saw. A forgotten id is never handed out again.

import { sourcesEqual, type AnyModuleSource } from '../sources/identity.js';
import { engineTables } from './tables.js';

/** What a source id stands for: a source object, or the text of a kind without one (JSON). */
type Content = { source: AnyModuleSource; text?: undefined } | { source?: undefined; text: string };

/** By id: the content, undefined once forgotten. */
const contents: (Content | undefined)[] = [];
/** By id: the content's hash (to find its row again when it is forgotten). */
const hashes: bigint[] = [];
/** By id: how many registry entries hold it. */
const holders: number[] = [];
/** Same-hash, different-content ids after the one the table row names (never seen in practice, but handled). */
const overflow = new Map<bigint, number[]>();
let live = 0;

// A 128-bit hash as four u32 words: stored as two u64 (ToBigUint64 keeps the
// low 64 bits), read back as four u32, instead of a BigInt mask and shift per word.
// (The word order follows the platform; it only has to be the same every time.)
const halves = new BigUint64Array(2);
const quarters = new Uint32Array(halves.buffer);

function sameContent(a: Content, b: Content): boolean {
  if (a.source && b.source) return sourcesEqual(a.source, b.source);
  return a.text !== undefined && a.text === b.text;
}

function words(hash: bigint): [number, number, number, number] {
  halves[0] = hash;
  halves[1] = hash >> 64n;
  return [quarters[0]!, quarters[1]!, quarters[2]!, quarters[3]!];
}

/** Forgotten ids, reused by new contents: a reload loop must not grow these arrays by a slot per cycle. */
const free: number[] = [];

function newId(hash: bigint, content: Content): number {
  live++;
  const reused = free.pop();
  if (reused !== undefined) {
    contents[reused] = content;
    hashes[reused] = hash;
    holders[reused] = 0;
    return reused;
  }
  const id = contents.push(content) - 1;
  hashes.push(hash);
  holders.push(0);
  return id;
}

function idFor(hash: bigint, content: Content): number {
  const table = engineTables().sourcesByHash;
  const [w0, w1, w2, w3] = words(hash);
  const found = table.get(w0, w1, w2, w3);
  if (found >= 0) {
    if (sameContent(contents[found]!, content)) return found;
    const others = overflow.get(hash) ?? [];
    for (const id of others) if (sameContent(contents[id]!, content)) return id;
    const id = newId(hash, content);
    overflow.set(hash, [...others, id]);
    return id;
  }
  const id = newId(hash, content);
  table.set(w0, w1, w2, w3, id);
  return id;
}

/** The content id of a source object (the same object is found at once: exact comparison starts with identity). */
export function sourceIdOf(source: AnyModuleSource, hash: bigint): number {
  return idFor(hash, { source });
}

/** The content id of a kind without a source object (JSON text). */
export function textIdOf(text: string, hash: bigint): number {
  return idFor(hash, { text });
}

/** A registry entry now holds `id`. */
export function retainSourceId(id: number): void {
  holders[id]!++;
}

/** A registry entry let go of `id`; the last one forgets it. */
export function releaseSourceId(id: number): void {
  if (holders[id]! <= 0) throw new Error(`canon internal error: source id ${id} released more often than retained`);
  if (--holders[id]! === 0) forget(id);
}

/** Forgets `id` if no entry holds it (an id looked up for an entry that was deleted meanwhile). */
export function releaseIfUnheld(id: number): void {
  if (holders[id] === 0 && contents[id] !== undefined) forget(id);
}

function forget(id: number): void {
  const hash = hashes[id]!;
  contents[id] = undefined;
  // No table row or entry names the id any more (deleted with its entries): it can stand for new content.
  hashes[id] = 0n;
  free.push(id);
  live--;
  const others = overflow.get(hash);
  const at = others?.indexOf(id) ?? -1;
  if (at >= 0) {
    others!.splice(at, 1);
    if (others!.length === 0) overflow.delete(hash);
    return;
  }
  // The table's row named this id: hand it to a same-hash survivor, or drop it.
  const table = engineTables().sourcesByHash;
  const [w0, w1, w2, w3] = words(hash);
  const next = others?.shift();
  if (next === undefined) {
    table.delete(w0, w1, w2, w3);
  } else {
    table.set(w0, w1, w2, w3, next);
    if (others!.length === 0) overflow.delete(hash);
  }
}

/** How many contents the table holds now (for tests and diagnostics). */
export function liveSourceCount(): number {
  return live;
}
