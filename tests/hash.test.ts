// Hashing: XXH64 and XXH3-128 are bit-exact with independent
// implementations (xxhash-wasm for XXH64, hash-wasm for XXH3-128), for every
// length class and for several seeds; the 128-bit hash is stable and
// sensitive to every byte.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import xxhashWasm from 'xxhash-wasm';
import { createXXHash128, createXXHash3 } from 'hash-wasm';
import { createCore } from '../ts-host/core/index.js';

const core = createCore({ seed: 0 });
const { h64Raw } = await xxhashWasm();
const SEEDS = [0n, 1n, 0x9e3779b97f4a7c15n, 0xffff_ffff_ffff_ffffn];

async function referenceXxh128(bytes: Uint8Array, seed: bigint): Promise<bigint> {
  const hasher = await createXXHash128(Number(seed & 0xffff_ffffn), Number(seed >> 32n));
  return BigInt('0x' + hasher.init().update(bytes).digest('hex'));
}

async function referenceXxh3(bytes: Uint8Array, seed: bigint): Promise<bigint> {
  const hasher = await createXXHash3(Number(seed & 0xffff_ffffn), Number(seed >> 32n));
  return BigInt('0x' + hasher.init().update(bytes).digest('hex'));
}

/** Lengths that cover every code path: each short class, block edges, long tails. */
const LENGTHS = [
  ...Array.from({ length: 260 }, (_, i) => i),
  511, 512, 513, 1023, 1024, 1025, 1087, 1088, 1089, 2048, 4095, 4096, 4097, 16385, 16448, 65536, 1 << 20,
];

test('XXH64 known vectors', () => {
  // Published values of the reference implementation.
  assert.equal(core.hash64(new Uint8Array(0), 0n), 0xef46db3751d8e999n);
  assert.equal(core.hash64('abc', 0n), 0x44bc2cf5ad770999n);
});

test('XXH64 equals xxhash-wasm h64Raw for every length class and seed', () => {
  const data = randomBytes(1 << 20);
  for (const seed of SEEDS) {
    for (const len of LENGTHS) {
      const bytes = data.subarray(0, len);
      assert.equal(core.hash64(bytes, seed), h64Raw(bytes, seed), `len ${len} seed ${seed}`);
    }
  }
});

test('XXH3-128 known vector (empty input, seed 0)', () => {
  assert.equal(core.hash128(new Uint8Array(0), 0n), (0x99aa06d3014798d8n << 64n) | 0x6001c324468d497fn);
});

test('XXH3-128 equals hash-wasm xxhash128 for every length class and seed', async () => {
  const data = randomBytes(1 << 20);
  for (const seed of SEEDS) {
    for (const len of LENGTHS) {
      const bytes = data.subarray(0, len);
      assert.equal(core.hash128(bytes, seed), await referenceXxh128(bytes, seed), `len ${len} seed ${seed}`);
    }
  }
});

test('XXH3-64 (the interner hash) equals hash-wasm xxhash3', async () => {
  const data = randomBytes(8192);
  const ex = core.raw;
  for (const seed of SEEDS) {
    for (const len of LENGTHS.filter((n) => n <= 8192)) {
      const bytes = data.subarray(0, len);
      const buffer = core.copyIn(bytes);
      const ours = BigInt.asUintN(64, ex.xxh3_64(buffer.ptr, len, seed));
      buffer.free();
      assert.equal(ours, await referenceXxh3(bytes, seed), `len ${len} seed ${seed}`);
    }
  }
});

test('hashing bytes in linear memory equals hashing a copy, at any offset', () => {
  const data = randomBytes(70_000);
  const buffer = core.copyIn(data);
  for (const [offset, len] of [[0, 70_000], [1, 4096], [7, 241], [3, 17], [69_999, 1], [5, 0]] as const) {
    const slice = data.subarray(offset, offset + len);
    assert.equal(core.hash128At(buffer, offset, len), core.hash128(slice));
    assert.equal(core.hash64At(buffer, offset, len), core.hash64(slice));
  }
  buffer.free();
});

test('a file read into linear memory hashes like its bytes', async () => {
  const { readFileSync } = await import('node:fs');
  const path = new URL('../../package.json', import.meta.url);
  const buffer = core.readFile(path);
  assert.equal(core.hash128At(buffer), core.hash128(readFileSync(path)));
  buffer.free();
});

test('XXH3-128 is stable and changes when any byte changes (property)', () => {
  // The inputs reach every length class of XXH3 (0-16, 17-128, 129-240, the long loop above 240, past a 1 KB stripe block).
  const sizes = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 3000, size: 'max' }), { numRuns: 300, seed: 7 }).map((b) => b.length);
  const classes = [sizes.filter((n) => n <= 16).length, sizes.filter((n) => n > 16 && n <= 128).length, sizes.filter((n) => n > 128 && n <= 240).length, sizes.filter((n) => n > 240).length, sizes.filter((n) => n > 1024).length];
  console.log(`hash property input sizes (<=16, 17-128, 129-240, >240, >1024): ${classes.join(', ')} of 300`);
  assert.ok(classes.every((n) => n >= 3), `every class is met: ${classes.join(', ')}`);
  fc.assert(
    fc.property(
      // size 'max': inputs up to 3000 bytes, through every XXH3 length class (the default size stops near 10 bytes).
      fc.uint8Array({ minLength: 1, maxLength: 3000, size: 'max' }),
      fc.nat(),
      fc.integer({ min: 1, max: 255 }),
      fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn }),
      (bytes, at, delta, seed) => {
        const h = core.hash128(bytes, seed);
        assert.equal(core.hash128(Uint8Array.from(bytes), seed), h);
        const changed = Uint8Array.from(bytes);
        const i = at % changed.length;
        changed[i] = (changed[i]! + delta) & 0xff;
        assert.notEqual(core.hash128(changed, seed), h);
      },
    ),
    { numRuns: 300 },
  );
});

test('strings hash as their UTF-8 bytes', () => {
  for (const text of ['', 'ascii', 'é', '日本語', '\u{1F600} emoji', 'x'.repeat(1000) + 'ü']) {
    const bytes = new TextEncoder().encode(text);
    assert.equal(core.hash128(text), core.hash128(bytes));
    assert.equal(core.hash64(text), core.hash64(bytes));
  }
});

test('the default seed is random per process, and seeds change the hash', () => {
  const a = createCore();
  const b = createCore();
  assert.equal(a.seed, b.seed, 'one seed per process');
  assert.notEqual(a.seed, 0n);
  assert.notEqual(core.hash128('x', 1n), core.hash128('x', 2n));
  assert.notEqual(core.hash64('x', 1n), core.hash64('x', 2n));
});

test('bad input is a TypeError or RangeError naming the call', () => {
  assert.throws(() => core.hash128(42 as unknown as string), { name: 'TypeError', message: /Core\.hash128.*number/ });
  assert.throws(() => core.hash64('x', -1n), { name: 'RangeError', message: /seed/ });
  const buffer = core.alloc(8);
  assert.throws(() => core.hash128At(buffer, 4, 8), { name: 'RangeError', message: /Core\.hash128At/ });
  buffer.free();
  assert.throws(() => buffer.ptr, (e: unknown) => e instanceof TypeError && (e as { code?: string }).code === 'ERR_CANON_FREED_HANDLE');
});
