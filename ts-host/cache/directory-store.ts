// The default cache store: a directory of packs and one index.
//
// Reading ten thousand small files costs about as much as compiling ten
// thousand small modules, so records are not one file each:
//   <dir>/index          every key → (pack, offset, length, last use); read
//                        once, on the first get(), and replaced as a whole
//   <dir>/packs/<id>     immutable files of records, one written per flush
//                        (the records a run added, in one write); a pack is
//                        read whole once a run uses several of its records
//   <dir>/seed           a random 64-bit secret the module cache hashes with
//   <dir>/index.lock     held while a process merges its writes into the index
//
// Writes are atomic: a pack and the index are written to a temporary file and
// renamed into place, so a reader sees the old or the new file, never half of
// one. Two processes flushing at once serialise on the lock and each merges
// its records into the index it finds; a process that cannot get the lock in
// time leaves its pack unreferenced (removed later) and loses nothing else.
// The size cap evicts the least recently used records (last use is kept to
// the hour, so a warm run that only reads writes nothing); packs left mostly
// dead are compacted.
//
// The directory is effectively executable code (V8 runs the code cache it
// holds), so checkCacheDirectory() refuses one that another user owns or can
// write to.

import { randomBytes } from 'node:crypto';
import {
  closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { CacheStore } from './store.js';

/** Default size cap: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

const INDEX_MAGIC = 0x58494e43; // 'CNIX'
const PACK_MAGIC = 0x4b504e43; // 'CNPK'
const VALUE_MAGIC = 0x56524e43; // 'CNRV'
const FORMAT = 1;
const PACK_HEADER = 16;
const VALUE_HEADER = 12;
/** Last use is recorded in minutes; a hit refreshes it only when it is older than this. */
const TOUCH_MINUTES = 60;
/** Eviction brings the live size down to this fraction of the cap. */
const EVICT_TO = 0.75;
/** A pack whose live records are less than this fraction of it is compacted. */
const COMPACT_BELOW = 0.5;
/** Unreferenced packs and temporary files older than this are removed. */
const ORPHAN_MS = 15 * 60 * 1000;
const LOCK_STALE_MS = 30 * 1000;
const LOCK_WAIT_MS = 2000;
/** A run reads a pack whole from its this-many-th record on (before that, one record at a time). */
const WHOLE_PACK_AFTER = 4;

export class CacheDirectoryError extends Error {
  override name = 'CacheDirectoryError';
}

/**
 * Creates the directory if needed (mode 0700) and checks that it is safe to
 * run code from: a directory owned by this user, writable by no one else, in
 * a parent no one else can rename it out of. Throws CacheDirectoryError.
 */
export function checkCacheDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CacheDirectoryError(`cannot create ${dir}: ${(error as Error).message}`);
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw new CacheDirectoryError(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid === undefined) return; // Windows: ACLs, not modes
  if (st.uid !== uid) throw new CacheDirectoryError(`${dir} is owned by another user (uid ${st.uid}, this process runs as ${uid})`);
  if ((st.mode & 0o022) !== 0) {
    throw new CacheDirectoryError(`${dir} is writable by ${st.mode & 0o002 ? 'others' : 'its group'} (mode ${(st.mode & 0o777).toString(8)}); chmod 700 it`);
  }
  const parent = statSync(dirname(dir));
  // A parent others can write to may have the directory renamed away and replaced, unless it is sticky (/tmp) and the directory ours.
  if ((parent.mode & 0o022) !== 0 && (parent.mode & 0o1000) === 0 && parent.uid !== uid) {
    throw new CacheDirectoryError(`${dirname(dir)} (the parent of ${dir}) is writable by other users`);
  }
}

interface IndexEntry {
  pack: string;
  offset: number;
  length: number;
  /** Minutes since the epoch. */
  used: number;
}

/** What `canon cache info` reports. */
export interface StoreInfo {
  dir: string;
  /** Bytes of packs the index refers to. */
  bytes: number;
  records: number;
  packs: number;
  maxBytes: number;
}


