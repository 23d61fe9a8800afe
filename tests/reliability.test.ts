// Reliability: property-based runs with hostile and faulty input. Mutated
// Wasm and JS modules, random hook faults, random import maps, and random
// interleavings of import / delete / abort. Every run must end in a result
// or a typed error (never a crash, a hang, or an untyped failure before
// evaluation), leave the registry consistent (entries, has, get and
// dependenciesOf agree; nothing left loading), and a retry after the fault is
// removed must succeed. CANON_RELIABILITY_RUNS sets the cases per property
// (default 1,000, what CI runs).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import wabtInit from 'wabt';
import {
  HookError, HookResultError, ImportAttributeError, ModuleLinkError, ModuleLoadTimeoutError, ModuleNotFoundError, ModuleSyntaxError,
  PackageResolutionError, UnknownModuleFormatError, UnsupportedModuleError, WasmCompileError,
} from '../ts-host/errors.js';
import { Registry } from '../ts-host/registry.js';
import { ImportMapError, ModuleResolutionError } from '../ts-host/resolve/import-map.js';
import { WasmImportReferenceError, WasmImportValueError, WasmLinkError } from '../ts-host/wasm/index.js';
import type { LoadHook, LoadResult } from '../ts-host/loader/load.js';

const RUNS = Number(process.env.CANON_RELIABILITY_RUNS ?? 1000);

/** The error classes a load, link or hook failure may be: canon's own, or the spec's where the spec names one. */
const TYPED = [
  HookError, HookResultError, ImportAttributeError, ModuleLinkError, ModuleLoadTimeoutError, ModuleNotFoundError, ModuleSyntaxError,
  PackageResolutionError, UnknownModuleFormatError, UnsupportedModuleError, WasmCompileError, WasmLinkError, WasmImportValueError,
  WasmImportReferenceError, ImportMapError, ModuleResolutionError,
];

function assertTyped(error: unknown, what: string): void {
  assert.ok(TYPED.some((C) => error instanceof C), `${what}: an untyped ${String((error as Error)?.name)}: ${String((error as Error)?.message ?? error).slice(0, 300)}`);
  const e = error as { url?: unknown; specifier?: unknown; phase?: unknown; message: string };
  assert.ok(e.url !== undefined || e.specifier !== undefined, `${what}: ${e.message.slice(0, 200)} says nowhere`);
  assert.ok(e.message.length < 5_000, `${what}: a message of ${e.message.length} characters`);
}

/**
 * The registry's views agree: every entry is found by get/has under its key
 * (canonical ones), reports a settled status, and its dependencies' keys are
 * ones the registry can name.
 */
function assertConsistent(registry: Registry): void {
  const records = registry.entries();
  for (const record of records) {
    assert.notEqual(record.status, 'loading', `${record.key} left loading`);
    assert.notEqual(record.status, 'linking', `${record.key} left linking`);
    if (!record.canonical) continue;
    assert.ok(registry.has(record.key, record.attributes), `has(${record.key})`);
    const got = registry.get(record.key, record.attributes)!;
    assert.equal(got.status, record.status);
    assert.equal(got.source, record.source);
    for (const dep of registry.dependenciesOf(record.key, record.attributes)) assert.equal(typeof dep.key, 'string');
  }
  assert.equal(new Set(records.filter((r) => r.canonical).map((r) => JSON.stringify([r.key, r.attributes]))).size, records.filter((r) => r.canonical).length, 'one canonical entry per key');
}

/** Removes every entry (the fault is fixed: start over in the same registry). */
function clear(registry: Registry): void {
  for (const record of registry.entries()) registry.delete(record.key, record.attributes);
  assert.deepEqual(registry.entries(), []);
}

