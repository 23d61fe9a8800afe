// CommonJS modules as dynamic module records (seed 002), require() through
// the registry, classic scripts, and Node's resolution and format rules.
// Each behaviour that native Node shares is checked against `node` itself
// on the same files (nativeRun).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { Registry } from '../ts-host/registry.js';
import { ModuleLinkError, ModuleNotFoundError, PackageResolutionError, RequireError } from '../ts-host/errors.js';

const root = mkdtempSync(join(tmpdir(), 'canon-cjs-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

/** A fresh project (files by relative path, folders created); returns its file: URL with a trailing slash. */
function project(files: Record<string, string>): string {
  const dir = join(root, `p${count++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return pathToFileURL(dir + '/').href;
}

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));

/** stdout and exit code of `node <file>` and of `canon run <file>` (this Node). */
function bothRuns(base: string, file: string, args: string[] = []): { node: { out: string; code: number | null; err: string }; canon: { out: string; code: number | null; err: string } } {
  const path = fileURLToPath(new URL(file, base));
  const options = { cwd: fileURLToPath(base), encoding: 'utf8' as const, env: { ...process.env, NODE_OPTIONS: '' } };
  const node = spawnSync(process.execPath, [path, ...args], options);
  const canon = spawnSync(process.execPath, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', cli, 'run', path, ...args], options);
  return { node: { out: node.stdout, code: node.status, err: node.stderr }, canon: { out: canon.stdout, code: canon.status, err: canon.stderr } };
}

function sameAsNode(base: string, file: string, args: string[] = []): string {
  const { node, canon } = bothRuns(base, file, args);
  assert.equal(canon.out, node.out, `stdout differs from node's (canon stderr: ${canon.err})`);
  assert.equal(canon.code, node.code, `exit code differs from node's (canon stderr: ${canon.err})`);
  return canon.out;
}

test('require and import reach one registry entry: one instance of the file, however it is reached', async () => {
  const base = project({
    'counter.cjs': 'globalThis.runs = (globalThis.runs ?? 0) + 1; exports.n = 1;',
    'main.mjs': 'import c from "./counter.cjs"; import { createRequire } from "node:module"; export const same = createRequire(import.meta.url)("./counter.cjs") === c;',
    'req.cjs': 'module.exports = require("./counter.cjs");',
  });
  const registry = new Registry({ baseURL: base });
  const ns = (await registry.import('./main.mjs')) as { same: boolean };
  // createRequire is Node's: its own cache, another instance. canon's require is the registry's:
  assert.equal(ns.same, false);
  const viaRequire = registry.require('./req.cjs');
  const viaImport = ((await registry.import('./counter.cjs')) as { default: unknown }).default;
  assert.equal(viaRequire, viaImport, 'require() of a file gives what import of it gives');
  assert.equal(registry.entries().filter((e) => e.key.endsWith('/counter.cjs')).length, 1);
  assert.equal(registry.get(new URL('counter.cjs', base))?.kind, 'cjs');
  assert.equal(registry.get(new URL('counter.cjs', base))?.status, 'evaluated');
});

test('named imports from CommonJS: the lexer\'s names, and names it misses checked after the module ran (a dynamic record)', async () => {
  const base = project({
    'lib.cjs': 'exports.seen = 1; const k = "hid" + "den"; exports[k] = 2; globalThis.order.push("lib");',
    'first.mjs': 'globalThis.order.push("first");',
    'main.mjs': 'import "./first.mjs"; import { seen, hidden } from "./lib.cjs"; import * as ns from "./lib.cjs"; globalThis.order.push("main"); export const out = [seen, hidden, Object.keys(ns).filter((k) => k !== "module.exports").join()];',
    'missing.mjs': 'import { absent } from "./lib2.cjs"; globalThis.order.push("never");',
    'lib2.cjs': 'exports.present = 1; globalThis.order.push("lib2");',
  });
  (globalThis as { order?: string[] }).order = [];
  const registry = new Registry({ baseURL: base });
  const ns = (await registry.import('./main.mjs')) as { out: unknown[] };
  // `hidden` is no name cjs-module-lexer finds: it is pending at link time and present after lib.cjs ran.
  assert.deepEqual(ns.out, [1, 2, 'default,hidden,seen']);
  assert.deepEqual((globalThis as { order?: string[] }).order, ['first', 'lib', 'main'], 'evaluation order is the graph order');
  // A name that is not there after the module ran: a SyntaxError when the importer would run, naming importer, binding and module.
  const error = await registry.import('./missing.mjs').then(() => assert.fail('expected an error'), (e: unknown) => e);
  assert.ok(error instanceof SyntaxError && error instanceof ModuleLinkError);
  assert.match(error.message, /'\.\/lib2\.cjs' does not provide an export named 'absent'/);
  assert.equal(error.referrer, new URL('missing.mjs', base).href);
  assert.equal(error.url, new URL('lib2.cjs', base).href);
  assert.equal(error.line, 1);
  assert.deepEqual((globalThis as { order?: string[] }).order!.slice(3), ['lib2'], 'the CommonJS module ran, its importer did not');
  // Node refuses the missing name too (at link time, before anything runs).
  const { node } = bothRuns(base, 'missing.mjs');
  assert.equal(node.code, 1);
});

test('the even/odd cycle of seed 002 works whichever module is imported first, as in node', () => {
  const base = project({
    'even.mjs': 'import odd from "./odd.cjs";\nexport default function even(n) { return n === 0 ? true : odd(n - 1); }\n',
    'odd.cjs': 'module.exports = function odd(n) { return n === 0 ? false : require("./even.mjs").default(n - 1); };\n',
    'from-even.mjs': 'import even from "./even.mjs"; console.log(even(10), even(7));',
    'from-odd.mjs': 'import odd from "./odd.cjs"; console.log(odd(10), odd(7));',
    'from-odd.cjs': 'const odd = require("./odd.cjs"); console.log(odd(10), odd(7));',
  });
  assert.equal(sameAsNode(base, 'from-even.mjs'), 'true false\n');
  assert.equal(sameAsNode(base, 'from-odd.mjs'), 'false true\n');
  assert.equal(sameAsNode(base, 'from-odd.cjs'), 'false true\n');
});

test('require.cache, require.resolve, module, __filename, __dirname and require.main behave as in node', () => {
  const base = project({
    'main.cjs': [
      'const path = require("node:path");',
      'const a = require("./a.cjs");',
      'delete require.cache[require.resolve("./a.cjs")];',
      'const again = require("./a.cjs");',
      'console.log(a === again, globalThis.aRuns, require.main === module, module.id, path.basename(__filename), path.basename(__dirname) === path.basename(process.cwd()));',
      'console.log(module.children.length, module.paths[0].endsWith("node_modules"), typeof require.resolve.paths, module.constructor === require("module"));',
      'console.log(require("./data.json").x, require.cache[require.resolve("./data.json")].exports.x, process.argv.slice(2).join(" "));',
      'try { require("./throws.cjs"); } catch (e) { console.log("threw", e.message, require.resolve("./throws.cjs") in require.cache); }',
      'try { require("./throws.cjs"); } catch (e) { console.log("threw again", globalThis.throwRuns); }',
      'try { require("nope-not-installed"); } catch (e) { console.log(e.code); }',
    ].join('\n'),
    'a.cjs': 'globalThis.aRuns = (globalThis.aRuns ?? 0) + 1; module.exports = {};',
    'data.json': '{ "x": 7 }',
    'throws.cjs': 'globalThis.throwRuns = (globalThis.throwRuns ?? 0) + 1; throw new Error("boom");',
  });
  assert.equal(sameAsNode(base, 'main.cjs', ['one', '--two']), [
    'false 2 true . main.cjs true',
    '2 true function true',
    '7 7 one --two',
    'threw boom false',
    'threw again 2',
    'MODULE_NOT_FOUND',
    '',
  ].join('\n'));
});

test('require(esm): the namespace, "module.exports" when exported, errors with node\'s codes for top-level await and cycles', () => {
  const base = project({
    'esm.mjs': 'export const x = 1; export default "d";',
    'chosen.mjs': 'const f = () => "chosen"; export { f as "module.exports" };',
    'tla.mjs': 'await 0; export const late = 1;',
    'cycle.mjs': 'import { createRequire } from "node:module"; import "./back.cjs"; export const y = 1;',
    'back.cjs': 'try { require("./cycle.mjs"); } catch (e) { console.log("cycle:", e.code); }',
    'main.cjs': [
      'const ns = require("./esm.mjs");',
      'console.log(ns.x, ns.default, Object.prototype.toString.call(ns));',
      'console.log(require("./chosen.mjs")());',
      'try { require("./tla.mjs"); } catch (e) { console.log("tla:", e.code); }',
    ].join('\n'),
  });
  // require() reads files, ES modules and their imports included, whatever the importSync policy (which is import.sync's).
  const registry = new Registry({ baseURL: base });
  assert.equal((registry.require('./esm.mjs') as { x: number }).x, 1);
  assert.throws(() => registry.importSync('./chosen.mjs'), (e: unknown) => (e as { reason?: string }).reason === 'not loaded', 'import.sync keeps to the registry-only policy');
  const tla = (() => {
    try {
      registry.require('./tla.mjs');
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  assert.ok(tla instanceof RequireError);
  assert.equal(tla.code, 'ERR_REQUIRE_ASYNC_MODULE');
  assert.equal(tla.specifier, './tla.mjs');
  assert.equal(sameAsNode(base, 'main.cjs'), '1 d [object Module]\nchosen\ntla: ERR_REQUIRE_ASYNC_MODULE\n');
  const cycle = bothRuns(base, 'cycle.mjs');
  assert.equal(cycle.canon.out, 'cycle: ERR_REQUIRE_CYCLE_MODULE\n', cycle.canon.err);
  assert.equal(cycle.node.out, cycle.canon.out);
});

test('import() in CommonJS and in classic scripts goes through the registry, phase forms included', async () => {
  const base = project({
    'dep.mjs': 'export const v = "dep";',
    'loader.cjs': 'module.exports = () => import("./dep.mjs");',
    'phased.cjs': 'module.exports = async () => [await import.source("./dep.mjs"), (await import.defer("./dep.mjs")).v];',
  });
  const registry = new Registry({ baseURL: base });
  const load = registry.require('./loader.cjs') as () => Promise<{ v: string }>;
  const ns = await load();
  assert.equal(ns, await registry.import('./dep.mjs'), 'the registry\'s instance');
  const [source, deferred] = await (registry.require('./phased.cjs') as () => Promise<[unknown, string]>)();
  assert.equal(source, await registry.import('./dep.mjs', { phase: 'source' }));
  assert.equal(deferred, 'dep');
  const fromScript = await (registry.runScript('import("./dep.mjs")', { url: new URL('script.js', base) }) as Promise<unknown>);
  assert.equal(fromScript, ns);
  const sourceFromScript = await (registry.runScript('var x = 1; import.source("./dep.mjs")', { url: new URL('s2.js', base) }) as Promise<unknown>);
  assert.equal(sourceFromScript, source);
  assert.equal((globalThis as { x?: number }).x, 1, 'a script\'s var is a global, as in any classic script');
  assert.throws(() => registry.runScript(42 as unknown as string), TypeError);
});

test('the format of .js: package.json "type", else node\'s syntax detection; .mjs and .cjs by extension', async () => {
  const base = project({
    'plain.js': 'module.exports = typeof require;',
    'module-syntax.js': 'export default typeof require;',
    'typed/package.json': '{ "type": "module" }',
    'typed/m.js': 'export default typeof require;',
    'typed/c.cjs': 'module.exports = typeof require;',
    'typed/sub/cjs/package.json': '{ "type": "commonjs" }',
    'typed/sub/cjs/x.js': 'module.exports = typeof require;',
    'main.mjs': [
      'import a from "./plain.js"; import b from "./module-syntax.js"; import c from "./typed/m.js";',
      'import d from "./typed/c.cjs"; import e from "./typed/sub/cjs/x.js";',
      'console.log(a, b, c, d, e);',
    ].join('\n'),
  });
  assert.equal(sameAsNode(base, 'main.mjs'), 'function undefined undefined function function\n');
  const registry = new Registry({ baseURL: base });
  await registry.import('./main.mjs');
  assert.equal(registry.get(new URL('plain.js', base))?.kind, 'cjs');
  assert.equal(registry.get(new URL('module-syntax.js', base))?.kind, 'js');
});

test('node_modules: "exports" conditions (user conditions too), "imports", self-reference, "main"; errors with node\'s codes', async () => {
  const base = project({
    'package.json': '{ "name": "app", "exports": { ".": "./self.js" }, "imports": { "#internal": "./internal.js" } }',
    'self.js': 'module.exports = "self";',
    'internal.js': 'module.exports = "internal";',
    'node_modules/dual/package.json': JSON.stringify({
      name: 'dual',
      exports: { '.': { 'canon-test': './custom.js', import: './esm.mjs', require: './cjs.js' }, './feature/*': './features/*.js' },
    }),
    'node_modules/dual/esm.mjs': 'export default "esm";',
    'node_modules/dual/cjs.js': 'module.exports = "cjs";',
    'node_modules/dual/custom.js': 'module.exports = "custom";',
    'node_modules/dual/features/x.js': 'module.exports = "feature x";',
    'node_modules/old/package.json': '{ "name": "old", "main": "lib/entry" }',
    'node_modules/old/lib/entry.js': 'module.exports = "old main";',
    'main.mjs': [
      'import dual from "dual"; import x from "dual/feature/x"; import old from "old"; import self from "app"; import internal from "#internal";',
      'import { createRequire } from "node:module";',
      'console.log(dual, x, old, self, internal);',
    ].join('\n'),
    'main.cjs': 'console.log(require("dual"), require("dual/feature/x"), require("old"), require("app"), require("#internal"));',
  });
  assert.equal(sameAsNode(base, 'main.mjs'), 'esm feature x old main self internal\n');
  assert.equal(sameAsNode(base, 'main.cjs'), 'cjs feature x old main self internal\n');
  const registry = new Registry({ baseURL: base, conditions: ['canon-test'] });
  assert.equal(registry.resolve('dual', base), new URL('node_modules/dual/custom.js', base).href);
  assert.equal(registry.resolve('dual', base, { kind: 'require' }), new URL('node_modules/dual/custom.js', base).href, 'the registry\'s conditions apply to require too');
  assert.equal(new Registry({ baseURL: base }).resolve('dual', base, { kind: 'require' }), new URL('node_modules/dual/cjs.js', base).href);
  assert.equal(new Registry({ baseURL: base }).resolve('dual', base), new URL('node_modules/dual/esm.mjs', base).href);
  const notExported = await registry.import('dual/hidden.js').then(() => undefined, (e: unknown) => e);
  assert.ok(notExported instanceof PackageResolutionError);
  assert.equal(notExported.code, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  assert.equal(notExported.specifier, 'dual/hidden.js');
  assert.equal((notExported as { packageName?: string }).packageName, 'dual');
  const missing = await registry.import('not-installed').then(() => undefined, (e: unknown) => e);
  assert.ok(missing instanceof ModuleNotFoundError);
  assert.equal(missing.referrer, base);
  assert.equal((missing as { packageName?: string }).packageName, 'not-installed');
  assert.equal(registry.entries().length, 0, 'failed resolutions leave no entry');
  assert.equal(((await registry.import('dual')) as { default: string }).default, 'custom', 'and the registry still works');
});

test('canon importmap writes the map that resolves the graph as node does; canon graph lists every module that fails at once', () => {
  const base = project({
    'package.json': '{ "type": "module" }',
    'app.js': 'import a from "pkg"; import b from "pkg/sub"; import c from "other"; console.log(a, b, c);',
    'node_modules/pkg/package.json': '{ "name": "pkg", "exports": { ".": "./main.js", "./sub": "./lib/sub.js" }, "type": "module" }',
    'node_modules/pkg/main.js': 'export default "pkg";',
    'node_modules/pkg/lib/sub.js': 'export default "pkg/sub";',
    'node_modules/other/package.json': '{ "name": "other", "type": "module", "imports": { "#own": "./own.js" }, "main": "index.js" }',
    'node_modules/other/index.js': 'import pkg from "pkg"; import own from "#own"; export default `other with ${pkg} v${own}`;',
    'node_modules/other/own.js': 'export default 2;',
    'node_modules/other/node_modules/pkg/package.json': '{ "name": "pkg", "type": "module", "main": "v2.js" }',
    'node_modules/other/node_modules/pkg/v2.js': 'export default "pkg v2";',
    'broken.js': 'import "missing-one"; import "./missing-two.js"; import "pkg/not-exported";',
  });
  const dir = fileURLToPath(base);
  const canon = (...args: string[]) => spawnSync(process.execPath, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', cli, ...args], { cwd: dir, encoding: 'utf8' });
  const made = canon('importmap', 'app.js', '--out', 'map.json');
  assert.equal(made.status, 0, made.stderr);
  const map = JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8')) as { imports: Record<string, string>; scopes: Record<string, Record<string, string>> };
  assert.deepEqual(map.imports, { other: './node_modules/other/index.js', pkg: './node_modules/pkg/main.js', 'pkg/sub': './node_modules/pkg/lib/sub.js' });
  assert.deepEqual(map.scopes, { './node_modules/other/': { '#own': './node_modules/other/own.js', pkg: './node_modules/other/node_modules/pkg/v2.js' } });
  // The map alone (node_modules resolution never asked: the map answers every bare specifier) gives node's output.
  const withMap = canon('run', '--import-map', 'map.json', 'app.js');
  const node = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(withMap.stdout, 'pkg pkg/sub other with pkg v2 v2\n');
  assert.equal(withMap.stdout, node.stdout);
  const graph = canon('graph', 'broken.js');
  assert.equal(graph.status, 1);
  const listed = graph.stderr.split('\n').filter((l) => l.startsWith('  '));
  assert.equal(listed.length, 3, graph.stderr);
  assert.match(graph.stderr, /"missing-one" from .*broken\.js: Error: Cannot find package 'missing-one'/);
  assert.match(graph.stderr, /"\.\/missing-two\.js" from .*broken\.js: Error: Cannot find module/);
  assert.match(graph.stderr, /"pkg\/not-exported" from .*broken\.js: Error: Package subpath '\.\/not-exported' is not defined by "exports"/);
  assert.equal((JSON.parse(graph.stdout) as { failures: unknown[] }).failures.length, 3);
});

test('canon run <path> finds the main file as node does: extensions, a folder\'s index, a real path', () => {
  const base = project({
    'app.js': 'console.log("app", require.main === module);',
    'folder/index.js': 'console.log("index", require.main === module, module.id);',
  });
  assert.equal(sameAsNode(base, 'app'), 'app true\n');
  assert.equal(sameAsNode(base, 'folder'), 'index true .\n');
  const { node, canon } = bothRuns(base, 'nothing-here');
  assert.equal(node.code, 1);
  assert.equal(canon.code, 1);
  // node's own words, as node prints them for a main it cannot find (require's MODULE_NOT_FOUND).
  assert.match(canon.err, /^Error: Cannot find module '.*nothing-here'$/m);
  assert.match(node.err, /^Error: Cannot find module '.*nothing-here'$/m);
});

test('a CommonJS program that calls process.exit() while it runs exits with its code and no warning, as under node', () => {
  const base = project({
    'tool.cjs': 'console.log("working"); process.exit(Number(process.argv[2]));\nconsole.log("never");',
    'via-esm.mjs': 'import "./tool.cjs";',
  });
  for (const code of ['0', '3']) {
    const { node, canon } = bothRuns(base, 'tool.cjs', [code]);
    assert.deepEqual([canon.out, canon.code, canon.err], [node.out, node.code, ''], `exit ${code}`);
  }
  const { node, canon } = bothRuns(base, 'via-esm.mjs', ['0']);
  assert.deepEqual([canon.out, canon.code, canon.err], [node.out, 0, '']);
});

test('a CommonJS syntax error names the file, line and column; fixing the file and requiring again works', () => {
  const base = project({ 'bad.cjs': 'const a = 1;\nconst b = ;\n', 'typeless.js': 'let x = 1;\nx = = 2;\n' });
  const registry = new Registry({ baseURL: base });
  for (const [file, line, column] of [['bad.cjs', 2, 11], ['typeless.js', 2, 5]] as const) {
    const error = (() => {
      try {
        registry.require(`./${file}`);
      } catch (e) {
        return e as { line?: number; column?: number; url?: string; specifier?: string };
      }
      return undefined;
    })();
    assert.ok(error instanceof SyntaxError, file);
    assert.deepEqual([error.url, error.line, error.column, error.specifier], [new URL(file, base).href, line, column, `./${file}`]);
  }
  writeFileSync(new URL('bad.cjs', base), 'module.exports = 42;');
  registry.delete(new URL('bad.cjs', base));
  assert.equal(registry.require('./bad.cjs'), 42, 'after the fix and delete()');
});

test('require() in a registry with a load hook (asynchronous) refuses what it cannot load synchronously, and the registry stays usable', async () => {
  const base = project({ 'lib.cjs': 'module.exports = "lib";' });
  const registry = new Registry({ baseURL: base, hooks: { load: (url, context, next) => next(url, context) } });
  assert.throws(() => registry.require('./lib.cjs'), (e: unknown) => e instanceof RequireError && e.code === 'ERR_CANON_REQUIRE_ASYNC_LOAD' && e.specifier === './lib.cjs');
  // Imported (asynchronously, through the hook), the same entry is then there for require().
  assert.equal(((await registry.import('./lib.cjs')) as { default: string }).default, 'lib');
  assert.equal(registry.require('./lib.cjs'), 'lib');
  assert.deepEqual(registry.entries().map((e) => e.status), ['evaluated']);
});

test('a native addon (.node) is handed to Node\'s own loader, by require() and by extension search', (t) => {
  // An N-API addon built now from C, where the machine has a C compiler and Node's headers.
  const headers = ['/usr/include/node', join(dirname(dirname(process.execPath)), 'include/node')].find((d) => existsSync(join(d, 'node_api.h')));
  if (!headers || spawnSync('cc', ['--version']).status !== 0) {
    t.skip('no C compiler or Node headers here');
    return;
  }
  const base = project({
    'addon.c': '#include <node_api.h>\nstatic napi_value Init(napi_env env, napi_value exports) { napi_value v; napi_create_int32(env, 42, &v); napi_set_named_property(env, exports, "answer", v); return exports; }\nNAPI_MODULE(NODE_GYP_MODULE_NAME, Init)\n',
    'main.cjs': 'console.log(require("./answer.node").answer, require("./answer.node") === require("./answer"));',
  });
  const dir = fileURLToPath(base);
  const built = spawnSync('cc', ['-shared', '-fPIC', `-I${headers}`, '-o', join(dir, 'answer.node'), join(dir, 'addon.c')], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  assert.equal(sameAsNode(base, 'main.cjs'), '42 true\n');
});

test('a CommonJS main runs with Node\'s resolver stat cache on, as under node: files and packages made while it runs are found', () => {
  const base = project({
    'main.cjs': [
      'const fs = require("node:fs"); const path = require("node:path");',
      '// (What an earlier run of this program made.)',
      'for (const made of ["later.cjs", "node_modules", "tick.cjs"]) fs.rmSync(path.join(__dirname, made), { recursive: true, force: true });',
      'try { require("./later.cjs"); } catch (e) { console.log(e.code); }',
      'fs.writeFileSync(path.join(__dirname, "later.cjs"), "module.exports = 1;");',
      'console.log(require("./later.cjs"));',
      'try { require("made-now"); } catch (e) { console.log(e.code); }',
      'fs.mkdirSync(path.join(__dirname, "node_modules", "made-now"), { recursive: true });',
      'fs.writeFileSync(path.join(__dirname, "node_modules", "made-now", "index.js"), "module.exports = \'made\';");',
      'console.log(require("made-now"));',
      // A file found once is found again by another specifier while the main module runs, though it was removed:
      // node answers from its stat cache (and require.cache); canon without that cache said MODULE_NOT_FOUND.
      'fs.writeFileSync(path.join(__dirname, "gone.js"), "module.exports = \'gone\';");',
      'console.log(require("./gone.js"));',
      'fs.unlinkSync(path.join(__dirname, "gone.js"));',
      'try { console.log(require("./gone")); } catch (e) { console.log(e.code); }',
      // After the main module's run the cache is off: a file made later is found.
      'setTimeout(() => { fs.writeFileSync(path.join(__dirname, "tick.cjs"), "module.exports = \'tick\';"); console.log(require("./tick.cjs")); });',
    ].join('\n'),
  });
  assert.equal(sameAsNode(base, 'main.cjs'), 'MODULE_NOT_FOUND\n1\nMODULE_NOT_FOUND\nmade\ngone\ngone\ntick\n');
});

test('an error thrown by a CommonJS main prints the program\'s frames only: not the frames of the stub it runs in', () => {
  const base = project({
    'main.cjs': 'Error.stackTraceLimit = 50;\nrequire("./deep.cjs");\n',
    'deep.cjs': 'function f() { throw new Error("deep"); }\nf();\n',
  });
  const { node, canon } = bothRuns(base, 'main.cjs');
  assert.equal(canon.code, node.code);
  const frames = canon.err.split('\n').filter((line) => /^\s+at /.test(line));
  assert.deepEqual(frames.map((line) => line.trim().replace(/ \(.*\//, ' (')), ['at f (deep.cjs:1:22)', 'at Object.<anonymous> (deep.cjs:2:1)', 'at Object.<anonymous> (main.cjs:2:1)']);
});

test('a module compiled by a require.extensions handler: import() in it is refused with an error that says why, and the program goes on', () => {
  const base = project({
    'package.json': '{ "type": "commonjs" }',
    'main.cjs': [
      "require.extensions['.lazy'] = require.extensions['.js'];",
      "const m = require('./mod.lazy');",
      "m.load().then(() => console.log('imported'), (error) => console.log('refused:', error.code, error.specifier, error.message.includes('require.extensions handler'), require('./plain.js').ok));",
    ].join('\n'),
    'mod.lazy': "exports.load = () => import('./target.mjs');",
    'target.mjs': 'export default 1;',
    'plain.js': 'exports.ok = "require still works";',
  });
  const { node, canon } = bothRuns(base, 'main.cjs');
  assert.equal(node.out, 'imported\n');
  assert.equal(canon.code, 0, canon.err);
  assert.equal(canon.out, 'refused: ERR_CANON_EXTENSION_HANDLER_IMPORT ./target.mjs true require still works\n');
});
