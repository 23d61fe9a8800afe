// Integer tables and the registry tables against JS Map models.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createCore, MAX_TABLE_VALUE, type IntTable } from '../ts-host/core/index.js';

type Words = [number, number, number, number];
type Op =
  | { op: 'set'; k: Words; value: number }
  | { op: 'get'; k: Words }
  | { op: 'delete'; k: Words }
  | { op: 'clear' };

// Words from a small domain (so keys repeat) plus the u32 extremes.
const word = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0xffff_ffff, 0x8000_0000));
const words = fc.tuple(word, word, word, word);
const value = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(MAX_TABLE_VALUE));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), k: words, value }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('get' as const), k: words }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), k: words }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const)}) },
);

function replay(table: IntTable, ops: Op[]): void {
  const model = new Map<string, number>();
  for (const step of ops) {
    if (step.op === 'clear') {
      table.clear();
      model.clear();
      continue;
    }
    const id = step.k.join(',');
    const [k0, k1, k2, k3] = step.k;
    if (step.op === 'set') {
      assert.equal(table.set(k0, k1, k2, k3, step.value), model.get(id) ?? -1);
      model.set(id, step.value);
    } else if (step.op === 'get') {
      assert.equal(table.get(k0, k1, k2, k3), model.get(id) ?? -1);
    } else {
      assert.equal(table.delete(k0, k1, k2, k3), model.get(id) ?? -1);
      model.delete(id);
    }
    assert.equal(table.size, model.size);
  }
  const rows = table.rows().map(([a, b, c, d, v]) => `${a},${b},${c},${d}=${v}`).sort();
  assert.deepEqual(rows, [...model].map(([k, v]) => `${k}=${v}`).sort());
}

for (const [label, collisionMask] of [['normal hash', undefined], ['forced collisions (2-bit hash)', 0x3n]] as const) {
  test(`IntTable matches a Map model: ${label}`, () => {
    const core = createCore({ seed: 9, ...(collisionMask === undefined ? {} : { collisionMask }) });
    fc.assert(
      // size 'max': sequences up to 400 steps (the default size would stop near 10, with few repeated keys).
      fc.property(fc.array(op, { minLength: 1, maxLength: 400, size: 'max' }), (ops) => {
        const table = core.createTable();
        try {
          replay(table, ops);
        } finally {
          table.free();
        }
      }),
      { numRuns: 200 },
    );
  });
}

test('IntTable growth to 200,000 keys and deletion of all of them', () => {
  const core = createCore({ seed: 1 });
  const table = core.createTable();
  const n = 200_000;
  for (let i = 0; i < n; i++) assert.equal(table.set(i & 7, i, i >>> 3, 42, i), -1);
  assert.equal(table.size, n);
  assert.ok(table.capacity >= n * 1.6);
  for (let i = 0; i < n; i++) assert.equal(table.get(i & 7, i, i >>> 3, 42), i);
  assert.equal(table.get(0, 0, 0, 43), -1);
  for (let i = 0; i < n; i += 1) assert.equal(table.delete(i & 7, i, i >>> 3, 42), i);
  assert.equal(table.size, 0);
  assert.deepEqual(table.rows(), []);
});

test('IntTable rejects values and words it cannot hold', () => {
  const table = createCore().createTable();
  assert.throws(() => table.set(0, 0, 0, 0, MAX_TABLE_VALUE + 1), { name: 'RangeError', message: /IntTable\.set: value/ });
  assert.throws(() => table.set(0, 0, 0, 0, -1), { name: 'RangeError' });
  assert.throws(() => table.get(-1, 0, 0, 0), { name: 'RangeError', message: /IntTable\.get: key words/ });
  assert.throws(() => table.set(1.5, 0, 0, 0, 1), { name: 'RangeError' });
  assert.equal(table.size, 0, 'a refused call changes nothing');
});

