// XXH3-64 and XXH3-128 (seeded, default secret), bit-exact with the reference
// XXH3 of xxHash v0.8 (XXH3_64bits_withSeed / XXH3_128bits_withSeed). The
// interner and source identity hash with these; XXH64 lives in xxh64.ts.
//
// Inputs up to 240 bytes take the reference's constant-time short paths, with
// plain scalar loads at constant offsets. Longer inputs run the stripe loop,
// which is where the time goes, so it is written with Wasm SIMD: the eight
// 64-bit accumulators live in four v128 locals for the whole input, and each
// 64-byte stripe costs four data loads, four secret loads, four 32x4
// de-interleaving shuffles and four two-lane widening 32x32->64 multiplies
// (i64x2.extmul_*_i32x4_u) instead of eight scalar ones.
// Whole 1 KiB blocks (16 stripes) run in a tight loop with the scramble
// between blocks; unrolling that loop by 2 or 4 measured ~10% slower in V8
// (register pressure), so it is left rolled.
//
// The accumulators are kept with the two 64-bit lanes of each pair swapped
// ([acc1, acc0] rather than [acc0, acc1]): the reference adds each input lane
// to its neighbour's accumulator, and in swapped form that is a plain add of
// the loaded vector, while the products come out swapped for free from the
// shuffle that splits the keyed input into low and high halves (~10% faster
// than swapping the data vectors each stripe).
//
// Everything is raw linear memory: the secrets come from memory.data (the one
// derived for a non-zero seed is cached with its seed, so repeated calls with
// the same seed skip XXH3_initCustomSecret), and the high half of the 128-bit
// hash is returned through a global (xxh3_128_high()).

// @ts-ignore: decorator
@inline const P32_1: u64 = 0x9E3779B1;
// @ts-ignore: decorator
@inline const P32_2: u64 = 0x85EBCA77;
// @ts-ignore: decorator
@inline const P32_3: u64 = 0xC2B2AE3D;
// @ts-ignore: decorator
@inline const P64_1: u64 = 0x9E3779B185EBCA87;
// @ts-ignore: decorator
@inline const P64_2: u64 = 0xC2B2AE3D27D4EB4F;
// @ts-ignore: decorator
@inline const P64_3: u64 = 0x165667B19E3779F9;
// @ts-ignore: decorator
@inline const P64_4: u64 = 0x85EBCA77C2B2AE63;
// @ts-ignore: decorator
@inline const P64_5: u64 = 0x27D4EB2F165667C5;
// @ts-ignore: decorator
@inline const MX1: u64 = 0x165667919E3779F9;
// @ts-ignore: decorator
@inline const MX2: u64 = 0x9FB21C651E98DF25;

// @ts-ignore: decorator
@inline const SECRET_SIZE: usize = 192;
// @ts-ignore: decorator
@inline const STRIPE: usize = 64;
// @ts-ignore: decorator
@inline const BLOCK: usize = 1024; // STRIPE * (SECRET_SIZE - STRIPE) / 8

/** The default 192-byte secret (XXH3_kSecret). */
const kSecret: usize = memory.data<u8>([
  0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
  0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
  0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
  0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
  0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
  0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
  0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
  0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
  0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
  0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
  0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
  0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
], 16);

/** Secret derived from `customSeed` (XXH3_initCustomSecret), for long seeded inputs. */
const customSecret: usize = memory.data(<i32>SECRET_SIZE, 16);
/** Seed `customSecret` was derived for; 0 = none (seed 0 uses kSecret). */
let customSeed: u64 = 0;

/** The eight accumulators after hashLong(), in reference lane order. */
const accBuf: usize = memory.data(64, 16);

/** High 64 bits of the last xxh3_128 result. */
let high128: u64 = 0;

// ---------------------------------------------------------------------------
// Mixing primitives

/** High 64 bits of the 128-bit product a * b. */
// @ts-ignore: decorator
@inline
function mulHigh(a: u64, b: u64): u64 {
  const aLo = a & 0xFFFFFFFF;
  const aHi = a >> 32;
  const bLo = b & 0xFFFFFFFF;
  const bHi = b >> 32;
  const loLo = aLo * bLo;
  const hiLo = aHi * bLo;
  const cross = (loLo >> 32) + (hiLo & 0xFFFFFFFF) + aLo * bHi;
  return (hiLo >> 32) + (cross >> 32) + aHi * bHi;
}

