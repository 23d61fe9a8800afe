// A shim of testharness.js for WPT `.any.js` tests run outside a browser:
// test(), promise_test() and the assert_* functions the Wasm ESM-integration
// tests use, with testharness.js's semantics where they matter: tests run in
// order, promise_test's one at a time; assert_throws_js / promise_rejects_js
// require the exact constructor (`e.constructor === C && e.name === C.name`),
// as testharness.js does, not `instanceof`.

export interface SubtestResult {
  name: string;
  status: 'PASS' | 'FAIL';
  message?: string;
}

class AssertionError extends Error {
  override name = 'AssertionError';
}

function fail(message: string, description?: string): never {
  throw new AssertionError(description ? `${description}: ${message}` : message);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Object.is(value, -0)) return '-0';
  try { return String(value); } catch { return Object.prototype.toString.call(value); }
}

function checkThrownJs(constructor: Function, error: unknown, description?: string): void {
  if (typeof error !== 'object' || error === null) fail(`threw ${show(error)}, not an object`, description);
  const e = error as { constructor?: unknown; name?: unknown; message?: unknown };
  if (e.constructor !== constructor || e.name !== constructor.name) {
    fail(`expected ${constructor.name}, got ${String((e.constructor as Function | undefined)?.name)} (name ${show(e.name)}: ${show(e.message)})`, description);
  }
}

interface Test { name: string; fn: (t: unknown) => unknown; isPromise: boolean }

/** Installs the harness on globalThis; run() then runs the collected tests and gives one result each. */
export function installTestharness(): { run(): Promise<SubtestResult[]> } {
  const tests: Test[] = [];
  const g = globalThis as Record<string, unknown>;
  const testObject = (name: string) => ({
    name,
    step_func: (f: Function) => f,
    step_func_done: (f: Function) => f,
    unreached_func: (msg: string) => () => fail(`reached unreachable code: ${msg}`),
    add_cleanup: () => {},
  });
  Object.assign(g, {
    test(fn: Test['fn'], name: string) { tests.push({ name, fn, isPromise: false }); },
    promise_test(fn: Test['fn'], name: string) { tests.push({ name, fn, isPromise: true }); },
    setup() {},
    done() {},
    assert_true(v: unknown, d?: string) { if (v !== true) fail(`expected true, got ${show(v)}`, d); },
    assert_false(v: unknown, d?: string) { if (v !== false) fail(`expected false, got ${show(v)}`, d); },
    assert_equals(a: unknown, b: unknown, d?: string) { if (!Object.is(a, b)) fail(`expected ${show(b)}, got ${show(a)}`, d); },
    assert_not_equals(a: unknown, b: unknown, d?: string) { if (Object.is(a, b)) fail(`got disallowed value ${show(a)}`, d); },
    assert_array_equals(a: ArrayLike<unknown>, b: ArrayLike<unknown>, d?: string) {
      if (a?.length !== b.length) fail(`lengths differ: ${a?.length} vs ${b.length}`, d);
      for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) fail(`[${i}] expected ${show(b[i])}, got ${show(a[i])}`, d);
    },
    assert_own_property(o: object, p: PropertyKey, d?: string) { if (!Object.hasOwn(o, p)) fail(`no own property ${String(p)}`, d); },
    assert_unreached(d?: string) { fail('reached unreachable code', d); },
    assert_throws_js(constructor: Function, fn: () => unknown, d?: string) {
      try { fn(); } catch (e) { checkThrownJs(constructor, e, d); return; }
      fail(`did not throw ${constructor.name}`, d);
    },
    async promise_rejects_js(_t: unknown, constructor: Function, promise: Promise<unknown>, d?: string) {
      try { await promise; } catch (e) { checkThrownJs(constructor, e, d); return; }
      fail(`did not reject with ${constructor.name}`, d);
    },
  });
  return {
    async run() {
      const results: SubtestResult[] = [];
      for (const t of tests) {
        try {
          await t.fn(testObject(t.name));
          results.push({ name: t.name, status: 'PASS' });
        } catch (e) {
          const err = e as { name?: unknown; message?: unknown };
          results.push({ name: t.name, status: 'FAIL', message: `${String(err?.name)}: ${String(err?.message ?? e)}` });
        }
      }
      return results;
    },
  };
}
