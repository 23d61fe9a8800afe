// npm run bench:core: the Wasm core against its anchors, same process, same
// inputs. Figures are medians of benchmark.js samples, reported as ratios
// against the anchors measured in the same run (this machine is shared and
// noisy; absolute numbers move, ratios much less).
//
//   hashing:   GB/s on 1 KiB, 64 KiB, 4 MiB: canon XXH3-128 and XXH64 on
//              bytes already in linear memory (the design's data flow), canon
//              XXH3-128 copying a JS buffer in, xxhash-wasm h64Raw, hash-wasm
//              xxhash64, node:crypto sha1.
//   interning: ns per lookup of an interned ~64-byte key at 10k and 1M keys:
//              canon from bytes in linear memory (one call per key, and 250
//              keys per call), canon from a JS string, Map.get with the same
//              string object, Map.get with a freshly built equal string.
//              The cases run interleaved, a slice of keys each per round, and
//              every ratio is taken against the anchor of its own round before
//              the median is taken: on a shared machine a case measured
//              seconds after its anchor can see a different machine.

import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import xxhashWasm from 'xxhash-wasm';
import { createXXHash64 } from 'hash-wasm';
import { createCore } from '../ts-host/core/index.js';
import { printTable, runGroup, writeResults, type CaseResult } from './stats.js';

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const core = createCore();
const ex = core.raw;
const seed = core.seed;
const { h64Raw } = await xxhashWasm();
const hashWasm64 = await createXXHash64();

// ---- hashing -------------------------------------------------------------

const SIZES = only === 'intern' ? [] : quick ? [1024, 65536] : [1024, 65536, 4 << 20];
const hashRows: string[][] = [];
const hashResults: Record<string, CaseResult[]> = {};
let sink = 0n;

