// Wasm ESM integration (WebAssembly/esm-integration): .wasm modules as ES
// modules.
//
// 1. The programs of tests/fixtures/wasm (WAT compiled with wabt into a temp
//    directory at test time, next to their JS modules) print what they
//    observe. Each prints its expected.txt under `canon run` on the Node
//    running this test and, from Node 20, on Node 26 too; and Node 26 runs
//    each natively. Where Node 26 differs from the spec, the fixture says why
//    (fixture.json "node26", a comment in main.mjs), canon follows the spec,
//    and Node 26's own output is pinned in expected-node26.txt, so a change
//    in Node shows here.
// 2. In-process tests of the registry API: namespaceInstance, the source
//    phase, error classes, registry consistency after a Wasm LinkError and a
//    retry after the fix, load hooks, the binary reader and the facade.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import wabtInit from 'wabt';
import { ModuleLinkError } from '../ts-host/errors.js';
import { Registry } from '../ts-host/registry.js';
import { compileWasmSource } from '../ts-host/sources/wasm-source.js';
import { analyzeWasm } from '../ts-host/sources/analyze-wasm.js';
import { readBinaryInterface } from '../ts-host/wasm/binary.js';
import { facadeText, namespaceInstance, wasmInterface, WasmImportReferenceError, WasmImportValueError, WasmLinkError } from '../ts-host/wasm/index.js';
import { parseCanonReport } from './support/error-report.js';
import { RUN_TIMEOUT_MS } from './support/graphs.js';
import { node26 } from './support/node26.js';

const wabt = await wabtInit();
const FIXTURES = fileURLToPath(new URL('../../tests/fixtures/wasm/', import.meta.url));
const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
// The flags the CLI would re-execute itself with, given directly to save a process.
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const NODE26 = node26();
const onNode26 = process.versions.node.split('.')[0] === '26';

/** WAT text → Wasm bytes (wabt gets a fresh UTF-8 copy: it reads the whole underlying buffer). */
function wat2wasm(text: string, name = 'module.wat'): Uint8Array {
  const module = wabt.parseWat(name, new TextEncoder().encode(text), { exceptions: true, simd: true, reference_types: true, bulk_memory: true, multi_value: true, mutable_globals: true });
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({}).buffer.slice();
  } finally {
    module.destroy();
  }
}

const work = mkdtempSync(join(tmpdir(), 'canon-wasm-esm-'));
after(() => rmSync(work, { recursive: true, force: true }));

// ---- 1. the fixture programs ------------------------------------------------

interface Fixture {
  name: string;
  dir: string;
  entry: string;
  description: string;
  exitCode: number;
  /** Why Node 26 differs from the spec, if it does. */
  node26: string | undefined;
  expected: string;
  expectedNode26: string | undefined;
}

function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const name of readdirSync(FIXTURES).sort()) {
    const source = join(FIXTURES, name);
    if (!existsSync(join(source, 'fixture.json'))) continue;
    const meta = JSON.parse(readFileSync(join(source, 'fixture.json'), 'utf8')) as { description: string; exitCode?: number; node26?: string; entry?: string };
    const dir = join(work, 'fixtures', name);
    cpSync(source, dir, { recursive: true });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
      writeFileSync(join(dir, file.replace(/\.wat$/, '.wasm')), wat2wasm(readFileSync(join(dir, file), 'utf8'), file));
    }
    const node26File = join(source, 'expected-node26.txt');
    out.push({
      name,
      dir,
      entry: join(dir, meta.entry ?? 'main.mjs'),
      description: meta.description,
      exitCode: meta.exitCode ?? 0,
      node26: meta.node26,
      expected: readFileSync(join(source, 'expected.txt'), 'utf8'),
      expectedNode26: existsSync(node26File) ? readFileSync(node26File, 'utf8') : undefined,
    });
  }
  return out;
}

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs a program as tests/support/graphs.ts runNode does (cwd = its folder, a clean environment), asynchronously. */
function runAsync(binary: string, args: string[], cwd: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'NODE_CHANNEL_FD', 'FORCE_COLOR', 'NODE_DISABLE_COLORS', 'NODE_V8_COVERAGE']) delete env[name];
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ stdout, stderr, status: error ? (typeof code === 'number' ? code : null) : 0 });
    });
  });
}