function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface DirectoryStoreOptions {
  /** Size cap in bytes (default 256 MiB). */
  maxBytes?: number;
  /** @internal Tests: the clock (milliseconds since the epoch) that last use is measured by. */
  clock?: () => number;
}

export class DirectoryStore implements CacheStore {
  readonly dir: string;
  readonly maxBytes: number;
  #index: Map<string, IndexEntry> | undefined;
  /** Pack sizes as the index records them. */
  #packSizes = new Map<string, number>();
  #packs = new Map<string, { path: string; data: Buffer | undefined; reads: number }>();
  #pending = new Map<string, Uint8Array>();
  /** Keys to forget, with the entry found bad (only that one is removed at the merge). */
  #deleted = new Map<string, IndexEntry | undefined>();
  /** Keys whose last use should be refreshed. */
  #touched = new Set<string>();
  #seed: bigint | undefined;
  /** Packs this process wrote. */
  readonly #ownPacks = new Set<string>();
  readonly #clock: () => number;

  constructor(dir: string, options: DirectoryStoreOptions = {}) {
    this.dir = dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#clock = options.clock ?? Date.now;
  }

  #minutesNow(): number {
    return Math.floor(this.#clock() / 60000);
  }

  /**
   * The directory's secret hash seed (created on first use): content hashes
   * under it cannot be steered into collisions by someone who cannot read
   * the directory.
   */
  get seed(): bigint {
    if (this.#seed === undefined) {
      const file = join(this.dir, 'seed');
      let bytes: Buffer | undefined;
      try {
        bytes = readFileSync(file);
      } catch {
        try {
          writeFileSync(file, randomBytes(8), { flag: 'wx', mode: 0o600 });
        } catch {
          /* another process created it first */
        }
        bytes = readFileSync(file);
      }
      if (bytes.length !== 8) throw new CacheDirectoryError(`${file} is not an 8-byte seed`);
      this.#seed = bytes.readBigUInt64LE(0);
    }
    return this.#seed;
  }

