// Module sources: the intrinsic's shape (against Node 26's native one), the
// JS and Wasm source kinds, bad input, equality and cloning.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import wabtInit from 'wabt';
import {
  AbstractModuleSource, ModuleSource, compileWasmSource, deserializeSource, hasNativeAbstractModuleSource,
  installGlobals, serializeSource, sourceHash, sourceInfo, sourcesEqual, uninstallGlobals,
} from '../ts-host/sources/index.js';
import { createModuleSource } from '../ts-host/sources/module-source.js';
import { ModuleSyntaxError, WasmCompileError } from '../ts-host/errors.js';
import { node26 } from './support/node26.js';

const wabt = await wabtInit();
const wat = (text: string) => new Uint8Array(wabt.parseWat('m.wat', text, {}).toBinary({}).buffer);
const describeScript = fileURLToPath(new URL('../../tests/support/describe-intrinsic.mjs', import.meta.url));
const sourcesIndex = new URL('../ts-host/sources/index.js', import.meta.url).href;
const nativeMajor = Number(process.versions.node.split('.')[0]);

function describeOn(nodeBinary: string) {
  const r = spawnSync(nodeBinary, [describeScript, sourcesIndex], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('the intrinsic has the spec shape, descriptor for descriptor, and matches Node 26 native', () => {
  const here = describeOn(process.execPath);
  const native = describeOn(node26());
  assert.equal(native.native, true, 'Node 26 has a native %AbstractModuleSource%');
  assert.equal(here.native, nativeMajor >= 24);
  const { native: _a, ...ours } = here;
  const { native: _b, ...theirs } = native;
  assert.deepEqual(ours, theirs);
  assert.deepEqual(ours.constructor, {
    length: { configurable: true, enumerable: false, value: 0, writable: false },
    name: { configurable: true, enumerable: false, value: 'AbstractModuleSource', writable: false },
    prototype: { configurable: false, enumerable: false, value: '%AbstractModuleSource.prototype%', writable: false },
  });
  assert.deepEqual(ours.prototype, {
    constructor: { configurable: true, enumerable: false, value: 'function AbstractModuleSource/0', writable: true },
    // `set: undefined` is there too; JSON drops it.
    'Symbol(Symbol.toStringTag)': { configurable: true, enumerable: false, get: 'function get [Symbol.toStringTag]/0' },
  });
  assert.equal(ours.call, 'TypeError');
  assert.equal(ours.construct, 'TypeError');
  assert.equal(ours.subclassConstruct, 'TypeError');
  assert.deepEqual(ours.tagOfForeign, [null, null, null, null, null, null], 'undefined (JSON null) for everything but a source');
  assert.equal(ours.tagOfWasm, 'WebAssembly.Module');
});

test('canon exports the host intrinsic where there is one', () => {
  const parent = Object.getPrototypeOf(WebAssembly.Module);
  assert.equal(AbstractModuleSource === parent, hasNativeAbstractModuleSource);
  assert.equal(hasNativeAbstractModuleSource, nativeMajor >= 24);
});

test('installGlobals re-parents WebAssembly.Module where needed, defines ModuleSource, and is reversible', () => {
  const wasm = compileWasmSource(wat('(module)'));
  const before = wasm instanceof (AbstractModuleSource as unknown as Function);
  assert.equal(before, hasNativeAbstractModuleSource);
  installGlobals();
  installGlobals();
  assert.ok(wasm instanceof (AbstractModuleSource as unknown as Function));
  assert.equal((globalThis as { ModuleSource?: unknown }).ModuleSource, ModuleSource);
  assert.equal(Object.getOwnPropertyDescriptor(globalThis, 'ModuleSource')!.enumerable, false);
  assert.equal(typeof (WebAssembly as { namespaceInstance?: unknown }).namespaceInstance, 'function');
  assert.equal(Object.prototype.toString.call(wasm), '[object WebAssembly.Module]');
  uninstallGlobals();
  uninstallGlobals();
  assert.equal(wasm instanceof (AbstractModuleSource as unknown as Function), before);
  assert.equal('ModuleSource' in globalThis, false);
  assert.equal('namespaceInstance' in WebAssembly, false, 'uninstalled again (no host has it natively yet)');
});

test('ModuleSource: not constructible by users, inherits the intrinsic, tags itself', () => {
  assert.throws(() => new (ModuleSource as unknown as new () => object)(), TypeError);
  assert.throws(() => (ModuleSource as unknown as () => object)(), TypeError);
  const source = ModuleSource.fromText('export const x = 1;');
  assert.ok(source instanceof (AbstractModuleSource as unknown as Function));
  assert.equal(Object.getPrototypeOf(ModuleSource), AbstractModuleSource);
  assert.equal(Object.prototype.toString.call(source), '[object ModuleSource]');
  assert.equal((source as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag], 'ModuleSource');
  const get = Object.getOwnPropertyDescriptor(AbstractModuleSource.prototype, Symbol.toStringTag)!.get!;
  // A native getter only knows the engine's own sources (documented in the README).
  assert.equal(get.call(source), hasNativeAbstractModuleSource ? undefined : 'ModuleSource');
  assert.ok(Object.isFrozen(source));
  assert.throws(() => ModuleSource.prototype.imports.call({}), TypeError, 'methods brand-check their receiver');
});

test('ModuleSource analysis is exposed and copies are fresh', () => {
  const source = ModuleSource.fromText(
    'import a from "./a.js";\nimport source w from "./w.wasm";\nexport { a };\nexport const b = import.meta.url;\nawait 0;\n',
  );
  const imports = source.imports();
  assert.deepEqual(imports, [
    { specifier: './a.js', phase: null, attributes: null },
    { specifier: './w.wasm', phase: 'source', attributes: null },
  ]);
  imports[0]!.specifier = 'changed';
  assert.equal(source.imports()[0]!.specifier, './a.js');
  assert.deepEqual(source.exports(), [
    { type: 'direct', names: ['b'] },
    { type: 'reexport', name: 'a', import: 'default', from: './a.js' },
  ]);
  assert.equal(source.importMeta, true);
  assert.equal(source.hasTopLevelAwait, true);
});

test('eval-ish sources get unique eval ids; rooted sources are keyed by URL and attributes', () => {
  const a = ModuleSource.fromText('export {}', { baseURL: 'file:///app/' });
  const b = ModuleSource.fromText('export {}');
  const ia = sourceInfo(a);
  const ib = sourceInfo(b);
  assert.match(ia.key, /^eval:/);
  assert.notEqual(ia.key, ib.key);
  assert.equal(ia.url, undefined);
  assert.equal(ia.baseURL, 'file:///app/');
  const rooted = createModuleSource('export {}', { url: 'file:///app/x.js', attributes: { type: 'js', a: 'b' } });
  const info = sourceInfo(rooted);
  assert.equal(info.key, 'file:///app/x.js');
  assert.deepEqual(Object.keys(info.attributes), ['a', 'type'], 'attributes are sorted');
  assert.ok(Object.isFrozen(info.attributes));
  assert.throws(() => createModuleSource('', { url: 'file:///x.js', attributes: { type: 1 } }), { name: 'TypeError', message: /"type" must be a string/ });
});

test('unlexable JS is a ModuleSyntaxError with URL, line and column; no source escapes', () => {
  const text = 'export const a = 1;\nconst s = `unterminated\n';
  let caught: unknown;
  try {
    createModuleSource(text, { url: 'file:///app/bad.js', attributes: undefined });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ModuleSyntaxError);
  assert.ok(caught instanceof SyntaxError);
  assert.equal(caught.url, 'file:///app/bad.js');
  // As node reports it: "Unexpected end of input" on the line after the last newline.
  assert.equal(caught.line, 3, 'the unterminated template runs to the end of the text');
  assert.equal(caught.column, 1);
  assert.match(caught.message, /file:\/\/\/app\/bad\.js:3:1/);
  assert.throws(() => ModuleSource.fromText(42 as unknown as string), TypeError);
  assert.throws(() => ModuleSource.fromText('import {'), ModuleSyntaxError);
});

test('Wasm sources: compiled through one function, metadata in a WeakMap, errors wrapped with the URL', () => {
  const bytes = wat('(module (func (export "f") (result i32) i32.const 7))');
  const module = compileWasmSource(bytes, { url: 'file:///app/f.wasm' });
  assert.ok(module instanceof WebAssembly.Module);
  assert.deepEqual(Object.keys(module), [], 'no properties are added to the module');
  const info = sourceInfo(module);
  assert.equal(info.kind, 'WebAssembly.Module');
  assert.equal(info.key, 'file:///app/f.wasm');
  assert.equal(typeof info.hash, 'bigint');
  bytes[bytes.length - 1] ^= 0xff;
  assert.equal(sourceHash(module), info.hash, 'the source kept its own copy of the bytes');

  let caught: unknown;
  try {
    compileWasmSource(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]), { url: 'file:///app/broken.wasm' });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof WasmCompileError);
  assert.ok(caught instanceof WebAssembly.CompileError);
  assert.match(caught.message, /file:\/\/\/app\/broken\.wasm/);
  assert.ok((caught as { cause?: unknown }).cause instanceof WebAssembly.CompileError);
  assert.throws(() => compileWasmSource('not bytes' as unknown as Uint8Array), { name: 'TypeError', message: /expected bytes/ });
  assert.throws(() => sourceHash(new WebAssembly.Module(wat('(module)'))), { name: 'TypeError', message: /compiled outside canon/ });
  assert.throws(() => sourceInfo({} as WebAssembly.Module), { name: 'TypeError', message: /expected a module source/ });
});