/** XXH3_mul128_fold64: low ^ high of the 128-bit product. */
// @ts-ignore: decorator
@inline
function fold64(a: u64, b: u64): u64 {
  return (a * b) ^ mulHigh(a, b);
}

/** XXH64's final avalanche. */
// @ts-ignore: decorator
@inline
function avalanche64(h: u64): u64 {
  h ^= h >> 33;
  h *= P64_2;
  h ^= h >> 29;
  h *= P64_3;
  return h ^ (h >> 32);
}

/** XXH3_avalanche. */
// @ts-ignore: decorator
@inline
function avalanche(h: u64): u64 {
  h ^= h >> 37;
  h *= MX1;
  return h ^ (h >> 32);
}

/** XXH3_rrmxmx. */
// @ts-ignore: decorator
@inline
function rrmxmx(h: u64, len: u64): u64 {
  h ^= rotl<u64>(h, 49) ^ rotl<u64>(h, 24);
  h *= MX2;
  h ^= (h >> 35) + len;
  h *= MX2;
  return h ^ (h >> 28);
}

/** XXH3_mix16B over 16 input bytes at `p` and 16 secret bytes at `s`. */
// @ts-ignore: decorator
@inline
function mix16(p: usize, s: usize, seed: u64): u64 {
  return fold64(
    load<u64>(p) ^ (load<u64>(s) + seed),
    load<u64>(p, 8) ^ (load<u64>(s, 8) - seed),
  );
}

/**
 * One half of XXH128_mix32B: the low half is mix32(lo, in1, in2, s), the high
 * half is mix32(hi, in2, in1, s + 16).
 */
// @ts-ignore: decorator
@inline
function mix32(acc: u64, a: usize, b: usize, s: usize, seed: u64): u64 {
  return (acc + mix16(a, s, seed)) ^ (load<u64>(b) + load<u64>(b, 8));
}

// ---------------------------------------------------------------------------
// Long inputs (> 240 bytes)

/** 64-bit lanes of `v` swapped. */
// @ts-ignore: decorator
@inline
function swap64(v: v128): v128 {
  return i32x4.shuffle(v, v, 2, 3, 0, 1);
}

/** Derives the secret for `seed` (non-zero) into customSecret, if not cached. */
function deriveSecret(seed: u64): void {
  if (seed == customSeed) return;
  const add = i64x2(<i64>seed, <i64>(0 - seed));
  for (let i: usize = 0; i < SECRET_SIZE; i += 16) {
    v128.store(customSecret + i, i64x2.add(v128.load(kSecret + i), add));
  }
  customSeed = seed;
}

/**
 * The stripe loop of XXH3_hashLong_internal_loop over `len` (> 240) bytes at
 * `p` with the 192-byte secret at `secret`; leaves the accumulators in accBuf.
 */
