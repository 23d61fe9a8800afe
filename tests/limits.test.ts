// Memory limits: a table, arena or buffer that would exceed the Wasm memory
// limit raises CanonMemoryLimitError, changes nothing, and the same call
// works once memory is freed.
//
// The allocator (TLSF) grows memory by the full size of a request it cannot
// place, so "freed memory" below is always a block larger than the request
// that failed: that is the fix a caller can make.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CanonMemoryLimitError, createCore } from '../ts-host/core/index.js';

const MiB = 1 << 20;

function isLimit(operation: string) {
  return (error: unknown) => {
    assert.ok(error instanceof CanonMemoryLimitError, `expected CanonMemoryLimitError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_CANON_MEMORY_LIMIT');
    assert.equal(error.operation, operation);
    assert.ok(error.requestedBytes > 0);
    assert.match(error.message, new RegExp(`^${operation.replace('.', '\\.')}: cannot allocate \\d+ bytes: the Wasm memory limit is \\d+ bytes`));
    return true;
  };
}

test('a buffer larger than the limit is refused before Wasm is called', () => {
  const core = createCore({ maxMemoryBytes: 2 * MiB });
  assert.throws(() => core.alloc(3 * MiB), isLimit('Core.alloc'));
  assert.throws(() => core.alloc(5 * 1024 * MiB), isLimit('Core.alloc'));
  assert.throws(() => core.alloc(-1), { name: 'RangeError', message: /non-negative integer/ });
  const ok = core.alloc(MiB);
  assert.equal(ok.byteLength, MiB);
  ok.free();
});

test('a buffer that fits the limit but not the free memory fails cleanly, and works after a free', () => {
  const core = createCore({ maxMemoryBytes: 8 * MiB });
  const hold = core.alloc(5 * MiB);
  assert.throws(() => core.alloc(4 * MiB), isLimit('Core.alloc'));
  assert.equal(core.raw.pendingAllocation(), 0, 'the failure marker is cleared');
  hold.free();
  core.alloc(4 * MiB).free();
});

test('an interner that outgrows memory keeps every key, and the failed key interns after memory is freed', () => {
  const core = createCore({ seed: 1, maxMemoryBytes: 8 * MiB });
  const hold = core.alloc(4 * MiB);
  const interner = core.createInterner();
  const model = new Map<string, number>();
  let failedKey: string | undefined;
  for (let i = 0; failedKey === undefined; i++) {
    const key = `file:///k/${i}/` + 'x'.repeat(200);
    try {
      model.set(key, interner.intern(key));
    } catch (error) {
      assert.ok(isLimit('Interner.intern')(error));
      failedKey = key;
    }
  }
  assert.ok(model.size > 1000, `interned ${model.size} keys before the limit`);
  assert.equal(interner.size, model.size, 'the failed intern added nothing');
  assert.equal(interner.lookup(failedKey), -1);
  for (const [key, id] of model) {
    assert.equal(interner.lookup(key), id);
    assert.equal(interner.string(id), key);
  }
  hold.free();
  const id = interner.intern(failedKey);
  assert.equal(interner.string(id), failedKey);
  assert.equal(interner.size, model.size + 1);
});

test('a table that outgrows memory keeps every row, and grows after memory is freed', () => {
  const core = createCore({ seed: 1, maxMemoryBytes: 8 * MiB });
  const hold = core.alloc(4 * MiB);
  const table = core.createTable();
  let n = 0;
  let failed = false;
  while (!failed) {
    try {
      table.set(n, 1, 2, 3, n);
      n++;
    } catch (error) {
      assert.ok(isLimit('IntTable.set')(error));
      failed = true;
    }
  }
  assert.ok(n > 10_000, `stored ${n} rows before the limit`);
  assert.equal(table.size, n);
  assert.equal(table.get(n, 1, 2, 3), -1);
  for (let i = 0; i < n; i++) assert.equal(table.get(i, 1, 2, 3), i);
  hold.free();
  assert.equal(table.set(n, 1, 2, 3, n), -1);
  assert.equal(table.get(n, 1, 2, 3), n);
});

test('input too large for the scratch region is a limit error, not a crash', () => {
  const core = createCore({ maxMemoryBytes: 2 * MiB });
  assert.throws(() => core.hash128(new Uint8Array(3 * MiB)), isLimit('scratch'));
  assert.equal(typeof core.hash128(new Uint8Array(MiB)), 'bigint', 'the core still works');
});

test('an interner sized past 4 GiB of table is a limit error, and the core stays usable', () => {
  const core = createCore();
  // 2^26 expected keys need 2^27 slots of 80 bytes (slot and cell) at the 5/8 load factor: more than a 32-bit memory holds.
  assert.throws(() => core.createInterner({ expectedKeys: 2 ** 26 }), (e: unknown) => {
    const limit = e as CanonMemoryLimitError;
    assert.equal(limit.code, 'ERR_CANON_MEMORY_LIMIT');
    assert.equal(limit.operation, 'Core.createInterner');
    assert.ok(limit.requestedBytes >= 2 ** 32 - 1);
    return true;
  });
  const interner = core.createInterner({ expectedKeys: 1000 });
  assert.equal(interner.intern('after the failure'), interner.intern('after the failure'));
  assert.equal(interner.string(interner.intern('after the failure')), 'after the failure');
});
