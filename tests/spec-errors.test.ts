// What test262 and the Wasm ESM-integration tests check, in-process: spec
// failures are instances of exactly the spec's class (canon's classes still
// answer instanceof), phase syntax the engine rejects stays a parse-time
// SyntaxError after lowering, import calls reject rather than throw, and the
// deferred namespace's define/delete traps and readiness check.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { after, test } from 'node:test';
import { Registry } from '../ts-host/registry.js';
import { ImportAttributeError, ModuleLinkError, ModuleNotFoundError, ModuleSyntaxError, WasmCompileError } from '../ts-host/errors.js';
import { WasmLinkError } from '../ts-host/wasm/errors.js';

const root = mkdtempSync(join(tmpdir(), 'canon-spec-errors-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

function projectDir(files: Record<string, string | Uint8Array>): string {
  const dir = join(root, `p${count++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return pathToFileURL(dir + '/').href;
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

const g = globalThis as Record<string, any>;

test('spec failures are exactly SyntaxError / WebAssembly.*Error with canon\'s fields as own properties; instanceof canon\'s class still works', async () => {
  const base = projectDir({
    'syntax.mjs': 'export const a = ;\n',
    'link.mjs': 'import { nope } from "./dep.mjs";\n',
    'dep.mjs': 'export const yes = 1;\n',
    'bad.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]),
    // (module (export "wasm:x" (func 0)) (func)): a reserved export name.
    'reserved.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, 0x77, 0x61, 0x73, 0x6d, 0x3a, 0x78, 0, 0, 10, 4, 1, 2, 0, 0x0b]),
    'attr.mjs': 'import x from "./dep.mjs" with { colour: "red" };\n',
  });
  const registry = new Registry({ baseURL: base });
  const cases: [string, Function, Function][] = [
    ['./syntax.mjs', SyntaxError, ModuleSyntaxError],
    ['./link.mjs', SyntaxError, ModuleLinkError],
    ['./bad.wasm', WebAssembly.CompileError, WasmCompileError],
    ['./reserved.wasm', WebAssembly.LinkError, WasmLinkError],
    ['./attr.mjs', SyntaxError, ImportAttributeError],
  ];
  for (const [specifier, spec, canon] of cases) {
    const error = await rejection(registry.import(specifier));
    assert.equal(error.constructor, spec, `${specifier}: ${error}`);
    assert.equal(Object.getPrototypeOf(error), spec.prototype, specifier);
    assert.equal(error.name, spec.name, specifier);
    assert.ok(error instanceof canon, `${specifier} instanceof ${canon.name}`);
    assert.ok(Object.hasOwn(error, 'code') && Object.hasOwn(error, 'url'), `${specifier}: own code and url`);
    assert.equal(typeof (error as { code?: unknown }).code, 'string');
  }
  // instanceof tells canon's classes apart, and plain engine errors are none of them.
  const link = await rejection(registry.import('./link.mjs'));
  assert.ok(!(link instanceof ModuleSyntaxError));
  assert.ok(!(new SyntaxError('x') instanceof ModuleSyntaxError));
  assert.equal(link.code, 'ERR_CANON_LINK');
  assert.equal(link.message.split(link.referrer).length, 2, `the site suffix once: ${link.message}`);
  // `new` of canon's class gives the spec's class too.
  const made: Error = new ModuleSyntaxError('m', { url: 'file:///x.js', line: 1, column: 2 });
  assert.equal(made.constructor, SyntaxError);
  assert.deepEqual({ ...made }, { code: 'ERR_CANON_MODULE_SYNTAX', url: 'file:///x.js', line: 1, column: 2 });
  // Host failures keep canon's own classes.
  const missing = await rejection(registry.import('./missing.mjs'));
  assert.ok(missing instanceof ModuleNotFoundError);
  assert.notEqual(missing.constructor, Error);
  // Afterwards the registry is consistent: each failed entry rethrows its error.
  assert.equal(await rejection(registry.import('./link.mjs')), link);
});

test('phase syntax the engine rejects stays a parse-time SyntaxError after lowering (as on Node 26)', async () => {
  const snippets = [
    'import(...args);',
    'import.source();',
    'import.source(...args);',
    'import.defer();',
    'import.defer(...args);',
    'new import.source("./dep.mjs");',
    'new import.defer("./dep.mjs");',
  ];
  const files: Record<string, string> = { 'dep.mjs': 'globalThis.depRan = true;\n' };
  snippets.forEach((s, i) => { files[`m${i}.mjs`] = `globalThis.bodyRan = true;\nconst args = ["./dep.mjs"];\n${s}\n`; });
  const base = projectDir(files);
  const registry = new Registry({ baseURL: base });
  for (let i = 0; i < snippets.length; i++) {
    g.bodyRan = false;
    const error = await rejection(registry.import(`./m${i}.mjs`));
    assert.equal(error.constructor, SyntaxError, `${snippets[i]}: ${error}`);
    assert.equal(g.bodyRan, false, `${snippets[i]}: nothing ran`);
    // The engine itself rejects the same text where it parses the phase syntax (and everywhere else).
    assert.throws(() => new vm.SourceTextModule(files[`m${i}.mjs`]!), SyntaxError, snippets[i]);
    // The same in a classic script.
    assert.throws(() => registry.runScript(`const args = ["./dep.mjs"];\n${snippets[i]}`, { url: `${base}s${i}.js` }), SyntaxError, snippets[i]);
  }
  assert.equal(g.depRan, undefined);
});

test('import.source(x) and import.defer(x) whose ToString(x) throws return a rejected promise', async () => {
  const base = projectDir({
    'main.mjs': [
      'const bad = { toString() { throw new RangeError("no string"); } };',
      'export const results = [];',
      'for (const call of [() => import.source(bad), () => import.defer(bad), () => import.source(Symbol()), () => import(bad)]) {',
      '  let p;',
      '  try { p = call(); } catch (e) { results.push("threw " + e.name); continue; }',
      '  results.push(await p.then(() => "fulfilled", (e) => "rejected " + e.name));',
      '}',
    ].join('\n'),
  });
  const ns = await new Registry({ baseURL: base }).import('./main.mjs') as { results: string[] };
  assert.deepEqual(ns.results, ['rejected RangeError', 'rejected RangeError', 'rejected TypeError', 'rejected RangeError']);
});

test('deferred namespace: defineProperty, delete and a class field with a string key evaluate; symbols and "then" do not', async () => {
  const base = projectDir({
    'dep.mjs': 'globalThis.deferLog.push("dep"); export const exported = 1;\n',
    'main.mjs': [
      'import defer * as ns from "./dep.mjs";',
      'export function run(op) { globalThis.deferLog.length = 0; try { op(ns); } catch {} return globalThis.deferLog.slice(); }',
    ].join('\n'),
  });
  const ops: [string, (ns: any) => unknown, boolean][] = [
    ['defineProperty(Symbol.toStringTag)', (ns) => Object.defineProperty(ns, Symbol.toStringTag, { value: 'Deferred Module' }), false],
    ['delete ns.then', (ns) => delete ns.then, false],
    ['defineProperty(then)', (ns) => Object.defineProperty(ns, 'then', { value: 1 }), false],
    ['defineProperty(exported)', (ns) => Object.defineProperty(ns, 'exported', { value: 'hi' }), true],
    ['delete ns.notExported', (ns) => delete ns.notExported, true],
    ['class field', (ns) => { class A { constructor() { return ns; } } class B extends A { notExported = 1; } return new B(); }, true],
  ];
  for (const [name, op, evaluates] of ops) {
    g.deferLog = [];
    const { run } = await new Registry({ baseURL: base }).import('./main.mjs') as { run: (op: Function) => string[] };
    assert.deepEqual(run(op), evaluates ? ['dep'] : [], name);
  }
  // As for any namespace, a descriptor that changes nothing is accepted, any other refused.
  g.deferLog = [];
  const { run } = await new Registry({ baseURL: base }).import('./main.mjs') as { run: (op: Function) => string[] };
  const answers: boolean[] = [];
  run((ns: object) => answers.push(
    Reflect.defineProperty(ns, 'exported', { value: 1 }),
    Reflect.defineProperty(ns, 'exported', { value: 2 }),
    Reflect.defineProperty(ns, 'exported', { value: 1, configurable: true }),
    Reflect.defineProperty(ns, 'notExported', { value: 1 }),
    Reflect.deleteProperty(ns, 'exported'),
    Reflect.deleteProperty(ns, 'notExported'),
  ));
  assert.deepEqual(answers, [true, false, false, false, false, true]);
});

test('deferred namespace: reading it while a module it needs is evaluating is a TypeError and runs nothing', async () => {
  const base = projectDir({
    // main → dep1 (defers dep2 and reads it) ; dep2 → dep3, main (still evaluating).
    'main.mjs': 'import "./dep1.mjs";\nexport const error = globalThis.cycleError;\n',
    'dep1.mjs': 'import defer * as dep2 from "./dep2.mjs";\ntry { dep2.foo; } catch (e) { globalThis.cycleError = e; }\n',
    'dep2.mjs': 'import "./dep3.mjs";\nimport "./main.mjs";\nexport const foo = 1;\n',
    'dep3.mjs': 'globalThis.dep3Ran = true;\n',
  });
  const { error } = await new Registry({ baseURL: base }).import('./main.mjs') as { error: unknown };
  assert.equal((error as Error)?.constructor, TypeError, String(error));
  assert.equal(g.dep3Ran, undefined);
});

test('import.defer does not call a replaced Promise.prototype.then', async () => {
  const base = projectDir({
    'tla.mjs': 'await 0; export const x = 1;\n',
    'dep.mjs': 'import "./tla.mjs"; export const y = 2;\n',
    'main.mjs': [
      'const then = Promise.prototype.then;',
      'let calls = 0;',
      'Promise.prototype.then = function (a, b) { calls++; return then.call(this, a, b); };',
      'const p = import.defer("./dep.mjs");',
      'export const result = await new Promise((resolve) => then.call(p, (ns) => { Promise.prototype.then = then; resolve([calls, ns.y]); }));',
    ].join('\n'),
  });
  // Loaded synchronously, and through a load hook (the walk then waits for loads).
  for (const hooks of [{}, { load: (url: string, context: never, next: (u: string, c: never) => unknown) => next(url, context) }]) {
    const { result } = await new Registry({ baseURL: base, hooks: hooks as never }).import('./main.mjs') as { result: unknown };
    assert.deepEqual(result, [0, 2]);
  }
});

test('new import(x).p is a parse-time SyntaxError in modules and scripts, also on Node 26 whose V8 accepts it', async () => {
  const base = projectDir({
    'dep.mjs': 'globalThis.newImportDepRan = true; export const prop = 1;\n',
    'main.mjs': 'globalThis.newImportBodyRan = true;\nconst f = () => new import("./dep.mjs").prop;\nf();\n',
    'ok.mjs': 'const newImport = 1; export const x = new Object(import("./dep.mjs")) instanceof Promise;\n',
  });
  const registry = new Registry({ baseURL: base });
  const error = await rejection(registry.import('./main.mjs'));
  assert.equal(error.constructor, SyntaxError, String(error));
  assert.deepEqual([error.line, error.column], [2, 21]);
  assert.throws(() => registry.runScript('var g = () => new\n  import("./dep.mjs").prop;', { url: `${base}s.js` }), (e: unknown) => (e as Error).constructor === SyntaxError && (e as { line?: number }).line === 2);
  assert.equal(g.newImportBodyRan, undefined);
  // `new` elsewhere near an import call is fine.
  assert.equal((await registry.import('./ok.mjs') as { x: boolean }).x, true);
});

test('a module that evaluated in an async cycle whose root failed rejects with the root\'s error when imported again (V8 aborts instead)', async () => {
  // main → b, x; b → c → a → b (the cycle, rooted at b, which throws after an await); x → a.
  const base = projectDir({
    'main.mjs': 'import "./b.mjs";\nimport "./x.mjs";\n',
    'b.mjs': 'import "./c.mjs";\nawait 0;\nthrow new Error("async error in B");\n',
    'c.mjs': 'import "./a.mjs";\nawait 0;\n',
    'a.mjs': 'import "./b.mjs";\nawait 0;\n',
    'x.mjs': 'import "./a.mjs";\nawait 0;\n',
  });
  const registry = new Registry({ baseURL: base });
  const fromMain = await rejection(registry.import('./main.mjs'));
  assert.equal(fromMain.message, 'async error in B');
  assert.equal(await rejection(registry.import('./c.mjs')), fromMain);
  assert.equal(await rejection(registry.import('./a.mjs')), fromMain);
});
