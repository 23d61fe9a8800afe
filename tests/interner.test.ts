// The interner against a JS Map model over random operation sequences, with
// the normal hash and with a collision mask that sends every key to a few
// buckets (so every lookup goes through exact byte comparison).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { createCore, type Interner } from '../ts-host/core/index.js';

type Op =
  | { op: 'intern'; key: string; asBytes: boolean }
  | { op: 'lookup'; key: string }
  | { op: 'delete'; key: string }
  | { op: 'deleteId'; pick: number };

// A small alphabet (with multi-byte UTF-8) so keys repeat and prefixes collide.
const key = fc.string({ unit: fc.constantFrom('a', 'b', '/', 'é', '\u{1F600}', '.'), maxLength: 8 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('intern' as const), key, asBytes: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('lookup' as const), key }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteId' as const), pick: fc.nat() }) },
);

/**
 * Operation sequences of up to 400 steps, generated at that size: fast-check's
 * default size would cap them near 10 steps, where two distinct keys of one
 * length (what a 2-bit collision mask needs to collide) are rare.
 */
const ops = fc.array(op, { minLength: 1, maxLength: 400, size: 'max' });

const encoder = new TextEncoder();

function replay(interner: Interner, ops: Op[]): void {
  const model = new Map<string, number>();
  for (const step of ops) {
    switch (step.op) {
      case 'intern': {
        const id = interner.intern(step.asBytes ? encoder.encode(step.key) : step.key);
        const known = model.get(step.key);
        if (known !== undefined) {
          assert.equal(id, known, `re-interning ${JSON.stringify(step.key)} keeps its id`);
        } else {
          assert.ok(![...model.values()].includes(id), `new key ${JSON.stringify(step.key)} got a live id ${id}`);
          model.set(step.key, id);
        }
        break;
      }
      case 'lookup':
        assert.equal(interner.lookup(step.key), model.get(step.key) ?? -1);
        break;
      case 'delete':
        assert.equal(interner.delete(step.key), model.get(step.key) ?? -1);
        model.delete(step.key);
        break;
      case 'deleteId': {
        const live = [...model.entries()];
        if (live.length === 0) {
          assert.equal(interner.deleteId(step.pick % 64), false);
          break;
        }
        const [k, id] = live[step.pick % live.length]!;
        assert.equal(interner.deleteId(id), true);
        assert.equal(interner.deleteId(id), false, 'a deleted id is gone');
        model.delete(k);
        break;
      }
    }
    assert.equal(interner.size, model.size);
  }
  for (const [k, id] of model) {
    assert.equal(interner.lookup(k), id);
    assert.equal(interner.string(id), k);
    assert.deepEqual(interner.bytes(id), encoder.encode(k));
  }
  assert.deepEqual([...interner.ids()].sort((a, b) => a - b), [...model.values()].sort((a, b) => a - b));
}

for (const [label, collisionMask] of [['normal hash', undefined], ['forced collisions (2-bit hash)', 0x3n]] as const) {
  test(`interner matches a Map model: ${label}`, () => {
    const core = createCore({ seed: 7, ...(collisionMask === undefined ? {} : { collisionMask }) });
    fc.assert(
      fc.property(ops, (sequence) => {
        const interner = core.createInterner();
        try {
          replay(interner, sequence);
        } finally {
          interner.free();
        }
      }),
      { numRuns: 150 },
    );
  });
}

test('the model property generates what it claims: long sequences, and pairs of distinct keys that can collide, single bytes included', () => {
  const samples = fc.sample(ops, { numRuns: 150, seed: 20_261_129 });
  let long = 0;
  let withPairs = 0;
  let withByteKeyPairs = 0;
  let pairs = 0;
  for (const sequence of samples) {
    if (sequence.length >= 100) long++;
    // Distinct interned keys of equal byte length: under the 2-bit mask one pair in four shares a tag.
    const byLength = new Map<number, Set<string>>();
    for (const step of sequence) {
      if (step.op !== 'intern') continue;
      const length = encoder.encode(step.key).length;
      (byLength.get(length) ?? byLength.set(length, new Set()).get(length)!).add(step.key);
    }
    let here = 0;
    for (const keys of byLength.values()) here += (keys.size * (keys.size - 1)) / 2;
    pairs += here;
    if (here >= 8) withPairs++;
    if ((byLength.get(1)?.size ?? 0) >= 2) withByteKeyPairs++;
  }
  console.log(`interner property sizes: ${long}/150 runs of >= 100 ops, ${withPairs}/150 with >= 8 same-length key pairs (${(pairs / 150).toFixed(0)} on average), ${withByteKeyPairs}/150 with two distinct 1-byte keys`);
  assert.ok(long >= 90, `${long} of 150 runs have 100 ops or more`);
  assert.ok(withPairs >= 100, `${withPairs} of 150 runs have 8 or more same-length key pairs`);
  assert.ok(withByteKeyPairs >= 90, `${withByteKeyPairs} of 150 runs intern two distinct 1-byte keys ("/" and "." share a tag under the mask one time in four)`);
});