/** A byte-level mutation: flip bits, overwrite, insert, delete or truncate at a position. */
const mutation = fc.record({
  kind: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

function mutate(bytes: Uint8Array, mutations: { kind: string; at: number; byte: number }[]): Uint8Array {
  let out = Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'flip' && out.length) out[at]! ^= 1 << (m.byte % 8);
    else if (m.kind === 'set' && out.length) out[at] = m.byte;
    else if (m.kind === 'insert') out.splice(at, 0, m.byte);
    else if (m.kind === 'delete') out.splice(at, 1);
    else if (m.kind === 'truncate') out = out.slice(0, at);
  }
  return Uint8Array.from(out);
}

/** A registry over virtual modules served by a load hook (no disk): `files` can change between imports. */
function virtualRegistry(files: Map<string, LoadResult>, extra: { load?: LoadHook } = {}): Registry {
  return new Registry({
    baseURL: 'virtual:/',
    loadTimeout: 2_000,
    hooks: {
      load: extra.load ?? ((url) => {
        const file = files.get(url);
        if (file === undefined) throw new ModuleNotFoundError(`no ${url}`, { url });
        return file;
      }),
    },
  });
}

test(`reliability: ${RUNS} mutated Wasm modules load, fail with a typed error, or run; the registry stays consistent; the original loads after`, async () => {
  const wabt = await wabtInit();
  const wat = `(module
    (import "./env.js" "log" (func $log (param i32)))
    (import "./env.js" "base" (global $base i32))
    (import "./env.js" "memory" (memory 1))
    (global $n (mut i32) (i32.const 0))
    (data (i32.const 8) "canon")
    (func $start (global.set $n (global.get $base)))
    (func (export "next") (result i32)
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (call $log (global.get $n))
      (global.get $n))
    (export "memory" (memory 0))
    (start $start))`;
  const module = wabt.parseWat('m.wat', wat, {});
  const original = module.toBinary({}).buffer.slice();
  module.destroy();
  const files = new Map<string, LoadResult>([
    ['virtual:/env.js', 'export function log() {} export const base = 41; export const memory = new WebAssembly.Memory({ initial: 1 });'],
    ['virtual:/main.js', 'import { next } from "./m.wasm"; export const first = next();'],
  ]);
  const registry = virtualRegistry(files);
  let failed = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (mutations) => {
      clear(registry);
      files.set('virtual:/m.wasm', { format: 'wasm', source: mutate(original, mutations) });
      try {
        await registry.import('./main.js');
      } catch (error) {
        // A start function that traps is the module's own evaluation error.
        if (!(error instanceof WebAssembly.RuntimeError)) assertTyped(error, `mutations ${JSON.stringify(mutations)}`);
        failed++;
      }
      assertConsistent(registry);
    }),
    { numRuns: RUNS },
  );
  clear(registry);
  files.set('virtual:/m.wasm', { format: 'wasm', source: original });
  assert.equal(((await registry.import('./main.js')) as { first: number }).first, 42);
  assert.ok(failed > RUNS / 4, `most mutations should break something (${failed} of ${RUNS} did)`);
});

test(`reliability: ${RUNS} mutated JS modules: a typed load error, or they run; consistent; the original runs after`, async () => {
  const original = 'import { dep } from "./dep.js";\nimport data from "./data.json" with { type: "json" };\nexport const value = dep + data.n;\nexport default function f(x) { return x * 2; }\n';
  const files = new Map<string, LoadResult>([
    ['virtual:/dep.js', 'export const dep = 40;'],
    ['virtual:/data.json', { format: 'json', source: '{"n":2}' }],
  ]);
  const registry = virtualRegistry(files);
  const bytes = new TextEncoder().encode(original);
  await fc.assert(
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
      clear(registry);
      files.set('virtual:/main.js', mutate(bytes, mutations));
      try {
        await registry.import('./main.js');
      } catch (error) {
        // What the mutated code throws when it runs is its own (a ReferenceError, a TypeError: any Error);
        // a failure before that is one of canon's typed errors, saying where.
        assert.ok(error instanceof Error, `a non-Error ${String(error)}`);
        if (TYPED.some((C) => error instanceof C)) assertTyped(error, `mutations ${JSON.stringify(mutations)}`);
        else assert.equal(registry.get('virtual:/main.js')?.status, 'errored', `${String(error)} before evaluation`);
      }
      assertConsistent(registry);
    }),
    { numRuns: RUNS },
  );
  clear(registry);
  files.set('virtual:/main.js', original);
  assert.equal(((await registry.import('./main.js')) as { value: number }).value, 42);
});