/** At most `limit` processes at once (the machine is small and shared). */
function pool(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (job) => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await job();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

const FIXTURE_LIST = loadFixtures();
const limited = pool(3);
const runs = new Map(FIXTURE_LIST.map((f) => [f.name, {
  canon: limited(() => runAsync(process.execPath, [...FLAGS, cli, 'run', f.entry], f.dir)),
  canon26: onNode26 ? undefined : limited(() => runAsync(NODE26, [...FLAGS, cli, 'run', f.entry], f.dir)),
  native26: limited(() => runAsync(NODE26, [f.entry], f.dir)),
}]));

test('the corpus has at least 25 programs, each with a description and an expected output', () => {
  assert.ok(FIXTURE_LIST.length >= 25, `only ${FIXTURE_LIST.length} programs`);
  for (const f of FIXTURE_LIST) {
    assert.ok(f.description.length > 0, f.name);
    assert.ok(f.expected.length > 0, `${f.name} prints nothing`);
    // A documented difference comes with Node 26's output, and the other way round.
    assert.equal(f.node26 !== undefined, f.expectedNode26 !== undefined, f.name);
    if (f.node26) assert.match(readFileSync(join(FIXTURES, f.name, basenameOf(f.entry)), 'utf8'), /Node 26 differs/, `${f.name}: main.mjs must say why Node 26 differs`);
  }
});

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function checkRun(f: Fixture, r: Run, expected: string, who: string): void {
  const context = `${f.description}\n--- ${who} stderr\n${r.stderr}`;
  assert.equal(r.stdout, expected, context);
  assert.equal(r.status, f.exitCode, context);
  if (r.status === 1 && who.startsWith('canon')) {
    // The error as canon run prints one (README "Errors"): a Name: message line, none of canon's own frames.
    assert.match(parseCanonReport(r.stderr).headline ?? '', /^\w*Error( \[\w+\])?: /, context);
    assert.doesNotMatch(r.stderr, /dist\/ts-host|node:internal\/vm/, context);
  }
}

for (const f of FIXTURE_LIST) {
  const r = runs.get(f.name)!;
  test(`wasm/${f.name}: canon run on Node ${process.versions.node} prints the expected output`, async () => {
    checkRun(f, await r.canon, f.expected, 'canon');
  });
  if (r.canon26) {
    test(`wasm/${f.name}: canon run on Node 26 prints the expected output`, async () => {
      checkRun(f, (await r.canon26)!, f.expected, 'canon (Node 26)');
    });
  }
  if (f.node26 === undefined) {
    test(`wasm/${f.name}: Node 26 natively prints the same`, async () => {
      checkRun(f, await r.native26, f.expected, 'native Node 26');
    });
  } else {
    test(`wasm/${f.name}: Node 26 natively differs from the spec (${f.node26})`, async () => {
      const native = await r.native26;
      checkRun(f, native, f.expectedNode26!, 'native Node 26');
      assert.notEqual(native.stdout, f.expected, 'Node 26 now agrees with the spec: drop the difference from the fixture');
    });
  }
}

// ---- 2. the registry API ------------------------------------------------------

let scratchCount = 0;

/** A fresh folder of modules: `.wat` entries are compiled, the rest written as text. */
function scratch(files: Record<string, string>): { dir: string; url: (name: string) => string; write: (name: string, text: string) => void } {
  const dir = join(work, `scratch-${++scratchCount}`);
  mkdirSync(dir, { recursive: true });
  const write = (name: string, text: string) => {
    if (name.endsWith('.wat')) writeFileSync(join(dir, name.replace(/\.wat$/, '.wasm')), wat2wasm(text, name));
    else writeFileSync(join(dir, name), text);
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, url: (name) => pathToFileURL(`${dir}/${name}`).href, write };
}

const COUNTER_WAT = `(module
  (global $n (mut i32) (i32.const 0))
  (func (export "next") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (global.get $n)))`;

test('namespaceInstance: the instance behind a Wasm namespace, sharing its state; a TypeError for anything else', async () => {
  const s = scratch({ 'm.wat': COUNTER_WAT, 'js.mjs': 'export const x = 1;' });
  const registry = new Registry({ baseURL: s.url('') });
  const ns = (await registry.import('./m.wasm')) as { next(): number };
  const instance = namespaceInstance(ns);
  assert.ok(instance instanceof WebAssembly.Instance);
  assert.equal(namespaceInstance(ns), instance);
  // No mutable global export: the namespace has the instance's own functions.
  assert.equal(ns.next, instance.exports.next);
  assert.equal(ns.next(), 1);
  assert.equal((instance.exports.next as () => number)(), 2);
  const js = await registry.import('./js.mjs');
  for (const bad of [js, {}, null, undefined, 42, 'ns', [], () => {}]) assert.throws(() => namespaceInstance(bad), TypeError);
  // Instances never cross registries.
  const other = new Registry({ baseURL: s.url('') });
  const ns2 = (await other.import('./m.wasm')) as { next(): number };
  assert.notEqual(namespaceInstance(ns2), instance);
  assert.equal(ns2.next(), 1);
});

test('live global bindings: functions of a module exporting a mutable global are wrappers that look like the exports', async () => {
  const s = scratch({ 'm.wat': `(module
    (global $g (export "g") (mut i32) (i32.const 1))
    (func (export "set") (param i32) (global.set $g (local.get 0))))` });
  const registry = new Registry({ baseURL: s.url('') });
  const ns = (await registry.import('./m.wasm')) as { g: number; set(v: number): void };
  const raw = namespaceInstance(ns).exports.set as (v: number) => void;
  assert.notEqual(ns.set, raw);
  assert.equal(ns.set.name, raw.name);
  assert.equal(ns.set.length, 1);
  assert.throws(() => new (ns.set as unknown as new () => object)(), TypeError);
  ns.set(5);
  assert.equal(ns.g, 5);
  // A change through the instance shows at the next return through an export.
  raw(6);
  assert.equal(ns.g, 5);
  ns.set(7);
  assert.equal(ns.g, 7);
});

test('source phase: the WebAssembly.Module; importing it gives the canonical instance, through the facade', async () => {
  const s = scratch({
    'm.wat': `(module
      (import "./env.mjs" "base" (global $b i32))
      (global $n (mut i32) (i32.const 0))
      (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n))
      (func (export "base") (result i32) (global.get $b)))`,
    'env.mjs': 'export const base = 40;',
  });
  const registry = new Registry({ baseURL: s.url('') });
  const source = (await registry.import('./m.wasm', { phase: 'source' })) as WebAssembly.Module;
  assert.ok(source instanceof WebAssembly.Module);
  assert.equal(registry.get(s.url('m.wasm'))!.status, 'loaded', 'the source phase does not link or evaluate');
  assert.deepEqual(analyzeWasm(source).imports, [{ specifier: './env.mjs', phase: null, attributes: null }]);
  const fromSource = (await registry.import(source)) as { next(): number; base(): number };
  const fromURL = await registry.import('./m.wasm');
  assert.equal(fromSource, fromURL);
  assert.deepEqual(registry.dependenciesOf(s.url('m.wasm')).map((d) => [d.specifier, d.key]), [['./env.mjs', s.url('env.mjs')]]);
  assert.equal(fromSource.base(), 40);
  assert.equal(fromSource.next(), 1);
  assert.ok(namespaceInstance(fromSource) instanceof WebAssembly.Instance);
  assert.equal(registry.entries().filter((e) => e.key === s.url('m.wasm')).length, 1);
  // A source with other bytes under the same URL is a new, non-canonical instance.
  const other = compileWasmSource(wat2wasm(COUNTER_WAT), { url: s.url('m.wasm') });
  const ns2 = (await registry.import(other)) as { next(): number };
  assert.notEqual(ns2, fromURL);
  assert.equal(ns2.next(), 1);
  assert.equal(registry.entries().filter((e) => e.key === s.url('m.wasm') && !e.canonical).length, 1);
});

test('importing a module object before its URL makes it the canonical instance', async () => {
  const s = scratch({ 'm.wat': COUNTER_WAT });
  const source = compileWasmSource(readFileSync(join(s.dir, 'm.wasm')), { url: s.url('m.wasm') });
  const registry = new Registry({ baseURL: s.url('') });
  const ns = (await registry.import(source)) as { next(): number };
  assert.equal(ns.next(), 1);
  assert.equal(await registry.import('./m.wasm'), ns);
});

test('a LinkError at evaluation: a WasmLinkError naming the module, the field and the Wasm URL; the registry stays consistent; a retry after the fix works', async () => {
  const s = scratch({
    'm.wat': '(module (import "./env.mjs" "log" (func $log (param i32))) (func (export "run") (call $log (i32.const 3))))',
    'env.mjs': 'export const log = 42;',
    'main.mjs': 'import { run } from "./m.wasm"; export const ran = (run(), "ran");',
  });
  const registry = new Registry({ baseURL: s.url('') });
  const error = await registry.import('./main.mjs').then(() => assert.fail('no error'), (e: unknown) => e);
  assert.ok(error instanceof WasmLinkError);
  assert.ok(error instanceof WebAssembly.LinkError);
  assert.equal(error.name, 'LinkError');
  assert.equal(error.code, 'ERR_CANON_WASM_LINK');
  assert.equal(error.url, s.url('m.wasm'));
  assert.equal(error.specifier, './env.mjs');
  assert.equal(error.importName, 'log');
  assert.equal(error.importKind, 'function');
  assert.match(error.message, /"log" of "\.\/env\.mjs"/);
  assert.ok(error.message.includes(s.url('m.wasm')));
  const status = Object.fromEntries(registry.entries().map((e) => [e.key.slice(s.url('').length), e.status]));
  assert.deepEqual(status, { 'main.mjs': 'errored', 'm.wasm': 'errored', 'env.mjs': 'evaluated' });
  assert.equal(registry.get(s.url('m.wasm'))!.error, error);
  // The same error again, until the cause is fixed and the entries dropped.
  await assert.rejects(registry.import('./m.wasm'), (e) => e === error);
  s.write('env.mjs', 'export let last; export function log(n) { last = n; }');
  for (const name of ['env.mjs', 'm.wasm', 'main.mjs']) registry.delete(s.url(name));
  const main = (await registry.import('./main.mjs')) as { ran: string };
  assert.equal(main.ran, 'ran');
  assert.equal(((await registry.import('./env.mjs')) as { last: number }).last, 3);
  assert.ok(registry.entries().every((e) => e.status === 'evaluated'));
});

test('memory, table and tag imports: a wrong object is a WasmLinkError with url, specifier, importName and importKind (brand checks, not typeof)', async () => {
  // Objects that look like the real ones (a buffer, a length, the right prototype) must still be refused:
  // only the engine's brand decides, or the engine's own LinkError escapes with none of these fields.
  const cases: { kind: string; wat: string; values: string[] }[] = [
    { kind: 'memory', wat: '(memory 1)', values: ['{}', '{ buffer: new ArrayBuffer(65536), grow() {} }', 'Object.create(WebAssembly.Memory.prototype)', 'new WebAssembly.Table({ initial: 1, element: "anyfunc" })'] },
    { kind: 'table', wat: '(table 1 funcref)', values: ['{}', '{ length: 1, get() {}, set() {}, grow() {} }', 'Object.create(WebAssembly.Table.prototype)', 'new WebAssembly.Memory({ initial: 1 })'] },
    ...(typeof (WebAssembly as { Tag?: unknown }).Tag === 'function'
      ? [{ kind: 'tag', wat: '(tag (param i32))', values: ['{}', 'Object.create(WebAssembly.Tag.prototype)', 'new WebAssembly.Memory({ initial: 1 })'] }]
      : []),
  ];
  let checked = 0;
  for (const { kind, wat, values } of cases) {
    for (const value of values) {
      const s = scratch({ 'm.wat': `(module (import "./env.mjs" "thing" ${wat}))`, 'env.mjs': `export const thing = ${value};` });
      const registry = new Registry({ baseURL: s.url('') });
      const error = await registry.import('./m.wasm').then(() => assert.fail(`${kind} ${value}: no error`), (e: unknown) => e);
      assert.ok(error instanceof WasmLinkError, `${kind} given ${value}: ${String(error)}`);
      assert.deepEqual([error.url, error.specifier, error.importName, error.importKind], [s.url('m.wasm'), './env.mjs', 'thing', kind], `${kind} given ${value}`);
      assert.match(error.message, new RegExp(`The ${kind} import "thing" of "\\./env\\.mjs"`));
      checked++;
    }
    // The real object links.
    const real = kind === 'memory' ? 'new WebAssembly.Memory({ initial: 1 })' : kind === 'table' ? 'new WebAssembly.Table({ initial: 1, element: "anyfunc" })' : 'new WebAssembly.Tag({ parameters: ["i32"] })';
    const s = scratch({ 'm.wat': `(module (import "./env.mjs" "thing" ${wat}))`, 'env.mjs': `export const thing = ${real};` });
    await new Registry({ baseURL: s.url('') }).import('./m.wasm');
  }
  assert.ok(checked >= 8);
});

test('a missing export is a ModuleLinkError (a SyntaxError) at link time: nothing runs; a retry after the fix works', async () => {
  const s = scratch({
    'm.wat': '(module (import "./env.mjs" "missing" (func)))',
    'env.mjs': 'globalThis.__canonEnvRan = true; export function present() {}',
  });
  const registry = new Registry({ baseURL: s.url('') });
  const error = await registry.import('./m.wasm').then(() => assert.fail('no error'), (e: unknown) => e);
  assert.ok(error instanceof ModuleLinkError);
  assert.ok(error instanceof SyntaxError);
  assert.equal(error.specifier, './env.mjs');
  assert.equal(error.referrer, s.url('m.wasm'));
  assert.match(error.message, /missing/);
  assert.equal((globalThis as { __canonEnvRan?: boolean }).__canonEnvRan, undefined);
  const status = Object.fromEntries(registry.entries().map((e) => [e.key.slice(s.url('').length), e.status]));
  assert.equal(status['m.wasm'], 'errored');
  assert.notEqual(status['env.mjs'], 'evaluated');
  assert.ok(!registry.entries().some((e) => e.status === 'linking'), 'no half-linked entries');
  s.write('env.mjs', 'export function missing() {}');
  registry.delete(s.url('env.mjs'));
  registry.delete(s.url('m.wasm'));
  assert.deepEqual(Object.keys((await registry.import('./m.wasm')) as object), []);
});

test('reserved names are LinkErrors when the module is parsed (both phases); a retry after the fix works', async () => {
  const s = scratch({ 'm.wat': '(module (func (export "wasm:f")))' });
  const registry = new Registry({ baseURL: s.url('') });
  const error = await registry.import('./m.wasm').then(() => assert.fail('no error'), (e: unknown) => e);
  assert.ok(error instanceof WasmLinkError);
  assert.equal(error.exportName, 'wasm:f');
  assert.equal(error.url, s.url('m.wasm'));
  assert.equal(registry.get(s.url('m.wasm'))!.status, 'errored');
  await assert.rejects(registry.import('./m.wasm', { phase: 'source' }), (e) => e === error);
  s.write('m.wat', '(module (func (export "f")))');
  registry.delete(s.url('m.wasm'));
  assert.deepEqual(Object.keys((await registry.import('./m.wasm')) as object), ['f']);
  // Import module names starting with "wasm-js:", import names with either prefix.
  for (const [wat, field] of [
    ['(module (import "wasm-js:x" "f" (func)))', 'f'],
    ['(module (import "./x.mjs" "wasm-js:f" (func)))', 'wasm-js:f'],
    ['(module (import "./x.mjs" "wasm:f" (func)))', 'wasm:f'],
  ] as const) {
    const module = compileWasmSource(wat2wasm(wat));
    await assert.rejects(new Registry().import(module), (e: unknown) => e instanceof WasmLinkError && e.importName === field);
  }
});

test('other import errors are of specific classes: a value a global cannot take, an uninitialised binding, a Wasm cycle', async () => {
  const s = scratch({
    'i64.wat': '(module (import "./env.mjs" "five" (global i64)))',
    'env.mjs': 'export const five = 5;',
    'tdz.mjs': 'import "./tdz.wasm"; export const late = 1;',
    'tdz.wat': '(module (import "./tdz.mjs" "late" (global i32)))',
    'a.wat': '(module (import "./b.wasm" "g" (func)) (func (export "f")))',
    'b.wat': '(module (import "./a.wasm" "f" (func)) (func (export "g")))',
  });
  const registry = new Registry({ baseURL: s.url('') });
  await assert.rejects(registry.import('./i64.wasm'), (e: unknown) =>
    e instanceof WasmImportValueError && e instanceof TypeError && e.importName === 'five' && e.url === s.url('i64.wasm'));
  await assert.rejects(registry.import('./tdz.mjs'), (e: unknown) =>
    e instanceof WasmImportReferenceError && e instanceof ReferenceError && e.importName === 'late' && e.specifier === './tdz.mjs');
  await assert.rejects(registry.import('./a.wasm'), (e: unknown) =>
    e instanceof WasmLinkError && e.url === s.url('b.wasm') && e.message.includes(s.url('a.wasm')) && /not instantiated yet/.test(e.message));
});

test('a type mismatch found by the engine is a WasmLinkError naming the module, with the engine error as cause', async () => {
  const s = scratch({
    'owner.wat': '(module (func (export "f") (param i32)))',
    'm.wat': '(module (import "./owner.wasm" "f" (func (param f64))))',
  });
  const error = await new Registry({ baseURL: s.url('') }).import('./m.wasm').then(() => assert.fail('no error'), (e: unknown) => e);
  assert.ok(error instanceof WasmLinkError);
  assert.equal(error.url, s.url('m.wasm'));
  assert.ok(error.cause instanceof WebAssembly.LinkError);
  // The engine's message names the import (its format differs between V8 versions).
  assert.match(error.message, /\.\/owner\.wasm.*\bf\b/);
});

test('a start function trap errors the Wasm entry with the RuntimeError; a retry after the fix works', async () => {
  const s = scratch({ 'm.wat': '(module (func $s unreachable) (start $s))' });
  const registry = new Registry({ baseURL: s.url('') });
  const error = await registry.import('./m.wasm').then(() => assert.fail('no error'), (e: unknown) => e);
  assert.ok(error instanceof WebAssembly.RuntimeError);
  assert.equal(registry.get(s.url('m.wasm'))!.status, 'errored');
  s.write('m.wat', '(module (func $s) (start $s))');
  registry.delete(s.url('m.wasm'));
  await registry.import('./m.wasm');
  assert.equal(registry.get(s.url('m.wasm'))!.status, 'evaluated');
});

test('a load hook may hand in Wasm bytes for any URL: detected by the \\0asm magic', async () => {
  const bytes = wat2wasm('(module (import "./env.mjs" "k" (global $k i32)) (func (export "k") (result i32) (global.get $k)))');
  const registry = new Registry({
    baseURL: 'memory:/app/',
    hooks: {
      load: (url) => (url.endsWith('/lib') ? bytes : url.endsWith('/env.mjs') ? 'export const k = 11;' : 'export const main = 1;'),
    },
  });
  const ns = (await registry.import('memory:/app/lib')) as { k(): number };
  assert.equal(ns.k(), 11);
  assert.equal(registry.get('memory:/app/lib')!.kind, 'wasm');
});

test('the binary reader: global types of imports and exports', () => {
  const bytes = wat2wasm(`(module
    (import "m" "a" (global i32))
    (import "m" "b" (global (mut i64)))
    (import "m" "f" (func))
    (import "m" "c" (global funcref))
    (global (export "v") v128 (v128.const i64x2 1 2))
    (global (export "r") (mut externref) (ref.null extern))
    (global (export "x") f64 (f64.const 1.5))
    (export "b" (global 1)))`);
  const iface = readBinaryInterface(bytes)!;
  assert.deepEqual(iface.imports.map((i) => [i.name, i.kind, i.global]), [
    ['a', 'global', { value: 'i32', mutable: false }],
    ['b', 'global', { value: 'i64', mutable: true }],
    ['f', 'function', undefined],
    ['c', 'global', { value: 'funcref', mutable: false }],
  ]);
  assert.deepEqual(iface.exports.map((e) => [e.name, e.kind, e.global]), [
    ['v', 'global', { value: 'v128', mutable: false }],
    ['r', 'global', { value: 'externref', mutable: true }],
    ['x', 'global', { value: 'f64', mutable: false }],
    ['b', 'global', { value: 'i64', mutable: true }],
  ]);
  assert.equal(readBinaryInterface(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 2, 5, 1])), undefined, 'a truncated section');
});

