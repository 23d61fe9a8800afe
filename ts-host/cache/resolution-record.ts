// The module cache's record of resolutions (resolve/persisted-resolutions.ts):
// one record per group of registries that resolve alike (a program's main
// module, the base and the conditions), read on the group's first Node
// resolution and written at the cache's flush when the run added or
// replaced rows.
//
// Key: `<engine key>:resolutions:<XXH64 of the group>` (the engine key covers
// the Node version, whose resolvers make the answers, and its flags, such as
// --preserve-symlinks). Record (little-endian): magic 'CNRS', format u16,
// reserved u16, payload bytes u32, checksum32 of the payload u32, then the
// table as UTF-8 JSON. A record that does not check out counts as empty and
// is replaced at the next flush. The rows check themselves against the file
// system before any is used.

import { engineCore } from '../engine-core.js';
import { PersistedResolutions } from '../resolve/persisted-resolutions.js';
import { checksum32 } from './checksum.js';
import type { ModuleCache } from './module-cache.js';

const MAGIC = 0x53524e43; // 'CNRS'
const FORMAT = 1;
const HEADER = 16;

const tables = new WeakMap<ModuleCache, Map<string, PersistedResolutions>>();

/** The resolutions kept in `cache` for `group` (read once per process, written at the cache's flush). */
export function persistedResolutions(cache: ModuleCache, group: string): PersistedResolutions {
  let byKey = tables.get(cache);
  if (!byKey) tables.set(cache, (byKey = new Map()));
  const key = `${cache.engineKey}:resolutions:${engineCore().hash64(group, 0).toString(16)}`;
  let table = byKey.get(key);
  if (!table) {
    table = PersistedResolutions.decode(decodeRecord(cache.store.get(key)));
    byKey.set(key, table);
    const written = table;
    cache.atFlush(() => {
      if (written.dirty) cache.store.set(key, encodeRecord(written.encode()));
      if (process.env.CANON_CACHE_DEBUG) {
        process.stderr.write(`canon cache: resolutions ${written.hits} kept, ${written.misses} resolved (${written.stale} out of date), ${written.size} rows${written.dirty ? ' written' : ''}\n`);
      }
    });
  }
  return table;
}

function encodeRecord(text: string): Uint8Array {
  const payload = Buffer.from(text, 'utf8');
  const out = new Uint8Array(HEADER + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, FORMAT, true);
  view.setUint32(8, payload.length, true);
  out.set(payload, HEADER);
  view.setUint32(12, checksum32(out.subarray(HEADER)), true);
  return out;
}

/** The record's table text, or undefined for a missing or bad record. */
function decodeRecord(record: Uint8Array | undefined): string | undefined {
  if (record === undefined || record.length < HEADER) return undefined;
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint16(4, true) !== FORMAT) return undefined;
  if (view.getUint32(8, true) !== record.length - HEADER) return undefined;
  const payload = record.subarray(HEADER);
  if (view.getUint32(12, true) !== checksum32(payload)) return undefined;
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
}