/** One way a hook can fail. */
const fault = fc.constantFrom('throw', 'throw-string', 'reject', 'number', 'null', 'bad-format', 'json-for-js', 'hang', 'none');

test(`reliability: ${RUNS} random hook faults: typed errors naming the hook, a consistent registry, and a retry without the fault works`, async () => {
  let plan: Record<string, string> = {};
  const answer = (url: string): LoadResult | Promise<LoadResult> => {
    const name = url.slice('virtual:/'.length);
    switch (plan[name] ?? 'none') {
      case 'throw': throw new Error(`fault in ${name}`);
      case 'throw-string': throw `fault in ${name}`;
      case 'reject': return Promise.reject(new RangeError(`async fault in ${name}`));
      case 'number': return 42 as unknown as LoadResult;
      case 'null': return null as unknown as LoadResult;
      case 'bad-format': return { format: 'python' as never, source: 'print(1)' };
      case 'json-for-js': return { format: 'json', source: '{}' };
      case 'hang': return new Promise<LoadResult>(() => {});
      default: return name === 'main.js' ? 'import "./a.js"; import { b } from "./b.js"; export const ok = b;' : name === 'a.js' ? 'export {};' : 'export const b = "b";';
    }
  };
  let resolveFault = 'none';
  // A hung load times out (a registry-wide limit), and its entry is dropped.
  const registry = new Registry({
    baseURL: 'virtual:/',
    loadTimeout: 3,
    hooks: {
      load: (url) => answer(url),
      resolve: (specifier, referrer, next) => {
        if (specifier === './b.js' && resolveFault === 'throw') throw new Error('resolve fault');
        if (specifier === './b.js' && resolveFault === 'non-url') return 'not a url';
        return next(specifier, referrer);
      },
    },
  });
  await fc.assert(
    fc.asyncProperty(fc.record({ 'main.js': fault, 'a.js': fault, 'b.js': fault }), fc.constantFrom('none', 'throw', 'non-url'), async (faults, resolveWith) => {
      clear(registry);
      plan = faults;
      resolveFault = resolveWith;
      try {
        await registry.import('./main.js');
      } catch (error) {
        assertTyped(error, `faults ${JSON.stringify(faults)} resolve ${resolveWith}`);
      }
      // A sibling's hung load may outlive the import's failure: once its timeout passed, nothing is left loading.
      if (Object.values(faults).includes('hang')) await new Promise((resolve) => setTimeout(resolve, 8));
      assertConsistent(registry);
    }),
    { numRuns: RUNS },
  );
  clear(registry);
  plan = {};
  resolveFault = 'none';
  assert.equal(((await registry.import('./main.js')) as { ok: string }).ok, 'b');
});

