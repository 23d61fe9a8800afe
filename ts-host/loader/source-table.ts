// Source ids: the registry's secondary key. Two sources with the same
// content get the same id, wherever they came from (a URL load, a source
// object handed to import(), a clone from another agent). The XXH3-128 hash
// finds the candidate in a Wasm table; exact comparison confirms it.

import { sourcesEqual, type AnyModuleSource } from '../sources/identity.js';
import { engineTables } from './tables.js';

/** What a source id stands for: a source object, or the text of a kind without one (JSON). */
type Content = { source: AnyModuleSource; text?: undefined } | { source?: undefined; text: string };

const contents: Content[] = [];
/** Same-hash, different-content sources (never seen in practice, but handled). */
const overflow = new Map<bigint, number[]>();

const M32 = 0xffff_ffffn;

function sameContent(a: Content, b: Content): boolean {
  if (a.source && b.source) return sourcesEqual(a.source, b.source);
  return a.text !== undefined && a.text === b.text;
}

function idFor(hash: bigint, content: Content): number {
  const table = engineTables().sourcesByHash;
  const w0 = Number(hash & M32);
  const w1 = Number((hash >> 32n) & M32);
  const w2 = Number((hash >> 64n) & M32);
  const w3 = Number((hash >> 96n) & M32);
  const found = table.get(w0, w1, w2, w3);
  if (found >= 0) {
    if (sameContent(contents[found]!, content)) return found;
    for (const id of overflow.get(hash) ?? []) if (sameContent(contents[id]!, content)) return id;
    const id = contents.push(content) - 1;
    overflow.set(hash, [...(overflow.get(hash) ?? []), id]);
    return id;
  }
  const id = contents.push(content) - 1;
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
