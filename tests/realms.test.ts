// Realms: new Registry({ context }) evaluates its modules in a vm.Context
// with its own globals and intrinsics. Checked against the realm's own
// objects (read with vm.runInContext), never against canon's: arrays, JSON,
// CommonJS exports, Wasm instances and module sources are the realm's, and
// import(source) of another realm's source is the proposal's TypeError
// (EvaluateImportCall: "If module.[[Realm]] is not the current Realm Record").

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { after, test } from 'node:test';
import wabtInit from 'wabt';
import { AbstractModuleSource, ModuleSource, Registry, compileWasmSource, serializeSource } from '../ts-host/index.js';

const wabt = await wabtInit();
const scratch = mkdtempSync(join(tmpdir(), 'canon-realms-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const base = pathToFileURL(scratch + '/').href;
const url = (name: string) => new URL(name, base).href;
function write(name: string, content: string | Uint8Array): void {
  mkdirSync(join(scratch, name, '..'), { recursive: true });
  writeFileSync(join(scratch, name), content);
}
function wat2wasm(text: string): Uint8Array {
  const module = wabt.parseWat('m.wat', text);
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** A fresh realm, a registry on it, and a reader of the realm's own globals. */
function realm(globals: Record<string, unknown> = {}, options: ConstructorParameters<typeof Registry>[0] = {}) {
  const context = vm.createContext({ ...globals });
  const registry = new Registry({ baseURL: base, context, ...options });
  const own = <T = unknown>(expression: string) => vm.runInContext(expression, context) as T;
  return { context, registry, own };
}

write('globals.mjs', "export const marker = globalThis.marker;\nexport const list = [1, 2];\nexport const object = { a: 1 };\nglobalThis.wroteByModule = true;\nexport const sameGlobal = globalThis === (0, eval)('this');\n");
write('dep.mjs', "export const dep = 'dep';\n");
write('phases.mjs', "import source s from './dep.mjs';\nimport './dep.mjs';\nexport { s };\nexport const dynamic = () => import.source('./dep.mjs');\nexport const importOf = (x) => import(x).then((ns) => ns, (e) => e);\n");
write('data.json', '{ "list": [1], "nested": { "x": true } }');
write('json.mjs', "import data from './data.json' with { type: 'json' };\nexport { data };\n");
write('bytes.mjs', "import b from './data.json' with { type: 'bytes' };\nexport { b };\n");
write('lib.cjs', "exports.marker = globalThis.marker;\nexports.list = [];\nexports.original = exports;\n");
write('cjs.mjs', "import lib from './lib.cjs';\nimport { createRequire } from 'node:module';\nexport { lib };\n");
write('m.wasm', wat2wasm(`(module
  (import "./env.mjs" "scale" (global $s i32))
  (memory (export "memory") 1)
  (func (export "scaled") (param i32) (result i32) (i32.mul (local.get 0) (global.get $s))))`));
write('env.mjs', "export const scale = new WebAssembly.Global({ value: 'i32' }, 3);\n");
write('wasm.mjs', "import source m from './m.wasm';\nimport { scaled, memory } from './m.wasm';\nexport { m, scaled, memory };\n");

test('a realm whose globals differ: modules see the context\'s globals and make its objects; Node\'s globals are untouched', async () => {
  const { registry, own, context } = realm({ marker: 'realm A' });
  const ns = (await registry.import('./globals.mjs')) as { marker: string; list: number[]; object: object; sameGlobal: boolean };
  assert.equal(ns.marker, 'realm A');
  assert.equal(ns.sameGlobal, true);
  assert.equal(Object.getPrototypeOf(ns.list), own('Array.prototype'));
  assert.equal(Object.getPrototypeOf(ns.object), own('Object.prototype'));
  assert.equal(ns.list instanceof Array, false, "not Node's Array");
  assert.equal((context as { wroteByModule?: boolean }).wroteByModule, true);
  assert.equal((globalThis as { wroteByModule?: boolean }).wroteByModule, undefined);
  // A second realm is apart from the first.
  const other = realm({ marker: 'realm B' });
  const nsB = (await other.registry.import('./globals.mjs')) as { marker: string; list: unknown[] };
  assert.equal(nsB.marker, 'realm B');
  assert.notEqual(Object.getPrototypeOf(nsB.list), Object.getPrototypeOf(ns.list));
  assert.equal(registry.context, context);
  assert.equal(new Registry().context, undefined);
});

test("AbstractModuleSource and ModuleSource are the realm's own intrinsics", async () => {
  const { registry, own } = realm();
  const RealmModuleSource = own<typeof ModuleSource>('ModuleSource');
  const RealmAbstract = own<typeof ModuleSource>('Object.getPrototypeOf(ModuleSource)');
  assert.equal(typeof RealmModuleSource, 'function', 'ModuleSource is a global of the realm');
  assert.notEqual(RealmModuleSource, ModuleSource);
  assert.notEqual(RealmAbstract, AbstractModuleSource);
  assert.equal(Object.getPrototypeOf(RealmModuleSource.prototype), RealmAbstract.prototype);
  assert.equal(Object.getPrototypeOf(RealmAbstract.prototype), own('Object.prototype'));
  assert.equal(Object.getPrototypeOf(RealmAbstract), own('Function.prototype'));
  // Wasm sources share the realm's AbstractModuleSource, as in Node's realm.
  assert.equal(own('Object.getPrototypeOf(WebAssembly.Module)'), RealmAbstract);
  assert.equal(own('(() => { try { new ModuleSource(); } catch (e) { return e instanceof TypeError; } })()'), true);
  assert.equal(own('(() => { try { new (Object.getPrototypeOf(ModuleSource))(); } catch (e) { return e instanceof TypeError; } })()'), true);

  const ns = (await registry.import('./phases.mjs')) as { s: ModuleSource; dynamic: () => Promise<ModuleSource> };
  for (const source of [ns.s, await ns.dynamic(), (await registry.import('./dep.mjs', { phase: 'source' })) as ModuleSource]) {
    assert.equal(Object.getPrototypeOf(source), RealmModuleSource.prototype);
    assert.equal(source instanceof RealmAbstract, true);
    assert.equal(source instanceof ModuleSource, false, "not Node's realm's ModuleSource");
    assert.equal(Object.prototype.toString.call(source), '[object ModuleSource]');
    // The realm's methods answer with the realm's arrays; canon's own methods read the same state.
    const imports = source.imports();
    assert.equal(Object.getPrototypeOf(imports), own('Array.prototype'));
    assert.deepEqual([...ModuleSource.prototype.exports.call(source)], [{ type: 'direct', names: ['dep'] }]);
    assert.deepEqual(JSON.parse(JSON.stringify(source.exports())), [{ type: 'direct', names: ['dep'] }]);
    assert.equal(source.importMeta, false);
  }
  assert.equal(ns.s, await ns.dynamic(), 'one source object per entry');
  // The realm's methods refuse other objects with the realm's TypeError.
  assert.equal(own('(() => { try { ModuleSource.prototype.imports.call({}); } catch (e) { return e instanceof TypeError; } })()'), true);
  // ModuleSource.fromText in the realm makes the realm's eval-ish source, importable there.
  const made = own<ModuleSource>('ModuleSource.fromText("export default 40 + 2")');
  assert.equal(Object.getPrototypeOf(made), RealmModuleSource.prototype);
  assert.equal(((await registry.import(made)) as { default: number }).default, 42);
});

test("Wasm in a realm: its sources are the realm's WebAssembly.Modules, its instances the realm's objects, its imports the realm's Globals", async () => {
  const { registry, own } = realm();
  const ns = (await registry.import('./wasm.mjs')) as { m: WebAssembly.Module; scaled: (n: number) => number; memory: WebAssembly.Memory };
  assert.equal(ns.scaled(5), 15, "the realm's WebAssembly.Global imported by brand, not by Node's instanceof");
  assert.equal(Object.getPrototypeOf(ns.m), own('WebAssembly.Module.prototype'));
  assert.equal(ns.m instanceof WebAssembly.Module, false);
  assert.equal(Object.getPrototypeOf(ns.memory), own('WebAssembly.Memory.prototype'));
  assert.equal(Object.getPrototypeOf(ns.scaled), own('Function.prototype'));
  assert.equal(own<typeof WebAssembly>('WebAssembly').Module.exports(ns.m).length, 2);
});

test('JSON, bytes and CommonJS modules in a realm give the realm\'s objects; CommonJS sees its globals', async () => {
  const { registry, own } = realm({ marker: 'cjs realm' });
  const json = (await registry.import('./json.mjs')) as { data: { list: unknown[]; nested: object } };
  assert.equal(Object.getPrototypeOf(json.data), own('Object.prototype'));
  assert.equal(Object.getPrototypeOf(json.data.list), own('Array.prototype'));
  const bytes = (await registry.import('./bytes.mjs')) as { b: Uint8Array };
  assert.equal(Object.getPrototypeOf(bytes.b), own('Uint8Array.prototype'));
  assert.equal(new TextDecoder().decode(bytes.b), '{ "list": [1], "nested": { "x": true } }');
  const cjs = (await registry.import('./cjs.mjs')) as { lib: { marker: string; list: unknown[]; original: object } };
  assert.equal(cjs.lib.marker, 'cjs realm');
  assert.equal(Object.getPrototypeOf(cjs.lib.list), own('Array.prototype'));
  assert.equal(Object.getPrototypeOf(cjs.lib.original), own('Object.prototype'), 'module.exports starts as a realm object');
  const required = registry.require('./lib.cjs') as { marker: string };
  assert.equal(required, cjs.lib, 'require and import share the one CommonJS instance');
});

test("import(source) of another realm's source is a TypeError of the importing realm; the registry stays consistent", async () => {
  const mainSource = ModuleSource.fromText("export default 'main realm';");
  const { registry, own, context } = realm({ foreign: mainSource });
  // From module code in the realm: the realm's TypeError.
  const ns = (await registry.import('./phases.mjs')) as { importOf: (x: unknown) => Promise<unknown> };
  const refused = (await ns.importOf(mainSource)) as Error;
  assert.equal(refused instanceof own<typeof TypeError>('TypeError'), true);
  assert.match(refused.message, /another realm/);
  // From the host's API: Node's TypeError.
  await assert.rejects(registry.import(mainSource), (e: unknown) => e instanceof TypeError && /another realm/.test((e as Error).message));
  assert.throws(() => registry.instantiate(mainSource), TypeError);
  // The other way round: a realm's source in Node's realm.
  const realmSource = (await registry.import('./dep.mjs', { phase: 'source' })) as ModuleSource;
  const main = new Registry({ baseURL: base });
  await assert.rejects(main.import(realmSource), TypeError);
  // Nothing was added by the refusals; the realm's own sources still import.
  assert.equal(registry.entries().some((e) => e.key.startsWith('eval:')), false);
  assert.equal(main.entries().length, 0);
  assert.equal(((await registry.import(own('ModuleSource.fromText("export default 7")'))) as { default: number }).default, 7);
  // Two registries on one context share the realm: sources cross freely.
  const sibling = new Registry({ baseURL: base, context });
  assert.equal(((await sibling.import(realmSource)) as { dep: string }).dep, 'dep');
  // A compartment is in its parent's realm.
  const compartment = registry.compartment();
  assert.equal(compartment.context, context);
  assert.equal(((await compartment.import(realmSource)) as { dep: string }).dep, 'dep');
});

test("crossRealmSources: 'copy' imports a copy made for the realm: same key and content, one instance", async () => {
  const main = new Registry({ baseURL: base });
  const rooted = (await main.import('./dep.mjs', { phase: 'source' })) as ModuleSource;
  const evalish = ModuleSource.fromText('export const n = Math.random();');
  const wasm = compileWasmSource(wat2wasm('(module (func (export "f") (result i32) (i32.const 9)))'));
  const { registry, own } = realm({}, { crossRealmSources: 'copy' });
  // A rooted source's copy is keyed by its URL: the realm's canonical instance of that URL.
  assert.equal(await registry.import(rooted), await registry.import('./dep.mjs'));
  const first = await registry.import(evalish);
  assert.equal(await registry.import(evalish), first, 'the same source copies to the same instance');
  const fromWasm = (await registry.import(wasm)) as { f: () => number };
  assert.equal(fromWasm.f(), 9);
  assert.equal(Object.getPrototypeOf(fromWasm.f), own('Function.prototype'));
  assert.equal(await registry.import(wasm), fromWasm);
  assert.throws(() => new Registry({ context: vm.createContext(), crossRealmSources: 'sometimes' as never }), TypeError);
});

test('a registry option context must be a vm.Context', () => {
  assert.throws(() => new Registry({ context: {} as vm.Context }), /vm\.Context/);
});

test("classic scripts run in the realm; a transferred source arrives as the realm's", async () => {
  const { registry, own } = realm({ marker: 'script realm' });
  assert.equal(registry.runScript('globalThis.marker + "!"'), 'script realm!');
  const viaScript = (await (registry.runScript("import.source('./dep.mjs')", { url: url('script.js') }) as Promise<ModuleSource>));
  assert.equal(Object.getPrototypeOf(viaScript), own('ModuleSource.prototype'));
  const main = new Registry({ baseURL: base });
  const record = serializeSource((await main.import('./dep.mjs', { phase: 'source' })) as ModuleSource);
  const arrived = registry.deserializeSource(record);
  assert.equal(Object.getPrototypeOf(arrived), own('ModuleSource.prototype'));
  assert.equal(((await registry.import(record)) as { dep: string }).dep, 'dep');
});

test('identity across realms: each realm has its own instances and its own source objects for one URL', async () => {
  const main = new Registry({ baseURL: base });
  const { registry } = realm();
  const inMain = await main.import('./dep.mjs');
  const inRealm = await registry.import('./dep.mjs');
  assert.notEqual(inRealm, inMain, 'import(url): a separate instance per realm');
  assert.equal(await registry.import('./dep.mjs'), inRealm, 'and one instance within the realm');
  const mainSource = (await main.import('./dep.mjs', { phase: 'source' })) as ModuleSource;
  const realmSource = (await registry.import('./dep.mjs', { phase: 'source' })) as ModuleSource;
  assert.notEqual(realmSource, mainSource, "import.source(): the realm's own source object for the URL");
  assert.equal(await registry.import(realmSource), inRealm, "import(source) of the realm's source: its canonical instance");
  await assert.rejects(registry.import(mainSource), TypeError, "import(source) of Node's realm's source: a TypeError");
  const instance = registry.instantiate(realmSource);
  await assert.rejects(main.import(instance), TypeError, 'a ModuleInstance never crosses');
});