function hashLong(p: usize, len: usize, secret: usize): void {
  // XXH3_INIT_ACC, each pair swapped (see the header).
  let a0 = i64x2(<i64>P64_1, <i64>P32_3);
  let a1 = i64x2(<i64>P64_3, <i64>P64_2);
  let a2 = i64x2(<i64>P32_2, <i64>P64_4);
  let a3 = i64x2(<i64>P32_1, <i64>P64_5);
  let d0: v128, d1: v128, d2: v128, d3: v128;
  let k0: v128, k1: v128, k2: v128, k3: v128;
  let lo: v128, hi: v128;

  let q = p;
  const blocks = (len - 1) / BLOCK;
  if (blocks) {
    // Scramble keys (last 64 bytes of the secret), swapped like the accumulators.
    const s0 = swap64(v128.load(secret, 128));
    const s1 = swap64(v128.load(secret, 144));
    const s2 = swap64(v128.load(secret, 160));
    const s3 = swap64(v128.load(secret, 176));
    const prime = i64x2.splat(<i64>P32_1);
    const blocksEnd = p + blocks * BLOCK;
    do {
      // 16 stripes; stripe n of a block uses the secret at 8 * n.
      let s = secret;
      const sEnd = secret + 128;
      do {
        d0 = v128.load(q); d1 = v128.load(q, 16); d2 = v128.load(q, 32); d3 = v128.load(q, 48);
        k0 = v128.xor(d0, v128.load(s)); k1 = v128.xor(d1, v128.load(s, 16));
        k2 = v128.xor(d2, v128.load(s, 32)); k3 = v128.xor(d3, v128.load(s, 48));
        lo = i32x4.shuffle(k0, k1, 2, 0, 6, 4); hi = i32x4.shuffle(k0, k1, 3, 1, 7, 5);
        a0 = i64x2.add(a0, i64x2.add(d0, i64x2.extmul_low_i32x4_u(lo, hi)));
        a1 = i64x2.add(a1, i64x2.add(d1, i64x2.extmul_high_i32x4_u(lo, hi)));
        lo = i32x4.shuffle(k2, k3, 2, 0, 6, 4); hi = i32x4.shuffle(k2, k3, 3, 1, 7, 5);
        a2 = i64x2.add(a2, i64x2.add(d2, i64x2.extmul_low_i32x4_u(lo, hi)));
        a3 = i64x2.add(a3, i64x2.add(d3, i64x2.extmul_high_i32x4_u(lo, hi)));
        q += STRIPE;
        s += 8;
      } while (s < sEnd);
      // XXH3_scrambleAcc: acc = (acc ^ (acc >> 47) ^ key) * PRIME32_1.
      a0 = i64x2.mul(v128.xor(v128.xor(a0, i64x2.shr_u(a0, 47)), s0), prime);
      a1 = i64x2.mul(v128.xor(v128.xor(a1, i64x2.shr_u(a1, 47)), s1), prime);
      a2 = i64x2.mul(v128.xor(v128.xor(a2, i64x2.shr_u(a2, 47)), s2), prime);
      a3 = i64x2.mul(v128.xor(v128.xor(a3, i64x2.shr_u(a3, 47)), s3), prime);
    } while (q < blocksEnd);
  }

  // The remaining whole stripes of the last (partial) block, then the last
  // stripe: the final 64 input bytes (overlapping), with the secret at 121.
  let stripes = ((len - 1) % BLOCK) / STRIPE;
  let s = secret;
  while (true) {
    if (stripes == 0) {
      q = p + len - STRIPE;
      s = secret + SECRET_SIZE - STRIPE - 7;
    }
    d0 = v128.load(q); d1 = v128.load(q, 16); d2 = v128.load(q, 32); d3 = v128.load(q, 48);
    k0 = v128.xor(d0, v128.load(s)); k1 = v128.xor(d1, v128.load(s, 16));
    k2 = v128.xor(d2, v128.load(s, 32)); k3 = v128.xor(d3, v128.load(s, 48));
    lo = i32x4.shuffle(k0, k1, 2, 0, 6, 4); hi = i32x4.shuffle(k0, k1, 3, 1, 7, 5);
    a0 = i64x2.add(a0, i64x2.add(d0, i64x2.extmul_low_i32x4_u(lo, hi)));
    a1 = i64x2.add(a1, i64x2.add(d1, i64x2.extmul_high_i32x4_u(lo, hi)));
    lo = i32x4.shuffle(k2, k3, 2, 0, 6, 4); hi = i32x4.shuffle(k2, k3, 3, 1, 7, 5);
    a2 = i64x2.add(a2, i64x2.add(d2, i64x2.extmul_low_i32x4_u(lo, hi)));
    a3 = i64x2.add(a3, i64x2.add(d3, i64x2.extmul_high_i32x4_u(lo, hi)));
    if (stripes == 0) break;
    stripes--;
    q += STRIPE;
    s += 8;
  }

  v128.store(accBuf, swap64(a0));
  v128.store(accBuf, swap64(a1), 16);
  v128.store(accBuf, swap64(a2), 32);
  v128.store(accBuf, swap64(a3), 48);
}

/** XXH3_mergeAccs over accBuf with the 64 secret bytes at `s`. */
// @ts-ignore: decorator
@inline
function mergeAccs(s: usize, start: u64): u64 {
  let r = start;
  r += fold64(load<u64>(accBuf) ^ load<u64>(s), load<u64>(accBuf, 8) ^ load<u64>(s, 8));
  r += fold64(load<u64>(accBuf, 16) ^ load<u64>(s, 16), load<u64>(accBuf, 24) ^ load<u64>(s, 24));
  r += fold64(load<u64>(accBuf, 32) ^ load<u64>(s, 32), load<u64>(accBuf, 40) ^ load<u64>(s, 40));
  r += fold64(load<u64>(accBuf, 48) ^ load<u64>(s, 48), load<u64>(accBuf, 56) ^ load<u64>(s, 56));
  return avalanche(r);
}