  get(key: string): Uint8Array | undefined {
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const entry = this.#loadIndex().get(key);
    if (!entry) return undefined;
    const value = this.#read(entry, key);
    if (value === undefined) {
      this.#deleted.set(key, entry);
      this.#index!.delete(key);
      return undefined;
    }
    if (this.#minutesNow() - entry.used > TOUCH_MINUTES) this.#touched.add(key);
    return value;
  }

  set(key: string, value: Uint8Array): void {
    this.#pending.set(key, value);
  }

  delete(key: string): void {
    this.#pending.delete(key);
    this.#deleted.set(key, this.#index?.get(key));
    this.#index?.delete(key);
  }

  /** Writes the records set since the last flush as one pack and merges them into the index. */
  flush(): void {
    if (this.#pending.size === 0 && this.#deleted.size === 0 && this.#touched.size === 0) return;
    const pending = this.#pending;
    this.#pending = new Map();
    let written: { name: string; offsets: Map<string, [number, number]>; size: number } | undefined;
    if (pending.size > 0) written = this.#writePack(pending);
    if (!this.#lock()) return;
    try {
      const index = this.#readIndexFile();
      // Packs the committed index refers to: one that ends up unreferenced below was dropped, not just written by someone else.
      const committed = new Set<string>();
      for (const entry of index.values()) committed.add(entry.pack);
      const now = this.#minutesNow();
      for (const [key, bad] of this.#deleted) {
        const current = index.get(key);
        if (current && (bad === undefined || (current.pack === bad.pack && current.offset === bad.offset))) index.delete(key);
      }
      for (const key of this.#touched) {
        const current = index.get(key);
        if (current) current.used = now;
      }
      if (written) {
        this.#packSizes.set(written.name, written.size);
        for (const [key, [offset, length]] of written.offsets) index.set(key, { pack: written.name, offset, length, used: now });
      }
      this.#evict(index);
      this.#writeIndexFile(index);
      this.#index = index;
      this.#deleted.clear();
      this.#touched.clear();
      this.#removeOrphans(index, committed);
    } finally {
      this.#unlock();
    }
  }

  /** Location, size and record count (reads the index from disk). */
  info(): StoreInfo {
    const index = this.#readIndexFile();
    const packs = new Set([...index.values()].map((e) => e.pack));
    let bytes = 0;
    for (const pack of packs) bytes += this.#packSizes.get(pack) ?? 0;
    return { dir: this.dir, bytes, records: index.size, packs: packs.size, maxBytes: this.maxBytes };
  }

  /** Removes every record (the directory and its seed stay). */
  clear(): void {
    if (!this.#lock()) throw new CacheDirectoryError(`${this.dir} is locked by another process (index.lock)`);
    try {
      rmSync(join(this.dir, 'index'), { force: true });
      rmSync(join(this.dir, 'packs'), { recursive: true, force: true });
      this.#index = new Map();
      this.#packSizes.clear();
      this.#packs.clear();
      this.#pending.clear();
      this.#deleted.clear();
      this.#touched.clear();
    } finally {
      this.#unlock();
    }
  }

  // ---- reading -----------------------------------------------------------

  #loadIndex(): Map<string, IndexEntry> {
    this.#index ??= this.#readIndexFile();
    return this.#index;
  }

  /** The index on disk; an unreadable or corrupted one counts as empty (and is replaced at the next flush). */
  #readIndexFile(): Map<string, IndexEntry> {
    const index = new Map<string, IndexEntry>();
    let buf: Buffer;
    try {
      buf = readFileSync(join(this.dir, 'index'));
    } catch {
      return index;
    }
    try {
      if (buf.length < 24 || buf.readUInt32LE(0) !== INDEX_MAGIC || buf.readUInt32LE(4) !== FORMAT) return index;
      if (buf.readUInt32LE(16) !== buf.length || buf.readUInt32LE(20) !== checksum(buf, 24, buf.length)) return index;
      const packCount = buf.readUInt32LE(8);
      const entryCount = buf.readUInt32LE(12);
      let at = 24;
      const packs: string[] = [];
      this.#packSizes.clear();
      for (let i = 0; i < packCount; i++) {
        const length = buf[at]!;
        const name = buf.toString('latin1', at + 1, at + 1 + length);
        const size = buf.readUInt32LE(at + 1 + length);
        packs.push(name);
        this.#packSizes.set(name, size);
        at += 5 + length;
      }
      for (let i = 0; i < entryCount; i++) {
        const pack = packs[buf.readUInt32LE(at)]!;
        const offset = buf.readUInt32LE(at + 4);
        const length = buf.readUInt32LE(at + 8);
        const used = buf.readUInt32LE(at + 12);
        const keyLength = buf.readUInt16LE(at + 16);
        const key = buf.toString('utf8', at + 18, at + 18 + keyLength);
        index.set(key, { pack, offset, length, used });
        at += 18 + keyLength;
      }
      if (at !== buf.length) index.clear();
    } catch {
      index.clear();
    }
    return index;
  }

  /** A record's value, or undefined when the pack is gone or the framing is wrong. */
  #read(entry: IndexEntry, key: string): Uint8Array | undefined {
    let pack = this.#packs.get(entry.pack);
    if (!pack) {
      pack = { path: join(this.dir, 'packs', entry.pack), data: undefined, reads: 0 };
      this.#packs.set(entry.pack, pack);
    }
    pack.reads++;
    const path = pack.path;
    let bytes: Buffer;
    let at: number;
    try {
      if (pack.data === undefined && pack.reads >= WHOLE_PACK_AFTER) pack.data = readFileSync(path);
      if (pack.data !== undefined) {
        bytes = pack.data;
        at = entry.offset;
      } else {
        bytes = Buffer.allocUnsafe(entry.length);
        const fd = openSync(path, 'r');
        try {
          if (readSync(fd, bytes, 0, entry.length, entry.offset) !== entry.length) return undefined;
        } finally {
          closeSync(fd);
        }
        at = 0;
      }
    } catch {
      return undefined;
    }
    if (at + VALUE_HEADER > bytes.length || bytes.readUInt32LE(at) !== VALUE_MAGIC) return undefined;
    const valueLength = bytes.readUInt32LE(at + 4);
    const keyLength = bytes.readUInt32LE(at + 8);
    const valueStart = align8(at + VALUE_HEADER + keyLength);
    if (valueStart - at + valueLength !== entry.length || at + entry.length > bytes.length) return undefined;
    // The key is compared by length only: the record's own header names its content hash, which the module cache checks.
    if (keyLength !== Buffer.byteLength(key)) return undefined;
    return new Uint8Array(bytes.buffer, bytes.byteOffset + valueStart, valueLength);
  }

  // ---- writing -----------------------------------------------------------

  /** Writes records as a new pack (temporary file, then rename); returns where each landed. */
  #writePack(records: Map<string, Uint8Array>): { name: string; offsets: Map<string, [number, number]>; size: number } {
    const layout: { key: Buffer; value: Uint8Array; start: number; valueStart: number }[] = [];
    const offsets = new Map<string, [number, number]>();
    let size = PACK_HEADER;
    for (const [k, value] of records) {
      const key = Buffer.from(k, 'utf8');
      const start = size;
      const valueStart = align8(start + VALUE_HEADER + key.length);
      layout.push({ key, value, start, valueStart });
      offsets.set(k, [start, valueStart + value.length - start]);
      size = align8(valueStart + value.length);
    }
    const buf = Buffer.alloc(size);
    buf.writeUInt32LE(PACK_MAGIC, 0);
    buf.writeUInt32LE(FORMAT, 4);
    buf.writeUInt32LE(layout.length, 8);
    for (const { key, value, start, valueStart } of layout) {
      buf.writeUInt32LE(VALUE_MAGIC, start);
      buf.writeUInt32LE(value.length, start + 4);
      buf.writeUInt32LE(key.length, start + 8);
      buf.set(key, start + VALUE_HEADER);
      buf.set(value, valueStart);
    }
    const name = `${randomBytes(8).toString('hex')}.pack`;
    const dir = join(this.dir, 'packs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#atomicWrite(join(dir, name), buf);
    // This run may read its own records back (a second registry): from memory.
    this.#packs.set(name, { path: join(dir, name), data: buf, reads: WHOLE_PACK_AFTER });
    this.#ownPacks.add(name);
    return { name, offsets, size };
  }

  #atomicWrite(path: string, data: Uint8Array): void {
    const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(temp, data, { mode: 0o600 });
      renameSync(temp, path);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }

  #writeIndexFile(index: Map<string, IndexEntry>): void {
    const packIds = new Map<string, number>();
    const packNames: Buffer[] = [];
    const keyBytes: Buffer[] = [];
    let size = 24;
    for (const [key, entry] of index) {
      if (!packIds.has(entry.pack)) {
        packIds.set(entry.pack, packIds.size);
        const name = Buffer.from(entry.pack, 'latin1');
        packNames.push(name);
        size += 5 + name.length;
      }
      const k = Buffer.from(key, 'utf8');
      keyBytes.push(k);
      size += 18 + k.length;
    }
    const buf = Buffer.alloc(size);
    buf.writeUInt32LE(INDEX_MAGIC, 0);
    buf.writeUInt32LE(FORMAT, 4);
    buf.writeUInt32LE(packNames.length, 8);
    buf.writeUInt32LE(index.size, 12);
    buf.writeUInt32LE(size, 16);
    let at = 24;
    for (const name of packNames) {
      buf[at] = name.length;
      buf.set(name, at + 1);
      buf.writeUInt32LE(this.#packSizes.get(name.toString('latin1')) ?? 0, at + 1 + name.length);
      at += 5 + name.length;
    }
    let i = 0;
    for (const entry of index.values()) {
      const k = keyBytes[i++]!;
      buf.writeUInt32LE(packIds.get(entry.pack)!, at);
      buf.writeUInt32LE(entry.offset, at + 4);
      buf.writeUInt32LE(entry.length, at + 8);
      buf.writeUInt32LE(entry.used, at + 12);
      buf.writeUInt16LE(k.length, at + 16);
      buf.set(k, at + 18);
      at += 18 + k.length;
    }
    buf.writeUInt32LE(checksum(buf, 24, size), 20);
    this.#atomicWrite(join(this.dir, 'index'), buf);
  }