test('the facade: one import declaration per request, each binding once, string export names', () => {
  const module = compileWasmSource(wat2wasm(`(module
    (import "./b.mjs" "x" (func))
    (import "./a.mjs" "y \\"quoted\\"" (global i32))
    (import "./b.mjs" "x" (func (param i32)))
    (import "wasm:js-string" "length" (func (param externref) (result i32)))
    (global (export "g") (mut i32) (i32.const 0))
    (func (export "not an identifier")))`), { url: 'file:///facade.wasm' });
  const iface = wasmInterface(module);
  assert.deepEqual(iface.requests, ['./b.mjs', './a.mjs']);
  // Compiled with builtins: ['js-string'], an engine that has them (Node 26) leaves the builtin out of the imports; elsewhere the facade supplies it.
  const engineBuiltins = WebAssembly.Module.imports(module).length === 3;
  assert.deepEqual(iface.imports.map((i) => [i.binding, i.builtin]), [[0, false], [1, false], [0, false], ...(engineBuiltins ? [] : [[-1, true]])]);
  assert.equal(engineBuiltins, Number(process.versions.node.split('.')[0]) >= 24);
  assert.equal(facadeText(iface), [
    'import { "x" as i0 } from "./b.mjs";',
    'import { "y \\"quoted\\"" as i1 } from "./a.mjs";',
    'const w = import.meta.wasm;',
    'const v = w.execute([() => i0, () => i1]);',
    'let e0 = v[0], e1 = v[1];',
    'export { e0 as "g", e1 as "not an identifier" };',
    'w.live((i, x) => { switch (i) { case 0: e0 = x; break; } });',
    '',
  ].join('\n'));
});

test('examples/wasm-core: canon runs its own Wasm core as a Wasm ES module, and the hashes agree with canon-modules/core', async () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const r = await runAsync(process.execPath, [...FLAGS, cli, 'run', '--import-map', 'examples/wasm-core/importmap.json', 'examples/wasm-core/main.js'], root);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^canon's core as a Wasm ES module: \d+ exports/);
  assert.equal(lines.filter((l) => l.endsWith('(= canon-modules/core hash64)')).length, 6, r.stdout);
  assert.equal(lines.at(-1), 'XXH64 reference for "" matches: true');
});