test('every hash collides: keys one bit apart, at every position of every length up to 80 bytes, stay distinct', () => {
  // collisionMask 0: every key has the same tag and home slot, so only the
  // byte comparison tells keys of one length apart (its 16-byte blocks, the
  // overlapping last block and the short-key words are all exercised).
  const core = createCore({ seed: 9, collisionMask: 0n });
  const interner = core.createInterner();
  const keys: Uint8Array[] = [];
  for (let len = 0; len <= 80; len++) {
    const base = randomBytes(len);
    keys.push(base);
    for (let at = 0; at < len; at++) {
      const flipped = Uint8Array.from(base);
      flipped[at]! ^= 1 << (at % 8);
      keys.push(flipped);
    }
  }
  const ids = keys.map((k) => interner.intern(k));
  assert.deepEqual(ids, keys.map((_, i) => i), 'each key is new');
  keys.forEach((k, i) => {
    assert.equal(interner.lookup(k), i);
    assert.deepEqual(interner.bytes(i), new Uint8Array(k));
  });
  // Bytes already in linear memory at every alignment, compared against the arena.
  const buffer = core.alloc(96);
  for (let i = 0; i < keys.length; i += 7) {
    const k = keys[i]!;
    const offset = i % (96 - k.length + 1);
    buffer.write(k, offset);
    assert.equal(interner.internAt(buffer, offset, k.length), i);
  }
  buffer.free();
  assert.equal(interner.size, keys.length);
});

for (const [label, collisionMask] of [['normal hash', undefined], ['forced collisions (2-bit hash)', 0x3n]] as const) {
  test(`internMany matches a Map model, across its groups of keys and growth mid-batch: ${label}`, () => {
    const core = createCore({ seed: 13, ...(collisionMask === undefined ? {} : { collisionMask }) });
    // Keys of 0-80 bytes with a shared prefix (so only late bytes differ), repeated within and across batches.
    const batchKey = fc.tuple(fc.nat(120), fc.nat(80)).map(([n, len]) => `file:///app/node_modules/pkg-${n}/`.padEnd(len, '#').slice(0, len));
    fc.assert(
      fc.property(fc.array(fc.array(batchKey, { maxLength: 100, size: 'max' }), { minLength: 1, maxLength: 8, size: 'max' }), (batches) => {
        const interner = core.createInterner();
        try {
          const model = new Map<string, number>();
          for (const batch of batches) {
            const bytes = batch.map((k) => encoder.encode(k));
            const buffer = core.alloc(Math.max(1, bytes.reduce((n, b) => n + b.length, 0)));
            const ranges = new Uint32Array(batch.length * 2);
            let at = 0;
            bytes.forEach((b, i) => {
              buffer.write(b, at);
              ranges[2 * i] = at;
              ranges[2 * i + 1] = b.length;
              at += b.length;
            });
            const ids = interner.internMany(buffer, ranges);
            buffer.free();
            batch.forEach((k, i) => {
              const known = model.get(k);
              if (known === undefined) model.set(k, ids[i]!);
              else assert.equal(ids[i], known, `${JSON.stringify(k)} keeps its id`);
            });
            assert.equal(new Set(model.values()).size, model.size, 'distinct keys have distinct ids');
            assert.equal(interner.size, model.size);
          }
          for (const [k, id] of model) {
            assert.equal(interner.lookup(k), id);
            assert.equal(interner.string(id), k);
          }
        } finally {
          interner.free();
        }
      }),
      { numRuns: 100 },
    );
  });
}

test('growth: 50,000 keys, then every lookup, then deletes and reuse of ids', () => {
  const core = createCore({ seed: 11 });
  const interner = core.createInterner();
  const initialCapacity = interner.capacity;
  const keys = Array.from({ length: 50_000 }, (_, i) => `file:///project/node_modules/pkg-${i}/lib/index.js`);
  const ids = keys.map((k) => interner.intern(k));
  assert.deepEqual(ids, keys.map((_, i) => i), 'ids are dense from 0');
  assert.ok(interner.capacity > initialCapacity && interner.capacity >= keys.length * 1.6);
  keys.forEach((k, i) => assert.equal(interner.lookup(k), i));
  // Delete every other key; their bytes are reclaimed when the arena next grows.
  for (let i = 0; i < keys.length; i += 2) assert.equal(interner.delete(keys[i]!), i);
  assert.equal(interner.size, 25_000);
  const fresh = Array.from({ length: 30_000 }, (_, i) => `file:///other/${i}.mjs`);
  const freshIds = fresh.map((k) => interner.intern(k));
  assert.ok(freshIds.slice(0, 25_000).every((id) => id % 2 === 0 && id < 50_000), 'freed ids are reused first');
  for (let i = 1; i < keys.length; i += 2) assert.equal(interner.string(i), keys[i]);
  fresh.forEach((k, i) => assert.equal(interner.string(freshIds[i]!), k));
  assert.equal(interner.size, 55_000);
});