/** Runs the stripe loop with the secret for `seed`; returns that secret. */
// @ts-ignore: decorator
@inline
function longAccs(ptr: usize, len: usize, seed: u64): usize {
  let secret = kSecret;
  if (seed != 0) {
    deriveSecret(seed);
    secret = customSecret;
  }
  hashLong(ptr, len, secret);
  return secret;
}

// ---------------------------------------------------------------------------
// XXH3-64

function len17to128_64(p: usize, len: usize, seed: u64): u64 {
  const S = kSecret;
  let acc = <u64>len * P64_1;
  const e = p + len;
  if (len > 32) {
    if (len > 64) {
      if (len > 96) {
        acc += mix16(p + 48, S + 96, seed);
        acc += mix16(e - 64, S + 112, seed);
      }
      acc += mix16(p + 32, S + 64, seed);
      acc += mix16(e - 48, S + 80, seed);
    }
    acc += mix16(p + 16, S + 32, seed);
    acc += mix16(e - 32, S + 48, seed);
  }
  acc += mix16(p, S, seed);
  acc += mix16(e - 16, S + 16, seed);
  return avalanche(acc);
}

function len129to240_64(p: usize, len: usize, seed: u64): u64 {
  const S = kSecret;
  let acc = <u64>len * P64_1;
  for (let i: usize = 0; i < 128; i += 16) {
    acc += mix16(p + i, S + i, seed);
  }
  acc = avalanche(acc);
  let accEnd = mix16(p + len - 16, S + 136 - 17, seed);
  const rounds = (len / 16) * 16;
  for (let i: usize = 128; i < rounds; i += 16) {
    accEnd += mix16(p + i, S + i - 128 + 3, seed);
  }
  return avalanche(acc + accEnd);
}

/** XXH3-64 of `len` bytes at `ptr` with a 64-bit seed (XXH3_64bits_withSeed). */
export function xxh3_64(ptr: usize, len: usize, seed: u64): u64 {
  const S = kSecret;
  if (len <= 16) {
    if (len > 8) {
      const lo = load<u64>(ptr) ^ ((load<u64>(S, 24) ^ load<u64>(S, 32)) + seed);
      const hi = load<u64>(ptr + len - 8) ^ ((load<u64>(S, 40) ^ load<u64>(S, 48)) - seed);
      return avalanche(<u64>len + bswap<u64>(lo) + hi + fold64(lo, hi));
    }
    if (len >= 4) {
      const s = seed ^ (<u64>bswap<u32>(<u32>seed) << 32);
      const input = <u64>load<u32>(ptr + len - 4) + (<u64>load<u32>(ptr) << 32);
      return rrmxmx(input ^ ((load<u64>(S, 8) ^ load<u64>(S, 16)) - s), <u64>len);
    }
    if (len > 0) {
      const combined =
        (<u32>load<u8>(ptr) << 16) | (<u32>load<u8>(ptr + (len >> 1)) << 24) |
        <u32>load<u8>(ptr + len - 1) | (<u32>len << 8);
      return avalanche64(<u64>combined ^ (<u64>(load<u32>(S) ^ load<u32>(S, 4)) + seed));
    }
    return avalanche64(seed ^ load<u64>(S, 56) ^ load<u64>(S, 64));
  }
  if (len <= 128) return len17to128_64(ptr, len, seed);
  if (len <= 240) return len129to240_64(ptr, len, seed);
  const secret = longAccs(ptr, len, seed);
  return mergeAccs(secret + 11, <u64>len * P64_1);
}

// ---------------------------------------------------------------------------
// XXH3-128

/** Final step of the 17..240-byte 128-bit paths; sets high128, returns low. */
// @ts-ignore: decorator
@inline
function finishMid128(lo: u64, hi: u64, len: usize, seed: u64): u64 {
  high128 = 0 - avalanche(lo * P64_1 + hi * P64_4 + (<u64>len - seed) * P64_2);
  return avalanche(lo + hi);
}