test('RegistryTables: entries per (registry, key, attributes, source), canonical source per key', () => {
  const core = createCore({ seed: 2 });
  const keys = core.createInterner();
  const tables = core.createRegistryTables();
  const url = keys.intern('file:///app/a.js');
  const json = keys.intern('{"type":"json"}');
  const none = keys.intern('');
  const [r0, r1] = [0, 1];
  const [s1, s2] = [10, 11];

  // Registry 0 loads a.js with source s1: canonical entry 0.
  assert.equal(tables.setCanonical(r0, url, none, s1), -1);
  assert.equal(tables.setEntry(r0, url, none, s1, 0), -1);
  // A different source under the same URL: a new entry, the canonical source is unchanged.
  assert.equal(tables.setEntry(r0, url, none, s2, 1), -1);
  // The same key with attributes is a different key; another registry is independent.
  tables.setCanonical(r0, url, json, s1);
  tables.setEntry(r0, url, json, s1, 2);
  tables.setCanonical(r1, url, none, s2);
  tables.setEntry(r1, url, none, s2, 3);

  assert.equal(tables.getCanonical(r0, url, none), s1);
  assert.equal(tables.getEntry(r0, url, none, tables.getCanonical(r0, url, none)), 0);
  assert.equal(tables.getEntry(r0, url, none, s2), 1);
  assert.equal(tables.getEntry(r0, url, json, s1), 2);
  assert.equal(tables.getEntry(r1, url, none, s2), 3);
  assert.equal(tables.getEntry(r1, url, none, s1), -1);
  assert.equal(tables.entryCount, 4);
  assert.equal(tables.canonicalCount, 3);
  assert.deepEqual(
    tables.entries().sort((a, b) => a.entry - b.entry),
    [
      { registry: r0, key: url, attributes: none, source: s1, entry: 0 },
      { registry: r0, key: url, attributes: none, source: s2, entry: 1 },
      { registry: r0, key: url, attributes: json, source: s1, entry: 2 },
      { registry: r1, key: url, attributes: none, source: s2, entry: 3 },
    ],
  );
  assert.deepEqual(
    tables.canonicals().sort((a, b) => a.registry - b.registry || a.attributes - b.attributes),
    [
      { registry: r0, key: url, attributes: none, source: s1 },
      { registry: r0, key: url, attributes: json, source: s1 },
      { registry: r1, key: url, attributes: none, source: s2 },
    ].sort((a, b) => a.registry - b.registry || a.attributes - b.attributes),
  );
  assert.equal(tables.deleteEntry(r0, url, none, s1), 0);
  assert.equal(tables.deleteCanonical(r0, url, none), s1);
  assert.equal(tables.getCanonical(r0, url, none), -1);
  assert.equal(tables.entryCount, 3);
  tables.free();
});

test('the source table against a model: equal content shares an id, colliding hashes do not, the last release forgets', async () => {
  const { liveSourceCount, releaseSourceId, retainSourceId, textIdOf } = await import('../ts-host/loader/source-table.js');
  // Few texts over fewer hashes: most adds collide with a different text.
  const op = fc.oneof(
    fc.record({ kind: fc.constant('hold' as const), text: fc.integer({ min: 0, max: 7 }), hash: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  );
  fc.assert(fc.property(fc.array(op, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => {
    const base = liveSourceCount();
    const salt = BigInt(Math.floor(Math.random() * 2 ** 40)) << 64n; // hashes no other run uses
    const model = new Map<string, { id: number; holders: number }>(); // by text + hash
    const held: string[] = [];
    for (const o of ops) {
      if (o.kind === 'hold') {
        const key = `${o.text}@${o.hash}`;
        const id = textIdOf(`text ${o.text} ${salt}`, salt + BigInt(o.hash));
        const known = model.get(key);
        if (known) assert.equal(id, known.id, 'equal content, equal id');
        else {
          // A forgotten id may stand for new content (ids are reused), never for content still held.
          assert.ok(![...model.values()].some((m) => m.id === id), 'different content (even under the same hash), different id');
        }
        retainSourceId(id);
        const entry = known ?? { id, holders: 0 };
        entry.holders++;
        model.set(key, entry);
        held.push(key);
      } else if (held.length > 0) {
        const key = held.splice(o.pick % held.length, 1)[0]!;
        const entry = model.get(key)!;
        releaseSourceId(entry.id);
        if (--entry.holders === 0) {
          model.delete(key);
        }
      }
      assert.equal(liveSourceCount() - base, model.size);
    }
    for (const key of held) releaseSourceId(model.get(key)!.id);
    assert.equal(liveSourceCount(), base);
  }), { numRuns: 150 });
});
