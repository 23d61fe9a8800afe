// The default cache store: a directory of packs and one index.
//
// Reading ten thousand small files costs about as much as compiling ten
// thousand small modules, so records are not one file each:
//   <dir>/index          fixed-size rows sorted by the key's 128-bit hash →
//                        (pack, offset, length, last use): read once, on the
//                        first get(), and searched in place (no object per
//                        row, so a big cache costs a warm run one file read);
//                        replaced as a whole when a run writes
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

import { fs } from '../builtins.js';
import { dirname, join } from 'node:path';
import { engineCore } from '../engine-core.js';
// Not node:crypto: loading it (and the streams it pulls in) cost a cold run about 3 ms.
import { randomBytes } from '../core/seed.js';
import { checksum32 } from './checksum.js';
import { CacheDirectoryError, checkCacheDirectory } from './location.js';
import type { CacheStore } from './store.js';

export { CacheDirectoryError, checkCacheDirectory };

/** Default size cap: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

const INDEX_MAGIC = 0x58494e43; // 'CNIX'
const PACK_MAGIC = 0x4b504e43; // 'CNPK'
const VALUE_MAGIC = 0x56524e43; // 'CNRV'
const FORMAT = 1;
const INDEX_FORMAT = 3;
const INDEX_HEADER = 32;
/** A pack's name (16 hex digits and '.pack') and size. */
const PACK_ROW = 28;
const PACK_NAME = 21;
/** hash (4 words), pack, offset, length, last use. */
const ENTRY_WORDS = 8;
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
const LOCK_WAIT_MS = 500;
/** A run reads a pack whole from its this-many-th record on (before that, one record at a time)... */
const WHOLE_PACK_AFTER = 4;
/** ...unless the pack is bigger than this. */
const WHOLE_PACK_MAX = 32 * 1024 * 1024;



/** One index row: the key's 128-bit hash as four words (the sort order), where its record is, its last use. */
interface IndexEntry {
  hash: [number, number, number, number];
  pack: string;
  offset: number;
  length: number;
  /** Minutes since the epoch. */
  used: number;
}