test('sourcesEqual: by hash, then exactly; metadata is not content', () => {
  const a = createModuleSource('export const x = 1;', { url: 'file:///a.js', attributes: undefined });
  const b = ModuleSource.fromText('export const x = 1;');
  const c = ModuleSource.fromText('export const x = 2;');
  assert.equal(sourcesEqual(a, b), true);
  assert.equal(sourceHash(a), sourceHash(b));
  assert.equal(sourcesEqual(a, c), false);
  assert.notEqual(sourceHash(a), sourceHash(c));
  const w1 = compileWasmSource(wat('(module (func (export "f")))'));
  const w2 = compileWasmSource(wat('(module (func (export "f")))'), { url: 'file:///w.wasm' });
  const w3 = compileWasmSource(wat('(module (func (export "g")))'));
  assert.equal(sourcesEqual(w1, w2), true);
  assert.equal(sourcesEqual(w1, w3), false);
  assert.equal(sourcesEqual(a, w1), false);
  const foreign = new WebAssembly.Module(wat('(module (func (export "f")))'));
  assert.equal(sourcesEqual(foreign, foreign), true);
  assert.equal(sourcesEqual(foreign, w1), false);
  assert.throws(() => sourcesEqual(a, {} as ModuleSource), TypeError);
});

test('cloning: rooted sources keep key and content; eval-ish ones get a fresh eval id each time', () => {
  const rooted = createModuleSource('export default 1;', { url: 'file:///app/r.js', attributes: { type: 'x' } });
  const back = deserializeSource(structuredClone(serializeSource(rooted)));
  assert.deepEqual({ ...sourceInfo(back), hash: 0 }, { ...sourceInfo(rooted), hash: 0 });
  assert.equal(sourcesEqual(back, rooted), true);
  assert.notEqual(back, rooted);

  const evalish = ModuleSource.fromText('export default 2;', { baseURL: 'file:///base/' });
  const record = serializeSource(evalish);
  const one = sourceInfo(deserializeSource(structuredClone(record)));
  const two = sourceInfo(deserializeSource(structuredClone(record)));
  assert.notEqual(one.key, sourceInfo(evalish).key);
  assert.notEqual(one.key, two.key);
  assert.equal(one.baseURL, 'file:///base/');

  const wasm = compileWasmSource(wat('(module (func (export "f")))'), { url: 'file:///app/f.wasm' });
  const wasmBack = deserializeSource(structuredClone(serializeSource(wasm)));
  assert.ok(wasmBack instanceof WebAssembly.Module);
  assert.equal(sourcesEqual(wasmBack, wasm), true);
  assert.equal(sourceInfo(wasmBack).key, 'file:///app/f.wasm');

  assert.throws(() => deserializeSource({} as never), { name: 'TypeError', message: /not a serialized module source/ });
  assert.throws(() => deserializeSource({ canon: 'module-source/1', kind: 'ModuleSource', attributes: {} }), TypeError);
});