  /**
   * Least-recently-used eviction down to EVICT_TO of the cap once the packs
   * exceed it; then packs with no live record are deleted and mostly dead
   * ones compacted into a new pack.
   */
  #evict(index: Map<string, IndexEntry>): void {
    const live = new Map<string, number>();
    for (const entry of index.values()) live.set(entry.pack, (live.get(entry.pack) ?? 0) + entry.length);
    let total = 0;
    for (const pack of live.keys()) total += this.#packSizes.get(pack) ?? 0;
    if (total > this.maxBytes) {
      let liveBytes = 0;
      for (const n of live.values()) liveBytes += n;
      const oldestFirst = [...index].sort((a, b) => a[1].used - b[1].used);
      for (const [key, entry] of oldestFirst) {
        if (liveBytes <= this.maxBytes * EVICT_TO) break;
        index.delete(key);
        liveBytes -= entry.length;
        live.set(entry.pack, live.get(entry.pack)! - entry.length);
      }
    }
    let packBytes = 0;
    for (const [pack, bytes] of live) if (bytes > 0) packBytes += this.#packSizes.get(pack) ?? 0;
    const overCap = packBytes > this.maxBytes;
    const compact = new Map<string, Uint8Array>();
    const moved: [string, IndexEntry][] = [];
    for (const [pack, bytes] of live) {
      const size = this.#packSizes.get(pack) ?? 0;
      // Over the cap (dead records count too), every pack with dead records is compacted; otherwise only mostly dead ones.
      if (bytes === 0 || size === 0 || bytes >= size * (overCap ? 1 : COMPACT_BELOW)) continue;
      for (const [key, entry] of index) {
        if (entry.pack !== pack) continue;
        const value = this.#read(entry, key);
        if (value) {
          compact.set(key, value);
          moved.push([key, entry]);
        } else {
          index.delete(key);
        }
      }
    }
    if (compact.size > 0) {
      const written = this.#writePack(compact);
      this.#packSizes.set(written.name, written.size);
      for (const [key, entry] of moved) {
        const [offset, length] = written.offsets.get(key)!;
        index.set(key, { pack: written.name, offset, length, used: entry.used });
      }
    }
  }

  /** Deletes packs the index no longer refers to, and stale temporary files (not recent ones: another process may be about to commit them). */
  #removeOrphans(index: Map<string, IndexEntry>, committed: Set<string>): void {
    const referenced = new Set<string>();
    for (const entry of index.values()) referenced.add(entry.pack);
    const dir = join(this.dir, 'packs');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      if (referenced.has(name)) continue;
      const path = join(dir, name);
      try {
        // A pack this process wrote and the index does not hold was dropped (eviction, compaction): delete it at once.
        if (this.#ownPacks.has(name) || committed.has(name) || now - statSync(path).mtimeMs > ORPHAN_MS) {
          unlinkSync(path);
          this.#packs.delete(name);
          this.#packSizes.delete(name);
        }
      } catch {
        /* gone already */
      }
    }
  }

  #lock(): boolean {
    const path = join(this.dir, 'index.lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(path, 'wx', 0o600));
        return true;
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') return false;
      }
      try {
        if (Date.now() - statSync(path).mtimeMs > LOCK_STALE_MS) {
          unlinkSync(path); // left by a process that died holding it
          continue;
        }
      } catch {
        continue; // released meanwhile
      }
      if (Date.now() > deadline) return false;
      sleep(5);
    }
  }

  #unlock(): void {
    rmSync(join(this.dir, 'index.lock'), { force: true });
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** A 32-bit FNV-1a over 32-bit words (the index is small; records carry their own XXH64). */
function checksum(buf: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  let i = start;
  for (; i + 4 <= end; i += 4) h = Math.imul(h ^ buf.readUInt32LE(i), 0x01000193);
  for (; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}