for (const size of SIZES) {
  const bytes = randomBytes(size);
  const inMemory = core.copyIn(bytes);
  const ptr = inMemory.ptr;
  const label = size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`;
  process.stderr.write(`hashing ${label}\n`);
  const results = runGroup(`hash ${label}`, {
    'canon XXH3-128 (in linear memory)': () => {
      sink ^= ex.xxh3_128(ptr, size, seed) ^ ex.xxh3_128_high();
    },
    'canon XXH64 (in linear memory)': () => {
      sink ^= ex.xxh64(ptr, size, seed);
    },
    'canon XXH3-128 (copy in + bigint)': () => {
      sink ^= core.hash128(bytes);
    },
    'xxhash-wasm h64Raw': () => {
      sink ^= h64Raw(bytes, seed);
    },
    'hash-wasm xxhash64': () => {
      hashWasm64.init();
      hashWasm64.update(bytes);
      sink ^= BigInt(hashWasm64.digest('binary')[0]!);
    },
    'node:crypto sha1': () => {
      sink ^= BigInt(createHash('sha1').update(bytes).digest()[0]!);
    },
  });
  inMemory.free();
  hashResults[label] = results;
  const anchor = results.find((r) => r.name === 'xxhash-wasm h64Raw')!.medianSeconds;
  for (const r of results) {
    hashRows.push([label, r.name, (size / r.medianSeconds / 1e9).toFixed(2), (anchor / r.medianSeconds).toFixed(2) + 'x']);
  }
}

// ---- interning -----------------------------------------------------------

const ANCHOR = 'Map.get, freshly built equal string';

interface InternResult extends CaseResult {
  /** Median over rounds of (this case / the anchor in the same round). */
  ratio: number;
  /** First and third quartiles of those per-round ratios. */
  ratioLow: number;
  ratioHigh: number;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
}

/**
 * Runs every case `opsPerRound` times per round, the cases in alternating
 * order from round to round, and reports per case the median seconds per key
 * and the median of its per-round ratios to the anchor.
 */
function runInterleaved(
  group: string,
  cases: Record<string, () => void>,
  o: { rounds: number; warmup: number; opsPerRound: number; keysPerOp: number },
): InternResult[] {
  const names = Object.keys(cases);
  const seconds = new Map(names.map((n) => [n, [] as number[]]));
  const ratios = new Map(names.map((n) => [n, [] as number[]]));
  for (let round = 0; round < o.warmup + o.rounds; round++) {
    const row = new Map<string, number>();
    for (const name of round % 2 ? [...names].reverse() : names) {
      const fn = cases[name]!;
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < o.opsPerRound; k++) fn();
      row.set(name, Number(process.hrtime.bigint() - t0) / 1e9 / (o.opsPerRound * o.keysPerOp));
    }
    if (round < o.warmup) continue;
    for (const [name, t] of row) {
      seconds.get(name)!.push(t);
      ratios.get(name)!.push(t / row.get(ANCHOR)!);
    }
  }
  return names.map((name) => {
    const r = ratios.get(name)!;
    const result: InternResult = {
      group,
      name,
      medianSeconds: quantile(seconds.get(name)!, 0.5),
      rme: NaN,
      samples: o.rounds,
      ratio: quantile(r, 0.5),
      ratioLow: quantile(r, 0.25),
      ratioHigh: quantile(r, 0.75),
    };
    process.stderr.write(`  ${group} / ${name}: ${(result.medianSeconds * 1e9).toFixed(1)} ns per key, ${result.ratio.toFixed(2)}x the anchor\n`);
    return result;
  });
}

const COUNTS = only === 'hash' ? [] : quick ? [10_000] : [10_000, 1_000_000];
const internRows: string[][] = [];
const internResults: Record<string, InternResult[]> = {};

for (const count of COUNTS) {
  process.stderr.write(`interning, ${count} keys\n`);
  const prefix = 'file:///home/user/project/node_modules/';
  const suffixes = Array.from({ length: count }, (_, i) => `package-${i.toString(36)}/lib/index.js`);
  const keys = suffixes.map((s) => prefix + s).map((s) => s.split('').join('')); // flat strings
  const avgLength = keys.reduce((n, k) => n + k.length, 0) / count;

  // All key bytes in one linear-memory buffer, as a loaded source would hold them.
  const encoded = keys.map((k) => new TextEncoder().encode(k));
  const total = encoded.reduce((n, b) => n + b.length, 0);
  const buffer = core.alloc(total);
  const ranges = new Uint32Array(count * 2);
  let at = 0;
  encoded.forEach((b, i) => {
    buffer.write(b, at);
    ranges[2 * i] = at;
    ranges[2 * i + 1] = b.length;
    at += b.length;
  });

  const interner = core.createInterner({ expectedKeys: count });
  interner.internMany(buffer, ranges);
  const map = new Map<string, number>();
  keys.forEach((k, i) => map.set(k, i));

  // Visit keys in a shuffled order so neither side gets a cache-friendly walk.
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const base = buffer.ptr;
  const h = interner.handle;
  const ptrs = new Uint32Array(count);
  const lens = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    ptrs[i] = base + ranges[2 * order[i]!]!;
    lens[i] = ranges[2 * order[i]! + 1]!;
  }
  const orderedKeys = Array.from(order, (i) => keys[i]!);
  const orderedSuffixes = Array.from(order, (i) => suffixes[i]!);
  const shuffledRanges = new Uint32Array(count * 2);
  for (let i = 0; i < count; i++) {
    shuffledRanges[2 * i] = ranges[2 * order[i]!]!;
    shuffledRanges[2 * i + 1] = ranges[2 * order[i]! + 1]!;
  }

  // Each case looks up PER_OP consecutive keys of the shuffled order per
  // call of its function; a round calls every case OPS_PER_ROUND times (each
  // measurement covers 50,000 keys at 10k, 10,000 at 1M: ~10 ms of the
  // anchor), in alternating order. Each case walks its own sixth of the
  // order: cases that walked the same keys in one round would find them in
  // the cache when their turn comes after another's.
  const PER_OP = 250;
  const OPS_PER_ROUND = Math.max(40, Math.round(2_000_000 / count));
  const ROUNDS = quick ? 11 : 41;
  const WARMUP_ROUNDS = 2;
  const batches = Math.floor(count / PER_OP);
  const firstBatch = (k: number) => Math.floor((batches * k) / 6);
  const cursor = (k: number) => {
    let start = firstBatch(k) * PER_OP;
    return () => {
      const s = start;
      start += PER_OP;
      if (start + PER_OP > count) start = 0;
      return s;
    };
  };
  const batchRanges = Array.from({ length: batches }, (_, b) =>
    shuffledRanges.subarray(b * PER_OP * 2, (b + 1) * PER_OP * 2));
  let b = firstBatch(1);
  let acc = 0;
  const next = [cursor(0), cursor(2), cursor(3), cursor(4), cursor(5)] as const;
  const cases: Record<string, () => void> = {
    'canon, bytes in linear memory': () => {
      for (let i = next[0](), end = i + PER_OP; i < end; i++) acc += ex.internerIntern(h, ptrs[i]!, lens[i]!);
    },
    [`canon, bytes in linear memory, ${PER_OP} per call`]: () => {
      acc += interner.internMany(buffer, batchRanges[b]!)[0]!;
      if (++b === batchRanges.length) b = 0;
    },
    'canon, from a JS string': () => {
      for (let i = next[1](), end = i + PER_OP; i < end; i++) acc += interner.intern(orderedKeys[i]!);
    },
    'Map.get, same string object': () => {
      for (let i = next[2](), end = i + PER_OP; i < end; i++) acc += map.get(orderedKeys[i]!)!;
    },
    [ANCHOR]: () => {
      for (let i = next[3](), end = i + PER_OP; i < end; i++) acc += map.get(prefix + orderedSuffixes[i]!)!;
    },
    'building that string alone (its length)': () => {
      for (let i = next[4](), end = i + PER_OP; i < end; i++) acc += (prefix + orderedSuffixes[i]!).length;
    },
  };
  const results = runInterleaved(`intern ${count}`, cases, { rounds: ROUNDS, warmup: WARMUP_ROUNDS, opsPerRound: OPS_PER_ROUND, keysPerOp: PER_OP });
  internResults[String(count)] = results;
  for (const r of results) {
    internRows.push([count.toLocaleString('en'), r.name, (r.medianSeconds * 1e9).toFixed(1), r.ratio.toFixed(2) + 'x', `${r.ratioLow.toFixed(2)}-${r.ratioHigh.toFixed(2)}`]);
  }
  process.stderr.write(`  (average key length ${avgLength.toFixed(1)} bytes; checksum ${acc})\n`);
  interner.free();
  buffer.free();
}

printTable('Hashing (GB/s, ratio to xxhash-wasm h64Raw in the same run; higher is faster)', ['size', 'case', 'GB/s', 'vs h64Raw'], hashRows);
printTable('Interning (ns per key, median ratio to Map.get on a freshly built string in the same round, and its interquartile range; lower is faster)', ['keys', 'case', 'ns/key', 'vs fresh Map.get', 'IQR'], internRows);
const file = writeResults('core', {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model,
  hashing: hashResults,
  interning: internResults,
});
process.stdout.write(`\nwritten: ${file}\n`);
if (sink === 42n) process.stdout.write('');