/** The index as read: sorted rows of ENTRY_WORDS words, searched in place (no object per row). */
interface IndexView {
  words: Uint32Array;
  /** The same words as int32: a row's hash words are read from here (see keyHash). */
  hashes: Int32Array;
  /** Word index of the first row. */
  first: number;
  count: number;
  packs: string[];
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
  #view: IndexView | undefined;
  /** Pack sizes as the index records them. */
  #packSizes = new Map<string, number>();
  #packs = new Map<string, { path: string; data: Buffer | undefined; reads: number }>();
  #pending = new Map<string, Uint8Array>();
  /** Rows to forget (by key hash), with the row found bad (only that one is removed at the merge). */
  #deleted = new Map<string, { pack: string; offset: number } | undefined>();
  /** Rows whose last use should be refreshed. */
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
        bytes = fs.readFileSync(file);
      } catch {
        // Written whole under a temporary name, then linked into place: link() fails if the seed
        // exists, so the first process wins, and a reader never sees a half-written (empty) seed.
        const tmp = `${file}.${process.pid}.tmp`;
        try {
          fs.writeFileSync(tmp, randomBytes(8), { mode: 0o600 });
          fs.linkSync(tmp, file);
        } catch {
          /* another process created it first */
        } finally {
          fs.rmSync(tmp, { force: true });
        }
        bytes = fs.readFileSync(file);
      }
      if (bytes.length !== 8) throw new CacheDirectoryError(`${file} is not an 8-byte seed`);
      this.#seed = bytes.readBigUInt64LE(0);
    }
    return this.#seed;
  }

  get(key: string): Uint8Array | undefined {
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const view = (this.#view ??= this.#readIndexView());
    if (view.count === 0) return undefined;
    const hash = keyHash(key);
    const row = findRow(view, hash);
    if (row < 0) return undefined;
    const id = hashId(hash);
    if (this.#deleted.has(id)) return undefined;
    const words = view.words;
    const pack = view.packs[words[row + 4]!];
    const offset = words[row + 5]!;
    const length = words[row + 6]!;
    const value = pack === undefined ? undefined : this.#read(pack, offset, length, key);
    if (value === undefined) {
      this.#deleted.set(id, pack === undefined ? undefined : { pack, offset });
      return undefined;
    }
    if (this.#minutesNow() - words[row + 7]! > TOUCH_MINUTES) this.#touched.add(id);
    return value;
  }

  set(key: string, value: Uint8Array): void {
    this.#pending.set(key, value);
  }

  delete(key: string): void {
    this.#pending.delete(key);
    this.#deleted.set(hashId(keyHash(key)), undefined);
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
      const index = this.#readIndexEntries();
      // Packs the committed index refers to: one that ends up unreferenced below was dropped, not just written by someone else.
      const committed = new Set<string>();
      for (const entry of index.values()) committed.add(entry.pack);
      const now = this.#minutesNow();
      for (const [id, bad] of this.#deleted) {
        const current = index.get(id);
        if (current && (bad === undefined || (current.pack === bad.pack && current.offset === bad.offset))) index.delete(id);
      }
      for (const id of this.#touched) {
        const current = index.get(id);
        if (current) current.used = now;
      }
      if (written) {
        this.#packSizes.set(written.name, written.size);
        // forEach and no array destructuring: this runs once per record at exit, in the interpreter, where
        // each destructured entry allocates an iterator and its results.
        const pack = written.name;
        written.offsets.forEach((at, key) => {
          const hash = keyHash(key);
          index.set(hashId(hash), { hash, pack, offset: at[0], length: at[1], used: now });
        });
      }
      this.#evict(index);
      this.#view = this.#writeIndexFile(index);
      this.#deleted.clear();
      this.#touched.clear();
      this.#removeOrphans(index, committed);
    } finally {
      this.#unlock();
    }
  }

  /** Location, size and record count (reads the index from disk). */
  info(): StoreInfo {
    const index = this.#readIndexEntries();
    const packs = new Set([...index.values()].map((e) => e.pack));
    let bytes = 0;
    for (const pack of packs) bytes += this.#packSizes.get(pack) ?? 0;
    return { dir: this.dir, bytes, records: index.size, packs: packs.size, maxBytes: this.maxBytes };
  }

  /** Removes every record (the directory and its seed stay). */
  clear(): void {
    if (!this.#lock()) throw new CacheDirectoryError(`${this.dir} is locked by another process (index.lock)`);
    try {
      fs.rmSync(join(this.dir, 'index'), { force: true });
      fs.rmSync(join(this.dir, 'packs'), { recursive: true, force: true });
      this.#view = undefined;
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

  /** The index on disk; an unreadable or corrupted one counts as empty (and is replaced at the next flush). */
  #readIndexView(): IndexView {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(join(this.dir, 'index'));
    } catch {
      return EMPTY_VIEW;
    }
    return this.#parseIndex(buf);
  }

  #parseIndex(buf: Buffer): IndexView {
    if (buf.length < INDEX_HEADER) return EMPTY_VIEW;
    if (buf.byteOffset % 4 !== 0) buf = Buffer.from(new Uint8Array(buf));
    const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
    if (words[0] !== INDEX_MAGIC || words[1] !== INDEX_FORMAT || words[4] !== buf.length) return EMPTY_VIEW;
    const packCount = words[2]!;
    const count = words[3]!;
    const first = (INDEX_HEADER + packCount * PACK_ROW) >> 2;
    if ((first + count * ENTRY_WORDS) * 4 !== buf.length || words[5] !== checksum(buf, INDEX_HEADER, buf.length)) return EMPTY_VIEW;
    const packs: string[] = [];
    this.#packSizes.clear();
    for (let i = 0; i < packCount; i++) {
      const at = INDEX_HEADER + i * PACK_ROW;
      const name = buf.toString('latin1', at, at + PACK_NAME);
      packs.push(name);
      this.#packSizes.set(name, buf.readUInt32LE(at + 24));
    }
    return { words, hashes: signedView(words), first, count, packs };
  }

  /** Every row of the index on disk, by key hash (for merging). */
  #readIndexEntries(): Map<string, IndexEntry> {
    const view = this.#readIndexView();
    const index = new Map<string, IndexEntry>();
    const words = view.words;
    const hashes = view.hashes;
    for (let i = 0, row = view.first; i < view.count; i++, row += ENTRY_WORDS) {
      const hash: [number, number, number, number] = [hashes[row]!, hashes[row + 1]!, hashes[row + 2]!, hashes[row + 3]!];
      const pack = view.packs[words[row + 4]!];
      if (pack === undefined) continue;
      index.set(hashId(hash), { hash, pack, offset: words[row + 5]!, length: words[row + 6]!, used: words[row + 7]! });
    }
    return index;
  }

  /** A record's value, or undefined when the pack is gone, the framing is wrong or the record is another key's. */
  #read(pack: string, offset: number, length: number, key: string): Uint8Array | undefined {
    const record = this.#readRecord(pack, offset, length);
    return record !== undefined && record.key === key ? record.value : undefined;
  }

  #readRecord(name: string, offset: number, length: number): { key: string; value: Uint8Array } | undefined {
    let pack = this.#packs.get(name);
    if (!pack) {
      pack = { path: join(this.dir, 'packs', name), data: undefined, reads: 0 };
      this.#packs.set(name, pack);
    }
    pack.reads++;
    let bytes: Buffer;
    let at: number;
    try {
      if (pack.data === undefined && pack.reads >= WHOLE_PACK_AFTER && (this.#packSizes.get(name) ?? Infinity) <= WHOLE_PACK_MAX) {
        pack.data = fs.readFileSync(pack.path);
      }
      if (pack.data !== undefined) {
        bytes = pack.data;
        at = offset;
      } else {
        bytes = Buffer.allocUnsafe(length);
        const fd = fs.openSync(pack.path, 'r');
        try {
          if (fs.readSync(fd, bytes, 0, length, offset) !== length) return undefined;
        } finally {
          fs.closeSync(fd);
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
    if (valueStart - at + valueLength !== length || at + length > bytes.length) return undefined;
    return {
      key: bytes.toString('utf8', at + VALUE_HEADER, at + VALUE_HEADER + keyLength),
      value: new Uint8Array(bytes.buffer, bytes.byteOffset + valueStart, valueLength),
    };
  }

  // ---- writing -----------------------------------------------------------

  /** Writes records as a new pack (temporary file, then rename); returns where each landed. */
  #writePack(records: Map<string, Uint8Array>): { name: string; offsets: Map<string, [number, number]>; size: number } {
    const layout: { key: string; keyLength: number; value: Uint8Array; start: number; valueStart: number }[] = [];
    const offsets = new Map<string, [number, number]>();
    let size = PACK_HEADER;
    records.forEach((value, key) => {
      const keyLength = Buffer.byteLength(key);
      const start = size;
      const valueStart = align8(start + VALUE_HEADER + keyLength);
      layout.push({ key, keyLength, value, start, valueStart });
      offsets.set(key, [start, valueStart + value.length - start]);
      size = align8(valueStart + value.length);
    });
    const buf = Buffer.alloc(size);
    buf.writeUInt32LE(PACK_MAGIC, 0);
    buf.writeUInt32LE(FORMAT, 4);
    buf.writeUInt32LE(layout.length, 8);
    const words = new Int32Array(buf.buffer, buf.byteOffset, size >> 2);
    for (const { key, keyLength, value, start, valueStart } of layout) {
      words[start >> 2] = VALUE_MAGIC;
      words[(start >> 2) + 1] = value.length;
      words[(start >> 2) + 2] = keyLength;
      buf.write(key, start + VALUE_HEADER, keyLength, 'utf8');
      buf.set(value, valueStart);
    }
    const name = `${hex(randomBytes(8))}.pack`;
    const dir = join(this.dir, 'packs');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#atomicWrite(join(dir, name), buf);
    // This run may read its own records back (a second registry): from memory.
    this.#packs.set(name, { path: join(dir, name), data: buf, reads: WHOLE_PACK_AFTER });
    this.#ownPacks.add(name);
    return { name, offsets, size };
  }

  #atomicWrite(path: string, data: Uint8Array): void {
    const temp = `${path}.tmp-${process.pid}-${hex(randomBytes(4))}`;
    try {
      fs.writeFileSync(temp, data, { mode: 0o600 });
      fs.renameSync(temp, path);
    } catch (error) {
      fs.rmSync(temp, { force: true });
      throw error;
    }
  }

  /** Writes the index (rows sorted by key hash) and returns it as a view. */
  #writeIndexFile(index: Map<string, IndexEntry>): IndexView {
    const packIds = new Map<string, number>();
    const packs: string[] = [];
    const rows = [...index.values()].sort((a, b) => compareHash(a.hash, b.hash));
    for (const entry of rows) {
      if (!packIds.has(entry.pack)) {
        packIds.set(entry.pack, packs.length);
        packs.push(entry.pack);
      }
    }
    const first = (INDEX_HEADER + packs.length * PACK_ROW) >> 2;
    const size = (first + rows.length * ENTRY_WORDS) * 4;
    const buf = Buffer.alloc(size);
    const words = new Uint32Array(buf.buffer, buf.byteOffset, size >> 2);
    words[0] = INDEX_MAGIC;
    words[1] = INDEX_FORMAT;
    words[2] = packs.length;
    words[3] = rows.length;
    words[4] = size;
    for (let i = 0; i < packs.length; i++) {
      const at = INDEX_HEADER + i * PACK_ROW;
      buf.write(packs[i]!.padEnd(PACK_NAME).slice(0, PACK_NAME), at, 'latin1');
      buf.writeUInt32LE(this.#packSizes.get(packs[i]!) ?? 0, at + 24);
    }
    let row = first;
    for (const entry of rows) {
      words[row] = entry.hash[0];
      words[row + 1] = entry.hash[1];
      words[row + 2] = entry.hash[2];
      words[row + 3] = entry.hash[3];
      words[row + 4] = packIds.get(entry.pack)!;
      words[row + 5] = entry.offset;
      words[row + 6] = entry.length;
      words[row + 7] = entry.used;
      row += ENTRY_WORDS;
    }
    words[5] = checksum(buf, INDEX_HEADER, size);
    this.#atomicWrite(join(this.dir, 'index'), buf);
    return { words, hashes: signedView(words), first, count: rows.length, packs };
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
      for (const [id, entry] of index) {
        if (entry.pack !== pack) continue;
        const record = this.#readRecord(entry.pack, entry.offset, entry.length);
        if (record) {
          compact.set(record.key, record.value);
          moved.push([record.key, entry]);
        } else {
          index.delete(id);
        }
      }
    }
    if (compact.size > 0) {
      const written = this.#writePack(compact);
      this.#packSizes.set(written.name, written.size);
      for (const [key, entry] of moved) {
        const [offset, length] = written.offsets.get(key)!;
        index.set(hashId(entry.hash), { hash: entry.hash, pack: written.name, offset, length, used: entry.used });
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
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      if (referenced.has(name)) continue;
      const path = join(dir, name);
      try {
        // A pack this process wrote and the index does not hold was dropped (eviction, compaction): delete it at once.
        if (this.#ownPacks.has(name) || committed.has(name) || now - fs.statSync(path).mtimeMs > ORPHAN_MS) {
          fs.unlinkSync(path);
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
        fs.closeSync(fs.openSync(path, 'wx', 0o600));
        return true;
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') return false;
      }
      try {
        if (Date.now() - fs.statSync(path).mtimeMs > LOCK_STALE_MS) {
          fs.unlinkSync(path); // left by a process that died holding it
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
    fs.rmSync(join(this.dir, 'index.lock'), { force: true });
  }
}

const EMPTY_VIEW: IndexView = { words: new Uint32Array(0), hashes: new Int32Array(0), first: 0, count: 0, packs: [] };

function signedView(words: Uint32Array): Int32Array {
  return new Int32Array(words.buffer, words.byteOffset, words.length);
}

/**
 * A key's XXH3-128 as four words, most significant first, each as an int32
 * (its bits as they are in the index): kept as small integers, they are read
 * and compared without a heap number each, which matters for code that runs
 * once per record at exit, in the interpreter. The index's order is unsigned:
 * compare with unsignedOrder().
 */
function keyHash(key: string): [number, number, number, number] {
  const h = engineCore().hash128(key, 0);
  return [Number(h >> 96n) | 0, Number((h >> 64n) & 0xffff_ffffn) | 0, Number((h >> 32n) & 0xffff_ffffn) | 0, Number(h & 0xffff_ffffn) | 0];
}

function hashId(hash: readonly number[]): string {
  return `${hash[0]}.${hash[1]}.${hash[2]}.${hash[3]}`;
}

/** The unsigned order of two int32 words (flipping the sign bit maps unsigned order onto signed order). */
function unsignedOrder(a: number, b: number): number {
  return (a ^ SIGN_BIT) < (b ^ SIGN_BIT) ? -1 : 1;
}

const SIGN_BIT = 1 << 31;

function compareHash(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return unsignedOrder(a[i]!, b[i]!);
  return 0;
}

/** Binary search of the sorted rows: the word index of the key's row, or -1. */
function findRow(view: IndexView, hash: readonly number[]): number {
  const hashes = view.hashes;
  let lo = 0;
  let hi = view.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const row = view.first + mid * ENTRY_WORDS;
    let order = 0;
    for (let i = 0; i < 4 && order === 0; i++) {
      const w = hashes[row + i]!;
      if (w !== hash[i]) order = unsignedOrder(w, hash[i]!);
    }
    if (order === 0) return row;
    if (order < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** The index's checksum (checksum.ts) of everything after its header. */
function checksum(buf: Buffer, start: number, end: number): number {
  return checksum32(buf.subarray(start, end));
}