test('cloning through worker_threads postMessage', async () => {
  const rooted = createModuleSource('export const v = "rooted";', { url: 'file:///app/w.js', attributes: undefined });
  const evalish = ModuleSource.fromText('export const v = "eval";');
  const wasm = compileWasmSource(wat('(module (global (export "g") i32 (i32.const 5)))'), { url: 'file:///app/g.wasm' });
  const worker = new Worker(
    `
    const { parentPort } = require('node:worker_threads');
    parentPort.once('message', async ({ index, records }) => {
      const s = await import(index);
      const out = records.map((r) => {
        const source = s.deserializeSource(r);
        const info = s.sourceInfo(source);
        return { key: info.key, kind: info.kind, hash: info.hash.toString(16), clone: s.serializeSource(source) };
      });
      parentPort.postMessage(out);
    });`,
    { eval: true },
  );
  const records = [rooted, evalish, wasm].map(serializeSource);
  worker.postMessage({ index: sourcesIndex, records });
  const [r, e, w] = await new Promise<{ key: string; kind: string; hash: string; clone: ReturnType<typeof serializeSource> }[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(r!.key, 'file:///app/w.js');
  assert.equal(r!.kind, 'ModuleSource');
  assert.equal(sourcesEqual(deserializeSource(r!.clone), rooted), true);
  assert.match(e!.key, /^eval:/);
  assert.notEqual(e!.key, sourceInfo(evalish).key, 'the worker gave the eval-ish source a fresh eval id');
  assert.equal(w!.kind, 'WebAssembly.Module');
  assert.equal(w!.key, 'file:///app/g.wasm');
  assert.equal(sourcesEqual(deserializeSource(w!.clone), wasm), true);
});

test('Node 26 native `import source` of a .wasm agrees with canon on kind, tag and prototype chain', () => {
  const dir = fileURLToPath(new URL('../../tests/fixtures/sources/', import.meta.url));
  const script = `
    import source native from './empty.wasm';
    const AMS = Object.getPrototypeOf(WebAssembly.Module);
    const { compileWasmSource, AbstractModuleSource } = await import(${JSON.stringify(sourcesIndex)});
    const { readFileSync } = await import('node:fs');
    const ours = compileWasmSource(readFileSync(new URL('./empty.wasm', import.meta.url)));
    const describe = (m) => [m instanceof WebAssembly.Module, m instanceof AMS, m instanceof AbstractModuleSource,
      Object.prototype.toString.call(m), m[Symbol.toStringTag], Object.getPrototypeOf(m) === WebAssembly.Module.prototype];
    console.log(JSON.stringify({ native: describe(native), ours: describe(ours) }));
  `;
  const r = spawnSync(node26(), ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { native, ours } = JSON.parse(r.stdout);
  assert.deepEqual(ours, native);
  assert.deepEqual(native, [true, true, true, '[object WebAssembly.Module]', 'WebAssembly.Module', true]);
});