test(`reliability: ${RUNS} random import maps: an ImportMapError, or a registry whose imports resolve or fail typed`, async () => {
  const address = fc.oneof(fc.constantFrom('./a.js', '/b.js', 'virtual:/c.js', 'https://x/', './dir/', 'not a url', '', '#frag', '..', 'virtual:/', 'data:text/javascript,export default 1'), fc.string({ maxLength: 12 }));
  const key = fc.oneof(fc.constantFrom('a', 'a/', 'pkg', 'pkg/', './x.js', 'virtual:/c.js', '', '/', '@scope/p'), fc.string({ maxLength: 8 }));
  const map = fc.record({
    imports: fc.dictionary(key, fc.oneof(address, fc.constant(null), fc.integer()), { maxKeys: 6 }),
    scopes: fc.dictionary(fc.constantFrom('virtual:/', 'virtual:/dir/', './', 'nope', ''), fc.dictionary(key, address, { maxKeys: 3 }), { maxKeys: 3 }),
  }, { requiredKeys: [] });
  const files: Record<string, string> = { 'virtual:/a.js': 'export default "a";', 'virtual:/b.js': 'export default "b";', 'virtual:/c.js': 'export default "c";' };
  await fc.assert(
    fc.asyncProperty(map, fc.constantFrom('a', 'pkg', 'pkg/x.js', './x.js', 'virtual:/c.js', '@scope/p'), async (importMap, specifier) => {
      let registry: Registry;
      try {
        registry = new Registry({
          baseURL: 'virtual:/', importMap,
          hooks: { load: (url) => files[url] ?? (() => { throw new ModuleNotFoundError(`no ${url}`, { url }); })() },
        });
      } catch (error) {
        assert.ok(error instanceof ImportMapError || error instanceof TypeError, `map ${JSON.stringify(importMap)}: ${String(error)}`);
        return;
      }
      try {
        const ns = (await registry.import(specifier)) as { default: unknown };
        assert.ok(['a', 'b', 'c', 1].includes(ns.default as string));
      } catch (error) {
        // Node's own resolver answers bare specifiers no map does: its errors are typed too.
        if (!(error instanceof Error && /^ERR_/.test(String((error as { code?: string }).code)))) assertTyped(error, `map ${JSON.stringify(importMap)} specifier ${specifier}`);
      }
      assertConsistent(registry);
    }),
    { numRuns: RUNS },
  );
});

test(`reliability: ${RUNS} random interleavings of import, delete and abort over slow loads: every import settles, the registry stays consistent`, async () => {
  const names = ['a.js', 'b.js', 'c.js'];
  const op = fc.oneof(
    fc.record({ op: fc.constant('import' as const), name: fc.constantFrom(...names), abort: fc.boolean() }),
    fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom(...names) }),
    fc.record({ op: fc.constant('abort' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('tick' as const) }),
  );
  let version = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20, size: 'max' }), async (ops) => {
      // Each load settles after a few turns of the event loop; a imports b, b imports c.
      const registry = new Registry({
        baseURL: 'virtual:/',
        hooks: {
          load: async (url) => {
            await new Promise((resolve) => setImmediate(resolve));
            const v = ++version;
            if (url.endsWith('a.js')) return `import { b } from "./b.js"; export const a = "a" + b; export const v = ${v};`;
            if (url.endsWith('b.js')) return `import { c } from "./c.js"; export const b = "b" + c;`;
            return 'export const c = "c";';
          },
        },
      });
      const pending: { promise: Promise<unknown>; controller: AbortController }[] = [];
      for (const step of ops) {
        if (step.op === 'import') {
          const controller = new AbortController();
          pending.push({ promise: registry.import(`./${step.name}`, { signal: controller.signal }).then((ns) => ns, (e: unknown) => ({ error: e, controller })), controller });
          if (step.abort) controller.abort(new Error('aborted'));
        } else if (step.op === 'delete') {
          registry.delete(`virtual:/${step.name}`);
        } else if (step.op === 'abort' && pending.length) {
          pending[step.pick % pending.length]!.controller.abort(new Error('aborted'));
        } else {
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const outcomes = await Promise.all(pending.map((p) => p.promise));
      for (const outcome of outcomes) {
        if (outcome && typeof outcome === 'object' && 'error' in outcome) {
          const { error, controller } = outcome as { error: unknown; controller: AbortController };
          assert.ok(controller.signal.aborted && error === controller.signal.reason, `only aborts fail here: ${String(error)}`);
        }
      }
      assertConsistent(registry);
      // Whatever happened, a fresh import now completes with the right values.
      assert.equal(((await registry.import('./a.js')) as { a: string }).a, 'abc');
    }),
    { numRuns: RUNS },
  );
});