test('keys of 1-130 bytes through deletes and arena compactions keep their bytes and ids', () => {
  // Keys of up to 64 bytes are compared in the cell beside their slot, which
  // moves with the slot (growth, backward-shift deletion); longer ones in the
  // arena, which the compaction after deletions rewrites.
  const core = createCore({ seed: 17 });
  const interner = core.createInterner();
  const model = new Map<string, number>();
  let state = 1;
  const rand = (n: number) => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (let step = 0; step < 20_000; step++) {
    const len = 1 + rand(130);
    const k = `${rand(3000)}:`.padEnd(len, 'x').slice(0, len);
    if (rand(3) === 0) {
      assert.equal(interner.delete(k), model.get(k) ?? -1);
      model.delete(k);
    } else {
      const id = interner.intern(k);
      if (model.has(k)) assert.equal(id, model.get(k));
      model.set(k, id);
    }
  }
  assert.equal(interner.size, model.size);
  for (const [k, id] of model) {
    assert.equal(interner.lookup(k), id);
    assert.equal(interner.string(id), k);
  }
});

test('empty key and a 1 MiB key', () => {
  const core = createCore({ seed: 3 });
  const interner = core.createInterner();
  const empty = interner.intern('');
  assert.equal(interner.intern(new Uint8Array(0)), empty);
  assert.deepEqual(interner.bytes(empty), new Uint8Array(0));
  const big = randomBytes(1 << 20);
  const bigId = interner.intern(big);
  const almost = Uint8Array.from(big);
  almost[almost.length - 1] ^= 1;
  const almostId = interner.intern(almost);
  assert.notEqual(almostId, bigId);
  assert.equal(interner.lookup(big), bigId);
  assert.deepEqual(interner.bytes(bigId), new Uint8Array(big));
  assert.deepEqual(interner.bytes(almostId), almost);
  assert.equal(interner.size, 3);
});

test('interning bytes already in linear memory, one by one and in one call', () => {
  const core = createCore({ seed: 5 });
  const interner = core.createInterner();
  const text = 'import a from "./a.js"; import b from "./b.js"; import a2 from "./a.js";';
  const source = core.copyIn(text);
  const ranges: number[] = [];
  for (const m of text.matchAll(/"([^"]*)"/g)) ranges.push(m.index! + 1, m[1]!.length);
  const ids = interner.internMany(source, Uint32Array.from(ranges));
  assert.deepEqual([...ids], [0, 1, 0]);
  assert.equal(interner.internAt(source, ranges[2]!, ranges[3]!), 1);
  assert.equal(interner.lookupAt(source, ranges[4]!, ranges[5]!), 0);
  assert.equal(interner.string(1), './b.js');
  assert.throws(() => interner.internAt(source, text.length, 1), { name: 'RangeError', message: /Interner\.internAt/ });
  assert.throws(() => interner.internMany(source, Uint32Array.of(1)), { name: 'RangeError' });
  source.free();
});

test('interners are independent, and a freed one refuses use', () => {
  const core = createCore({ seed: 5 });
  const a = core.createInterner();
  const b = core.createInterner();
  a.intern('x');
  assert.equal(b.lookup('x'), -1);
  assert.equal(b.intern('y'), 0);
  a.free();
  a.free();
  assert.throws(() => a.intern('x'), (e: unknown) => e instanceof TypeError && (e as { code?: string }).code === 'ERR_CANON_FREED_HANDLE');
  assert.equal(b.lookup('y'), 0);
  assert.throws(() => b.intern(null as unknown as string), { name: 'TypeError', message: /Interner\.intern.*null/ });
  assert.equal(b.bytes(99), undefined, 'a valid id with no key: absent');
  // Not an id at all: a RangeError naming the method, never a silent undefined.
  for (const bad of [-1, 2 ** 40, 1.5, NaN]) {
    assert.throws(() => b.bytes(bad), (e: unknown) => e instanceof RangeError && /Interner\.bytes/.test((e as Error).message));
    assert.throws(() => b.string(bad), (e: unknown) => e instanceof RangeError && /Interner\.string/.test((e as Error).message));
  }
});