function len0to16_128(p: usize, len: usize, seed: u64): u64 {
  const S = kSecret;
  if (len > 8) {
    const x = load<u64>(p) ^ load<u64>(p + len - 8) ^ ((load<u64>(S, 32) ^ load<u64>(S, 40)) - seed);
    let mLo = x * P64_1 + (<u64>(len - 1) << 54);
    let mHi = mulHigh(x, P64_1);
    const inHi = load<u64>(p + len - 8) ^ ((load<u64>(S, 48) ^ load<u64>(S, 56)) + seed);
    mHi += inHi + (inHi & 0xFFFFFFFF) * (P32_2 - 1);
    mLo ^= bswap<u64>(mHi);
    high128 = avalanche(mulHigh(mLo, P64_2) + mHi * P64_2);
    return avalanche(mLo * P64_2);
  }
  if (len >= 4) {
    const s = seed ^ (<u64>bswap<u32>(<u32>seed) << 32);
    const input = <u64>load<u32>(p) + (<u64>load<u32>(p + len - 4) << 32);
    const keyed = input ^ ((load<u64>(S, 16) ^ load<u64>(S, 24)) + s);
    const m = P64_1 + (<u64>len << 2);
    let mLo = keyed * m;
    const mHi = mulHigh(keyed, m) + (mLo << 1);
    mLo ^= mHi >> 3;
    mLo ^= mLo >> 35;
    mLo *= MX2;
    high128 = avalanche(mHi);
    return mLo ^ (mLo >> 28);
  }
  if (len > 0) {
    const combined =
      (<u32>load<u8>(p) << 16) | (<u32>load<u8>(p + (len >> 1)) << 24) |
      <u32>load<u8>(p + len - 1) | (<u32>len << 8);
    const combinedHi = rotl<u32>(bswap<u32>(combined), 13);
    high128 = avalanche64(<u64>combinedHi ^ (<u64>(load<u32>(S, 8) ^ load<u32>(S, 12)) - seed));
    return avalanche64(<u64>combined ^ (<u64>(load<u32>(S) ^ load<u32>(S, 4)) + seed));
  }
  high128 = avalanche64(seed ^ load<u64>(S, 80) ^ load<u64>(S, 88));
  return avalanche64(seed ^ load<u64>(S, 64) ^ load<u64>(S, 72));
}

function len17to128_128(p: usize, len: usize, seed: u64): u64 {
  const S = kSecret;
  let lo = <u64>len * P64_1;
  let hi: u64 = 0;
  // Pairs (16 * i from the front, 16 * (i + 1) from the back), i from (len - 1) / 32 down to 0.
  let i = (len - 1) >> 5;
  while (true) {
    const a = p + (i << 4);
    const b = p + len - ((i + 1) << 4);
    const s = S + (i << 5);
    lo = mix32(lo, a, b, s, seed);
    hi = mix32(hi, b, a, s + 16, seed);
    if (i == 0) break;
    i--;
  }
  return finishMid128(lo, hi, len, seed);
}

function len129to240_128(p: usize, len: usize, seed: u64): u64 {
  const S = kSecret;
  let lo = <u64>len * P64_1;
  let hi: u64 = 0;
  for (let i: usize = 0; i < 128; i += 32) {
    lo = mix32(lo, p + i, p + i + 16, S + i, seed);
    hi = mix32(hi, p + i + 16, p + i, S + i + 16, seed);
  }
  lo = avalanche(lo);
  hi = avalanche(hi);
  for (let i: usize = 160; i <= len; i += 32) {
    const a = p + i - 32;
    const s = S + 3 + i - 160;
    lo = mix32(lo, a, a + 16, s, seed);
    hi = mix32(hi, a + 16, a, s + 16, seed);
  }
  // Last 32 bytes, reversed, with the secret at 136 - 17 - 16 and the seed negated.
  const a = p + len - 16;
  const b = p + len - 32;
  const s = S + 136 - 17 - 16;
  lo = mix32(lo, a, b, s, 0 - seed);
  hi = mix32(hi, b, a, s + 16, 0 - seed);
  return finishMid128(lo, hi, len, seed);
}

/**
 * XXH3-128 (XXH3_128bits_withSeed); returns the low 64 bits, the high 64 bits
 * are then read with xxh3_128_high().
 */
export function xxh3_128(ptr: usize, len: usize, seed: u64): u64 {
  if (len <= 16) return len0to16_128(ptr, len, seed);
  if (len <= 128) return len17to128_128(ptr, len, seed);
  if (len <= 240) return len129to240_128(ptr, len, seed);
  const secret = longAccs(ptr, len, seed);
  high128 = mergeAccs(secret + SECRET_SIZE - 64 - 11, ~(<u64>len * P64_2));
  return mergeAccs(secret + 11, <u64>len * P64_1);
}

/** High 64 bits of the last xxh3_128() result. */
export function xxh3_128_high(): u64 {
  return high128;
}
