// Hardening: one regression test per failure found by probing canon with
// hostile and faulty input. The module type is established after loading
// (a JSON request never runs code), builtins pass through the load hook,
// delete() and clearResolutions() forget resolutions, a load can be aborted
// or time out and be retried, symlinks resolve to real paths, and every
// error says where. Where Node has the same case, its behaviour (Node 20's
// and Node 26's) is the reference.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import {
  HookError, HookResultError, ImportAttributeError, ModuleLoadTimeoutError, ModuleNotFoundError, ModuleSyntaxError, UnknownModuleFormatError,
} from '../ts-host/errors.js';
import { Registry } from '../ts-host/registry.js';
import { ModuleSource } from '../ts-host/sources/index.js';
import { node26 } from './support/node26.js';

const root = mkdtempSync(join(tmpdir(), 'canon-hardening-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;

function projectDir(files: Record<string, string | Uint8Array>): string {
  const dir = join(root, `p${dirCount++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return pathToFileURL(dir + '/').href;
}

async function rejects(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  assert.fail('expected a rejection');
}

/** The smallest valid Wasm module: magic and version. */
const WASM_EMPTY = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

/** How native Node ends each import: 'ok <default as JSON>' or '<name> <code>'. */
function nativeOutcomes(node: string, cwd: string, cases: { specifier: string; type?: string }[]): string[] {
  const script = `
    const cases = ${JSON.stringify(cases)};
    for (const c of cases) {
      try {
        const ns = await import(c.specifier, c.type ? { with: { type: c.type } } : undefined);
        console.log('ok ' + JSON.stringify(ns.default));
      } catch (e) { console.log(e.name + ' ' + (e.code ?? '')); }
    }`;
  const r = spawnSync(node, ['--no-warnings', '--input-type=module', '-e', script], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

async function canonOutcomes(base: string, cases: { specifier: string; type?: string }[]): Promise<string[]> {
  const out: string[] = [];
  for (const c of cases) {
    try {
      const ns = (await new Registry({ baseURL: base }).import(c.specifier, c.type ? { with: { type: c.type } } : {})) as { default: unknown };
      out.push('ok ' + JSON.stringify(ns.default));
    } catch (e) {
      out.push(`${(e as Error).name} ${(e as { code?: string }).code ?? ''}`);
    }
  }
  return out;
}

// ---- 1. module type enforcement --------------------------------------------

test('1: a JSON request gets JSON or a specific error, never code (data: and files, against Node 20 and 26)', async () => {
  const base = projectDir({ 'wasm.json': WASM_EMPTY, 'wasm.js': WASM_EMPTY, 'ok.json': '{"v":1}' });
  const cases = [
    { specifier: 'data:text/javascript,globalThis.ranCode=1;export default 1;//.json', type: 'json' },
    { specifier: 'data:application/json,{"a":1}' },
    { specifier: 'data:application/json,{"a":1}', type: 'json' },
    { specifier: './wasm.json', type: 'json' },
    { specifier: './ok.json', type: 'json' },
    { specifier: './ok.json' },
    { specifier: './wasm.js' },
  ];
  const canon = await canonOutcomes(base, cases);
  assert.equal((globalThis as { ranCode?: number }).ranCode, undefined, 'no code ran for a JSON request');
  // Error codes are compared by kind: Node 20 still names the attribute errors "ASSERTION".
  // canon's syntax errors carry a code of their own: for them the class (name) is what must agree.
  const normal = (line: string) => line.startsWith('SyntaxError ') ? 'SyntaxError'
    : line.replace('ERR_IMPORT_ASSERTION_TYPE_MISSING', 'ERR_IMPORT_ATTRIBUTE_MISSING').replace('ERR_IMPORT_ASSERTION_TYPE_FAILED', 'ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE');
  const dir = new URL(base).pathname;
  for (const [name, node] of [['Node ' + process.version, process.execPath], ['Node 26', node26()]] as const) {
    const native = nativeOutcomes(node, dir, cases.map((c) => ({ ...c, specifier: c.specifier.startsWith('./') ? new URL(c.specifier, base).href : c.specifier })));
    assert.deepEqual(canon.map(normal), native.map(normal), name);
  }
  assert.ok(canon.every((line) => line.startsWith('ok ') || !line.includes('undefined')));
});

test('1: a load hook cannot turn a JSON request into code; unknown formats are errors; the registry stays consistent', async () => {
  let answer: any = { format: 'js', source: 'globalThis.hookCode = 1; export default 1;' };
  const registry = new Registry({ baseURL: 'virtual:/', hooks: { load: () => answer } });
  const url = 'virtual:/data.json';
  const js = await rejects(registry.import(url, { with: { type: 'json' } }));
  assert.ok(js instanceof ImportAttributeError && js.code === 'ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', String(js));
  assert.equal((globalThis as { hookCode?: number }).hookCode, undefined);
  assert.deepEqual([js.url, js.phase], [url, 'evaluation']);
  assert.equal(registry.get(url, { type: 'json' })?.status, 'errored');

  // A module source or Wasm module handed back for a JSON request: refused the same way.
  for (const wrong of [ModuleSource.fromText('export default 2;'), new WebAssembly.Module(WASM_EMPTY), { format: 'wasm', source: WASM_EMPTY }, WASM_EMPTY]) {
    answer = wrong;
    registry.delete(url, { type: 'json' });
    const error = await rejects(registry.import(url, { with: { type: 'json' } }));
    assert.ok(error instanceof ImportAttributeError || error instanceof ModuleSyntaxError, `${String(error)} for ${String(wrong)}`);
  }

  // Wasm bytes where JSON text was expected are not JSON: a syntax error, not an instance.
  answer = { format: 'json', source: WASM_EMPTY };
  registry.delete(url, { type: 'json' });
  assert.ok((await rejects(registry.import(url, { with: { type: 'json' } }))) instanceof ModuleSyntaxError);

  // An unknown format is refused, naming the hook's format.
  answer = { format: 'python', source: 'print(1)' };
  const py = await rejects(registry.import('virtual:/x.py'));
  assert.ok(py instanceof UnknownModuleFormatError && py instanceof RangeError, String(py));
  assert.equal(py.code, 'ERR_UNKNOWN_MODULE_FORMAT');
  assert.match(py.message, /python/);

  // The Wasm magic makes Wasm only where nothing else states a type: not for a .js URL.
  answer = WASM_EMPTY;
  assert.equal(((await registry.import('virtual:/lib')) as object) !== undefined, true);
  assert.equal(registry.get('virtual:/lib')?.kind, 'wasm');
  assert.ok((await rejects(registry.import('virtual:/lib.js'))) instanceof SyntaxError, 'a .js URL is JavaScript, whatever its bytes');

  // After the fix, the same key loads as JSON.
  answer = { format: 'json', source: '{"fixed":true}' };
  registry.delete(url, { type: 'json' });
  assert.deepEqual(((await registry.import(url, { with: { type: 'json' } })) as { default: unknown }).default, { fixed: true });
});

test('1: a data: URL body is percent-decoded as Node 26 does (a malformed escape stays as written)', async () => {
  const cases = [{ specifier: 'data:text/javascript,export default "%E0%A4%A|%zz|%41"' }];
  const canon = await canonOutcomes('file:///', cases);
  assert.deepEqual(canon, nativeOutcomes(node26(), root, cases));
  assert.deepEqual(canon, ['ok "�%A|%zz|A"']);
});

// ---- 2. builtins through the load hook ---------------------------------------

test('2: builtins pass through the load hook, which can refuse one or let it through', async () => {
  const asked: string[] = [];
  const registry = new Registry({
    hooks: {
      load: (url, context, next) => {
        asked.push(url);
        if (url === 'node:child_process') throw new Error('child_process is not allowed here');
        return next(url, context);
      },
    },
  });
  const path = (await registry.import('node:path')) as { join: unknown };
  assert.equal(typeof path.join, 'function');
  assert.equal(registry.get('node:path')?.kind, 'builtin');
  const refused = await rejects(registry.import('node:child_process'));
  assert.ok(refused instanceof HookError, String(refused));
  assert.equal(refused.hook, 'load');
  assert.equal(refused.url, 'node:child_process');
  assert.match(String((refused.cause as Error).message), /not allowed/);
  assert.deepEqual(asked, ['node:path', 'node:child_process']);
  // A bare builtin name reaches the hook as its node: URL, from a module too.
  const base = projectDir({ 'main.js': 'import fs from "fs"; export default typeof fs.readFileSync;' });
  const fromModule = new Registry({ baseURL: base, hooks: { load: (url, c, next) => (asked.push(url), next(url, c)) } });
  assert.equal(((await fromModule.import('./main.js')) as { default: string }).default, 'function');
  assert.ok(asked.includes('node:fs'));
});

// ---- 3. delete() and clearResolutions() --------------------------------------

test('3: delete() forgets resolutions to what it deletes: a fixed resolve hook is asked again; resolve() agrees with import', async () => {
  const base = projectDir({ 'main.js': 'export { v } from "dep";', 'wrong.js': 'export const v = "wrong";', 'right.js': 'export const v = "right";' });
  let target = 'missing.js';
  let asked = 0;
  const registry = new Registry({
    baseURL: base,
    hooks: { resolve: (specifier, referrer, next) => (specifier === 'dep' ? (asked++, new URL(target, base).href) : next(specifier, referrer)) },
  });
  const main = new URL('main.js', base).href;
  assert.ok((await rejects(registry.import('./main.js'))) instanceof ModuleNotFoundError);
  target = 'right.js';
  // Delete every entry: the next import must not reuse the resolution to missing.js.
  for (const entry of registry.entries()) registry.delete(entry.key, entry.attributes);
  assert.equal(((await registry.import('./main.js')) as { v: string }).v, 'right');
  assert.equal(asked, 2);
  // resolve() from a module of the registry gives what its import used (the cache), not a fresh answer.
  target = 'wrong.js';
  assert.equal(registry.resolve('dep', main), new URL('right.js', base).href);
  assert.deepEqual(registry.dependenciesOf(main).map((d) => d.key), [registry.resolve('dep', main)]);
  // clearResolutions(prefix) forgets those whose target or referrer starts with it; the hook is asked again.
  assert.equal(registry.clearResolutions('file:///nowhere/'), 0);
  assert.ok(registry.clearResolutions(base) >= 1);
  assert.equal(registry.resolve('dep', main), new URL('wrong.js', base).href);
  assert.ok(registry.clearResolutions() >= 1);
  assert.equal(registry.clearResolutions(), 0, 'a second clear finds nothing');
});

test('3: require() forgets its resolutions as import does: after delete() and clearResolutions() the resolve hook is asked again', () => {
  const base = projectDir({ 'main.cjs': 'module.exports = (specifier) => require(specifier);', 'wrong.cjs': 'module.exports = "wrong";', 'right.cjs': 'module.exports = "right";' });
  let target = 'wrong.cjs';
  let asked = 0;
  const registry = new Registry({
    baseURL: base,
    hooks: { resolve: (specifier, referrer, next) => (specifier === 'dep' ? (asked++, new URL(target, base).href) : next(specifier, referrer)) },
  });
  const required = registry.require('./main.cjs') as (specifier: string) => unknown;
  assert.equal(required('dep'), 'wrong');
  assert.equal(required('dep'), 'wrong');
  assert.equal(asked, 1, 'a repeated require() is answered from the cache');
  target = 'right.cjs';
  registry.delete(new URL('wrong.cjs', base).href);
  assert.equal(required('dep'), 'right');
  assert.equal(asked, 2);
  target = 'wrong.cjs';
  assert.equal(required('dep'), 'right', 'cached again');
  assert.equal(registry.clearResolutions('file:///nowhere/'), 0);
  assert.ok(registry.clearResolutions(new URL('right.cjs', base).href) >= 1);
  assert.equal(required('dep'), 'wrong');
  assert.equal(asked, 3);
  assert.ok(registry.clearResolutions() >= 1);
  assert.equal(registry.clearResolutions(), 0, 'a second clear finds nothing');
});

// ---- 4. cancellation and timeouts ----------------------------------------------

test('4: import({ signal }) rejects with the reason, drops the hung load, and a later import does not hang', async () => {
  let hang = true;
  const registry = new Registry({
    baseURL: 'virtual:/',
    hooks: { load: (url) => (hang && url.endsWith('slow.js') ? new Promise<string>(() => {}) : url.endsWith('main.js') ? 'export { s } from "virtual:/slow.js";' : 'export const s = "slow";') },
  });
  const controller = new AbortController();
  const pending = registry.import('virtual:/main.js', { signal: controller.signal });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(registry.get('virtual:/slow.js')?.status, 'loading');
  const reason = new Error('user gave up');
  controller.abort(reason);
  assert.equal(await rejects(pending), reason);
  assert.equal(registry.has('virtual:/slow.js'), false, 'the hung entry is dropped');
  assert.equal(registry.get('virtual:/main.js')?.status, 'loaded', 'what did load stays, consistent');
  hang = false;
  assert.equal(((await registry.import('virtual:/main.js')) as { s: string }).s, 'slow');
  // An already aborted signal: nothing starts.
  const before = registry.entries().length;
  assert.equal(await rejects(registry.import('virtual:/other.js', { signal: AbortSignal.abort(reason) })), reason);
  assert.equal(registry.entries().length, before);
});

test('4: loadTimeout: a load that never settles rejects with ModuleLoadTimeoutError naming it; the entry is retriable', async () => {
  let hang = true;
  const registry = new Registry({
    baseURL: 'virtual:/',
    loadTimeout: 50,
    hooks: { load: (url) => (hang && url.endsWith('dep.js') ? new Promise<string>(() => {}) : url.endsWith('main.js') ? 'export { d } from "./dep.js";' : 'export const d = 4;') },
  });
  const error = await rejects(registry.import('./main.js'));
  assert.ok(error instanceof ModuleLoadTimeoutError, String(error));
  assert.deepEqual([error.code, error.url, error.specifier, error.referrer, error.timeout], ['ERR_CANON_LOAD_TIMEOUT', 'virtual:/dep.js', './dep.js', 'virtual:/main.js', 50]);
  assert.equal(registry.has('virtual:/dep.js'), false);
  // Every concurrent importer is released, none hangs.
  hang = true;
  const both = await Promise.allSettled([registry.import('./main.js'), registry.import('./dep.js')]);
  assert.deepEqual(both.map((r) => r.status), ['rejected', 'rejected']);
  hang = false;
  assert.equal(((await registry.import('./main.js')) as { d: number }).d, 4);
  assert.throws(() => new Registry({ loadTimeout: -1 }), TypeError);
});

// ---- 6. symlinks -----------------------------------------------------------------

test('6: a symlink inside a directory to a file outside it resolves to the real path, as Node does', async () => {
  const base = projectDir({ 'outside/secret.js': 'export default import.meta.url;', 'root/main.js': 'export { default } from "./link.js";' });
  const dir = new URL(base).pathname;
  symlinkSync('../outside/secret.js', join(dir, 'root/link.js'));
  symlinkSync('../outside', join(dir, 'root/dirlink'));
  const registry = new Registry({ baseURL: new URL('root/', base).href });
  const real = new URL('outside/secret.js', base).href;
  assert.equal(((await registry.import('./main.js')) as { default: string }).default, real);
  assert.equal(registry.has(new URL('root/link.js', base).href), false, 'nothing is keyed under the link');
  assert.equal(registry.resolve('./dirlink/secret.js'), real);
  const native = spawnSync(process.execPath, ['--input-type=module', '-e', `import u from ${JSON.stringify(new URL('root/main.js', base).href)}; console.log(u);`], { encoding: 'utf8' });
  assert.equal(native.stdout.trim(), real);
});

// ---- 7. errors say where ----------------------------------------------------------

test('7: odd specifiers and faulty hooks give errors with specifier, referrer and phase (and url when known); long values are shortened in messages', async () => {
  const base = projectDir({ 'x.js': '' });
  const long = './' + 'a/'.repeat(500_000) + 'x.js';
  const cases: { name: string; run: () => Promise<unknown>; check?: (e: Error & Record<string, unknown>) => void; referrer?: string }[] = [
    { name: 'null byte', run: () => new Registry({ baseURL: base }).import('./a\0b.js'), check: (e) => assert.ok(e instanceof ModuleNotFoundError) },
    { name: 'ENAMETOOLONG', run: () => new Registry({ baseURL: base }).import(long), check: (e) => assert.ok(e instanceof ModuleNotFoundError) },
    { name: 'file://otherhost', run: () => new Registry({ baseURL: base }).import('file://otherhost/x.js'), check: (e) => assert.equal(e.code, 'ERR_INVALID_FILE_URL_HOST') },
    { name: 'unknown builtin', run: () => new Registry({ baseURL: base }).import('node:nope') },
    { name: 'relative import in data:', run: () => new Registry({ baseURL: base }).import('data:text/javascript,import "./x.js"'), check: (e) => assert.equal(e.code, 'ERR_UNSUPPORTED_RESOLVE_REQUEST'), referrer: 'data:text/javascript,import "./x.js"' },
    { name: 'resolve hook returns a non-URL', run: () => new Registry({ baseURL: base, hooks: { resolve: () => 'not a url' } }).import('x'), check: (e) => assert.ok(e instanceof HookResultError && e.hook === 'resolve' && /resolve hook/.test(e.message)) },
    { name: 'resolve hook returns a promise', run: () => new Registry({ baseURL: base, hooks: { resolve: (async () => 'file:///x.js') as never } }).import('x'), check: (e) => assert.ok(e instanceof HookResultError && /promise/.test(e.message)) },
    { name: 'resolve hook throws', run: () => new Registry({ baseURL: base, hooks: { resolve: () => { throw new RangeError('boom'); } } }).import('x'), check: (e) => assert.ok(e instanceof HookError && e.hook === 'resolve' && e.cause instanceof RangeError) },
    { name: 'load hook throws a string', run: () => new Registry({ baseURL: base, hooks: { load: () => { throw 'nope'; } } }).import('./x.js'), check: (e) => assert.ok(e instanceof HookError && e.hook === 'load' && e.cause === 'nope') },
    { name: 'load hook returns a number', run: () => new Registry({ baseURL: base, hooks: { load: () => 42 as never } }).import('./x.js'), check: (e) => assert.ok(e instanceof HookResultError && e instanceof TypeError) },
  ];
  for (const c of cases) {
    const error = await rejects(c.run());
    assert.equal(typeof error.specifier, 'string', `${c.name}: specifier (${String(error)})`);
    assert.equal(error.referrer, c.referrer ?? base, `${c.name}: referrer`);
    assert.equal(error.phase, 'evaluation', `${c.name}: phase`);
    assert.ok(error.message.length < 2_000, `${c.name}: a message of ${error.message.length} characters`);
    c.check?.(error);
  }
  // The full value stays in the property.
  const tooLong = await rejects(new Registry({ baseURL: base }).import(long));
  assert.equal(tooLong.specifier, long);
  assert.match(tooLong.message, /more characters/);
});

test('7: an error thrown by a hook deep in a graph names that request, not the root', async () => {
  const registry = new Registry({
    baseURL: 'virtual:/',
    hooks: {
      resolve: (specifier, referrer, next) => (specifier === 'bad' ? 'not a url' : next(specifier, referrer)),
      load: (url) => (url.endsWith('main.js') ? 'import "./mid.js";' : 'import "bad";'),
    },
  });
  const error = await rejects(registry.import('./main.js'));
  assert.ok(error instanceof HookResultError);
  assert.deepEqual([error.specifier, error.referrer, error.phase], ['bad', 'virtual:/mid.js', 'evaluation']);
  // An importMeta hook that throws is named too (it runs when the module first reads import.meta).
  const meta = new Registry({ baseURL: 'virtual:/', hooks: { load: () => 'export const u = import.meta.url;', importMeta: () => { throw new Error('meta fault'); } } });
  const metaError = await rejects(meta.import('./m.js'));
  assert.ok(metaError instanceof HookError && metaError.hook === 'importMeta' && metaError.url === 'virtual:/m.js', String(metaError));
  // What module code throws is the program's own error: not given the import's site.
  const thrower = new Registry({ baseURL: 'virtual:/', hooks: { load: () => 'throw new Error("mine");' } });
  const own = await rejects(thrower.import('./t.js'));
  assert.equal(own.message, 'mine');
  assert.equal(Object.keys(own).length, 0);
  assert.equal(own.specifier, undefined);
});

// ---- 5. reload: what a deleted module's code still reaches -----------------------

test('5: after delete(), code of the deleted module that still runs reaches import.meta and import() (the record keeps no entry)', async () => {
  const base = projectDir({
    'm.js': 'export const meta = () => import.meta.url; export const later = () => import("./dep.js");',
    'dep.js': 'export const d = "dep";',
  });
  const registry = new Registry({ baseURL: base });
  const ns = (await registry.import('./m.js')) as { meta(): string; later(): Promise<{ d: string }> };
  registry.delete(new URL('m.js', base).href);
  assert.equal(registry.has(new URL('m.js', base).href), false);
  // import.meta is first read now, after the delete: the stand-in made from the record's key answers.
  assert.equal(ns.meta(), new URL('m.js', base).href);
  assert.equal((await ns.later()).d, 'dep');
  assert.equal(registry.get(new URL('dep.js', base).href)?.status, 'evaluated');
});
