// The registry: keying and canonical instances, several registries, import
// maps, and failure consistency: for every kind of error, what entries() says
// afterwards, that the same error comes back, and that a retry after the fix
// (and delete) works.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { Registry } from '../ts-host/registry.js';
import { ImportAttributeError, ModuleLinkError, ModuleNotFoundError, ModuleSyntaxError } from '../ts-host/errors.js';
import { ImportMapError } from '../ts-host/resolve/import-map.js';
import { ModuleSource, deserializeSource, serializeSource, sourceInfo } from '../ts-host/sources/index.js';
import { createModuleSource } from '../ts-host/sources/module-source.js';

const root = mkdtempSync(join(tmpdir(), 'canon-registry-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;

function write(base: string, name: string, text: string): void {
  writeFileSync(new URL(name, base), text);
}

async function rejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** A fresh directory of module files; returns its file: URL (with a trailing slash). */
function projectDir(files: Record<string, string>): string {
  const dir = join(root, `p${dirCount++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return pathToFileURL(dir + '/').href;
}

test('importing by URL and by its source gives the same canonical instance', async () => {
  const base = projectDir({ 'a.js': 'export const n = Math.random();' });
  const registry = new Registry({ baseURL: base });
  const ns = await registry.import('./a.js');
  const source = await registry.import('./a.js', { phase: 'source' });
  assert.ok(source instanceof ModuleSource);
  assert.equal(await registry.import(source as ModuleSource), ns);
  assert.equal(await registry.import('./a.js', { phase: 'source' }), source, 'one source object per entry');
  // An equal source from elsewhere (a clone) is the same content under the same key.
  const clone = deserializeSource(structuredClone(serializeSource(source as ModuleSource)));
  assert.notEqual(clone, source);
  assert.equal(await registry.import(clone), ns);
  assert.equal(registry.entries().length, 1);
});

test('a different source under the same URL is a new entry and a new instance', async () => {
  const base = projectDir({ 'a.js': 'export const v = "disk";' });
  const registry = new Registry({ baseURL: base });
  const url = new URL('a.js', base).href;
  const disk = (await registry.import(url)) as { v: string };
  const other = createModuleSource('export const v = "other";', { url, attributes: undefined });
  const otherNs = (await registry.import(other)) as { v: string };
  assert.equal(disk.v, 'disk');
  assert.equal(otherNs.v, 'other');
  assert.notEqual(otherNs, disk);
  assert.equal(await registry.import(other), otherNs, 'the same (key, source) gives the same instance');
  assert.equal(await registry.import(url), disk, 'the URL still gives the canonical instance');
  const records = registry.entries().filter((e) => e.key === url);
  assert.deepEqual(records.map((e) => e.canonical), [true, false]);
  assert.equal(registry.get(url)!.namespace, disk);
});

test('a source imported first becomes the canonical entry of its key', async () => {
  const base = projectDir({ 'a.js': 'export const v = "disk";' });
  const registry = new Registry({ baseURL: base });
  const url = new URL('a.js', base).href;
  const first = createModuleSource('export const v = "first";', { url, attributes: undefined });
  const ns = (await registry.import(first)) as { v: string };
  assert.equal(ns.v, 'first');
  assert.equal(await registry.import(url), ns, 'the URL now gives the instance of the source imported first');
});

test('eval-ish sources: keyed by eval id; equal text from two fromText calls gives two instances', async () => {
  const registry = new Registry();
  const a = ModuleSource.fromText('export const o = {};');
  const b = ModuleSource.fromText('export const o = {};');
  const nsA = (await registry.import(a)) as { o: object };
  assert.equal(await registry.import(a), nsA);
  const nsB = (await registry.import(b)) as { o: object };
  assert.notEqual(nsB.o, nsA.o);
  assert.equal(registry.get(sourceInfo(a).key)!.namespace, nsA);
  // Relative imports of an eval-ish source resolve from its baseURL.
  const base = projectDir({ 'dep.js': 'export default "dep";' });
  const c = ModuleSource.fromText('export { default } from "./dep.js";', { baseURL: base });
  assert.equal(((await registry.import(c)) as { default: string }).default, 'dep');
});

test('attributes are part of the key', async () => {
  const base = projectDir({ 'data.json': '{"x": 1}' });
  const registry = new Registry({ baseURL: base });
  const url = new URL('data.json', base).href;
  const ns = (await registry.import('./data.json', { with: { type: 'json' } })) as { default: { x: number } };
  assert.deepEqual(ns.default, { x: 1 });
  assert.equal(registry.has(url, { type: 'json' }), true);
  assert.equal(registry.has(url), false);
  const error = await rejects(registry.import('./data.json'));
  assert.ok(error instanceof ImportAttributeError);
  assert.equal(error.code, 'ERR_IMPORT_ATTRIBUTE_MISSING');
  assert.equal(registry.get(url)!.status, 'errored', 'the attribute-less key is a separate, failed entry');
  assert.equal(registry.get(url, { type: 'json' })!.status, 'evaluated');
  await assert.rejects(registry.import(ModuleSource.fromText(''), { with: { type: 'json' } }), TypeError);
  const sourceError = await rejects(registry.import('./data.json', { with: { type: 'json' }, phase: 'source' }));
  assert.ok(sourceError instanceof SyntaxError, 'JSON has no source phase');
});

test('registries are independent: instances never cross, sources do', async () => {
  const base = projectDir({ 'a.js': 'export const o = {};' });
  const one = new Registry({ baseURL: base });
  const two = new Registry({ baseURL: base });
  const ns1 = (await one.import('./a.js')) as { o: object };
  const ns2 = (await two.import('./a.js')) as { o: object };
  assert.notEqual(ns1.o, ns2.o);
  const source = (await one.import('./a.js', { phase: 'source' })) as ModuleSource;
  assert.equal(await two.import(source), ns2, 'a source from another registry gives this registry\'s canonical instance');
  const three = new Registry({ baseURL: base });
  const ns3 = await three.import(source);
  assert.notEqual(ns3, ns1);
  assert.equal(await three.import('./a.js'), ns3);
});

test('import maps: bare specifiers, scopes, invalid maps', async () => {
  const base = projectDir({
    'main.js': 'export { default as lib } from "lib"; export { default as scoped } from "./vendor/uses.js";',
    'lib.js': 'export default "lib";',
    'lib2.js': 'export default "lib2";',
  });
  mkdirSync(new URL('vendor/', base), { recursive: true });
  write(base, 'vendor/uses.js', 'export { default } from "lib";');
  const registry = new Registry({
    baseURL: base,
    importMap: { imports: { lib: './lib.js' }, scopes: { './vendor/': { lib: './lib2.js' } } },
  });
  const ns = (await registry.import('./main.js')) as { lib: string; scoped: string };
  assert.equal(ns.lib, 'lib');
  assert.equal(ns.scoped, 'lib2');
  assert.equal(registry.resolve('lib'), new URL('lib.js', base).href);
  // What the map does not answer, Node's resolution does: no such package.
  const error = await rejects(registry.import('unmapped'));
  assert.ok(error instanceof ModuleNotFoundError);
  assert.equal(error.code, 'ERR_MODULE_NOT_FOUND');
  assert.equal(error.specifier, 'unmapped');
  assert.equal(error.referrer, base);
  assert.equal(registry.has('unmapped'), false, 'a resolution failure creates no entry');
  assert.throws(() => new Registry({ importMap: '{ not json' }), ImportMapError);
  assert.throws(() => new Registry({ importMap: { imports: [] } }), ImportMapError);
});

test('resolutions are shared by the modules of one directory, and only where nothing else can change them', async () => {
  // Same specifiers from two directories and from two files of one directory.
  const base = projectDir({
    'main.js': 'import a from "./a/m.js"; import b from "./b/m.js"; import n from "./a/n.js"; export default [a, b, n].join(",");',
  });
  for (const dir of ['a', 'b']) {
    mkdirSync(new URL(`${dir}/`, base), { recursive: true });
    write(base, `${dir}/dep.js`, `export default "${dir}/dep";`);
    write(base, `${dir}/m.js`, 'export { default } from "./dep.js";');
  }
  write(base, 'a/n.js', 'export { default } from "./dep.js";');
  const plain = new Registry({ baseURL: base });
  assert.equal(((await plain.import('./main.js')) as { default: string }).default, 'a/dep,b/dep,a/dep');
  assert.equal(plain.entries().filter((e) => e.key.endsWith('/dep.js')).length, 2);

  // A scope naming one file: a.js and n.js share a directory but not their resolutions.
  write(base, 'a/x.js', 'export default "x";');
  write(base, 'a/y.js', 'export default "y";');
  write(base, 'a/m2.js', 'export { default } from "lib";');
  write(base, 'a/n2.js', 'export { default } from "lib";');
  write(base, 'main2.js', 'import m from "./a/m2.js"; import n from "./a/n2.js"; export default m + n;');
  const mapped = new Registry({
    baseURL: base,
    importMap: { imports: { lib: './a/x.js' }, scopes: { './a/n2.js': { lib: './a/y.js' } } },
  });
  assert.equal(((await mapped.import('./main2.js')) as { default: string }).default, 'xy');

  // A resolve hook sees every referrer.
  const referrers: string[] = [];
  const hooked = new Registry({
    baseURL: base,
    hooks: { resolve: (specifier, referrer, next) => (referrers.push(referrer), next(specifier, referrer)) },
  });
  await hooked.import('./main.js');
  assert.ok(referrers.includes(new URL('a/m.js', base).href) && referrers.includes(new URL('a/n.js', base).href));
});

test('a missing module: an errored entry, the same error again, then delete + fix + retry works', async () => {
  const base = projectDir({ 'main.js': 'export { v } from "./dep.js";' });
  const registry = new Registry({ baseURL: base });
  const depURL = new URL('dep.js', base).href;
  const mainURL = new URL('main.js', base).href;
  const first = await rejects(registry.import('./main.js'));
  assert.ok(first instanceof ModuleNotFoundError);
  assert.equal(first.code, 'ERR_MODULE_NOT_FOUND');
  assert.equal(first.specifier, './dep.js');
  assert.equal(first.referrer, mainURL);
  assert.equal(first.url, depURL);
  assert.match(first.message, /dep\.js/);
  assert.deepEqual(registry.entries().map((e) => [e.key, e.status]), [[mainURL, 'loaded'], [depURL, 'errored']]);
  write(base, 'dep.js', 'export const v = 1;');
  assert.equal(await rejects(registry.import('./main.js')), first, 'the failed entry rethrows the same error');
  assert.equal(registry.delete(depURL), true);
  assert.equal(((await registry.import('./main.js')) as { v: number }).v, 1);
  assert.deepEqual(registry.entries().map((e) => e.status), ['evaluated', 'evaluated']);
});

test('a syntax error: ModuleSyntaxError with URL, line and column; retry after fix works', async () => {
  const base = projectDir({ 'bad.js': 'export const a = 1;\nexport const b = ;\n' });
  const registry = new Registry({ baseURL: base });
  const url = new URL('bad.js', base).href;
  const error = await rejects(registry.import('./bad.js'));
  assert.ok(error instanceof ModuleSyntaxError);
  assert.ok(error instanceof SyntaxError);
  assert.equal(error.url, url);
  assert.equal(error.line, 2);
  assert.equal(error.column, 18);
  assert.equal(registry.get(url)!.status, 'errored');
  assert.equal(await rejects(registry.import('./bad.js')), error);
  write(base, 'bad.js', 'export const a = 1;\nexport const b = 2;\n');
  registry.delete(url);
  assert.equal(((await registry.import('./bad.js')) as { b: number }).b, 2);
});

test('a missing export: the importer fails with a SyntaxError naming both modules; nothing stays half-linked', async () => {
  const base = projectDir({
    'main.js': 'import "./ok.js"; import { nope } from "./dep.js"; globalThis.ranMain = true;',
    'ok.js': 'globalThis.ranOk = true;',
    'dep.js': 'export const yes = 1;',
  });
  const registry = new Registry({ baseURL: base });
  const [mainURL, okURL, depURL] = ['main.js', 'ok.js', 'dep.js'].map((f) => new URL(f, base).href);
  const error = await rejects(registry.import('./main.js'));
  assert.ok(error instanceof ModuleLinkError);
  assert.ok(error instanceof SyntaxError);
  assert.equal(error.name, 'SyntaxError');
  assert.equal(error.specifier, './dep.js');
  assert.equal(error.referrer, mainURL);
  assert.equal(error.url, depURL);
  assert.match(error.message, /nope/);
  // As the spec's Link() leaves them: the importer failed, its dependencies
  // completed linking before it; nothing is left in 'linking'.
  const status = Object.fromEntries(registry.entries().map((e) => [e.key, e.status]));
  assert.deepEqual(status, { [mainURL!]: 'errored', [okURL!]: 'linked', [depURL!]: 'linked' });
  assert.equal((globalThis as { ranOk?: boolean }).ranOk, undefined, 'nothing ran');
  assert.equal(await rejects(registry.import('./main.js')), error);
  // The healthy modules are still usable on their own.
  assert.equal(((await registry.import('./dep.js')) as { yes: number }).yes, 1);
  write(base, 'main.js', 'import "./ok.js"; import { yes } from "./dep.js"; export const got = yes;');
  registry.delete(mainURL!);
  assert.equal(((await registry.import('./main.js')) as { got: number }).got, 1);
  assert.equal((globalThis as { ranOk?: boolean }).ranOk, true);
});

test('an evaluation error: the same error object every time, the entry is errored; delete + fix + retry works', async () => {
  const base = projectDir({
    'main.js': 'import "./boom.js";',
    'boom.js': 'globalThis.booms = (globalThis.booms ?? 0) + 1; throw new RangeError("boom");',
  });
  const registry = new Registry({ baseURL: base });
  const boomURL = new URL('boom.js', base).href;
  const error = await rejects(registry.import('./main.js'));
  assert.ok(error instanceof RangeError);
  assert.equal(await rejects(registry.import('./main.js')), error);
  assert.equal(await rejects(registry.import('./boom.js')), error);
  assert.equal((globalThis as { booms?: number }).booms, 1, 'evaluated once');
  const record = registry.get(boomURL)!;
  assert.equal(record.status, 'errored');
  assert.equal(record.error, error);
  write(base, 'boom.js', 'export const fine = true;');
  registry.delete(boomURL);
  registry.delete(new URL('main.js', base).href);
  await registry.import('./main.js');
  assert.equal(((await registry.import('./boom.js')) as { fine: boolean }).fine, true);
});

test('an unknown attribute type is a TypeError naming the specifier; the registry stays consistent', async () => {
  const base = projectDir({ 'a.js': 'export default 1;' });
  const registry = new Registry({ baseURL: base });
  const error = await rejects(registry.import('./a.js', { with: { type: 'nope' } }));
  assert.ok(error instanceof ImportAttributeError);
  assert.ok(error instanceof TypeError);
  assert.equal(error.code, 'ERR_IMPORT_ATTRIBUTE_UNSUPPORTED');
  assert.equal(error.specifier, './a.js');
  assert.equal(((await registry.import('./a.js')) as { default: number }).default, 1, 'the key without attributes is unaffected');
  const bad = await rejects(registry.import('./a.js', { with: { type: 1 } as unknown as Record<string, string> }));
  assert.ok(bad instanceof TypeError);
});

test('delete: later imports load afresh, existing importers keep their bindings', async () => {
  const base = projectDir({
    'dep.js': 'export let v = "old"; export function set(x) { v = x; }',
    'user.js': 'import { v, set } from "./dep.js"; export const read = () => v; export { set };',
  });
  const registry = new Registry({ baseURL: base });
  const user = (await registry.import('./user.js')) as { read(): string; set(v: string): void };
  write(base, 'dep.js', 'export let v = "new";');
  assert.equal(registry.delete(new URL('dep.js', base).href), true);
  assert.equal(registry.delete(new URL('dep.js', base).href), false);
  const fresh = (await registry.import('./dep.js')) as { v: string };
  assert.equal(fresh.v, 'new');
  assert.equal(user.read(), 'old', 'the existing importer keeps its binding');
  user.set('changed');
  assert.equal(user.read(), 'changed', 'and it is still live');
  assert.equal(fresh.v, 'new');
});

test('sources are forgotten when the last entry holding them goes: reload cycles do not accumulate', async () => {
  const { liveSourceCount } = await import('../ts-host/loader/source-table.js');
  const base = projectDir({ 'hot.js': 'export const v = 0;', 'data.json': '{"n": 0}' });
  const hot = new URL('hot.js', base).href;
  const data = new URL('data.json', base).href;
  const registry = new Registry({ baseURL: base });
  await registry.import('./hot.js');
  await registry.import('./data.json', { with: { type: 'json' } });
  const baseline = liveSourceCount();
  for (let i = 1; i <= 20; i++) {
    write(base, 'hot.js', `export const v = ${i};`);
    write(base, 'data.json', `{"n": ${i}}`);
    assert.equal(registry.delete(hot), true);
    assert.equal(registry.delete(data, { type: 'json' }), true);
    assert.equal(((await registry.import('./hot.js')) as { v: number }).v, i);
    assert.equal(((await registry.import('./data.json', { with: { type: 'json' } })) as { default: { n: number } }).default.n, i);
  }
  assert.equal(liveSourceCount(), baseline, 'each old version was forgotten');

  // The same content in two registries is one source id, kept while either holds it.
  const other = new Registry({ baseURL: base });
  await other.import('./hot.js');
  assert.equal(liveSourceCount(), baseline, 'equal content shares its id');
  registry.delete(hot);
  assert.equal(liveSourceCount(), baseline, 'still held by the other registry');
  const source = (await other.import('./hot.js', { phase: 'source' })) as ModuleSource;
  const again = await registry.import(source);
  assert.equal(registry.get(hot)?.namespace, again, 'the source object makes a new canonical entry');
  assert.equal(liveSourceCount(), baseline, 'under the id its content already has');
  registry.delete(hot);
  other.delete(hot);
  assert.equal(liveSourceCount(), baseline - 1, 'no registry holds it: forgotten');
});

test('a load that fails to compile, then delete: no table row and no held source is left behind', async () => {
  const { liveSourceCount } = await import('../ts-host/loader/source-table.js');
  const { engineTables } = await import('../ts-host/loader/tables.js');
  let text = 'export const = ;';
  const registry = new Registry({ hooks: { load: () => text } });
  const url = 'file:///canon-test/compile-fails.js';
  const before = liveSourceCount();
  assert.ok((await rejects(registry.import(url))) instanceof ModuleSyntaxError);
  assert.equal(registry.get(url)?.status, 'errored');
  assert.equal(registry.delete(url), true);
  const keyId = engineTables().keys.lookup(url);
  assert.deepEqual(engineTables().registry.entries().filter((r) => r.registry === registry.id && r.key === keyId), [], 'no row for the deleted key');
  assert.equal(liveSourceCount(), before, 'its content is not held');
  text = 'export const fixed = 1;';
  assert.equal(((await registry.import(url)) as { fixed: number }).fixed, 1);
});

test('hooks: resolve, load (text, bytes, sources), importMeta', async () => {
  const registry = new Registry({
    baseURL: 'virtual:/',
    hooks: {
      resolve: (specifier, referrer, next) => (specifier.startsWith('virtual:') ? specifier : next(specifier, referrer)),
      load: (url) => {
        if (url === 'virtual:/main.js') return 'import t from "virtual:/text.js"; import b from "virtual:/bytes.js"; export default [t, b, import.meta.extra, import.meta.url];';
        if (url === 'virtual:/text.js') return 'export default "text";';
        if (url === 'virtual:/bytes.js') return new TextEncoder().encode('export default "bytes";');
        throw new Error(`no ${url}`);
      },
      importMeta: (meta, url) => {
        meta.extra = `meta for ${url}`;
      },
    },
  });
  const ns = (await registry.import('virtual:/main.js')) as { default: unknown[] };
  assert.deepEqual(ns.default, ['text', 'bytes', 'meta for virtual:/main.js', 'virtual:/main.js']);
  const missing = await rejects(registry.import('virtual:/none.js'));
  assert.match((missing as Error).message, /no virtual:\/none\.js/);
  assert.equal(registry.get('virtual:/none.js')!.status, 'errored');
});

test('bad arguments are TypeErrors', async () => {
  const registry = new Registry();
  await assert.rejects(registry.import(42 as unknown as string), TypeError);
  await assert.rejects(registry.import('./x.js', { with: 'json' as unknown as Record<string, string> }), TypeError);
});

test('importSync policies: registry-only refuses what is not loaded; allow-host-loading reads files synchronously', async () => {
  const { canLinkSync } = await import('../ts-host/loader/link.js');
  const { ImportSyncError } = await import('../ts-host/errors.js');
  const base = projectDir({ 'plain.js': 'export const p = "plain";', 'tla.js': 'await 0; export const t = 1;' });
  const strict = new Registry({ baseURL: base });
  assert.throws(() => strict.importSync('./plain.js'), (e: unknown) => e instanceof ImportSyncError && e.reason === 'not loaded' && e.specifier === './plain.js');
  assert.equal(strict.has(new URL('plain.js', base).href), false, 'a refused import.sync leaves no entry');
  await strict.import('./plain.js');
  assert.equal((strict.importSync('./plain.js') as { p: string }).p, 'plain');

  const loose = new Registry({ baseURL: base, importSync: 'allow-host-loading' });
  if (canLinkSync) {
    assert.equal((loose.importSync('./plain.js') as { p: string }).p, 'plain', 'loaded, linked and evaluated synchronously');
    assert.throws(() => loose.importSync('./tla.js'), (e: unknown) => e instanceof ImportSyncError && e.reason === 'top-level await');
  } else {
    assert.throws(() => loose.importSync('./plain.js'), (e: unknown) => e instanceof ImportSyncError && e.reason === 'not linkable synchronously');
  }
  // Either way the registry is consistent: an asynchronous import still works.
  assert.equal(((await loose.import('./tla.js')) as { t: number }).t, 1);
  assert.throws(() => new Registry({ importSync: 'sometimes' as never }), TypeError);
});

test('import.sync walks like import: failures name the request that failed; defer and source-phase JSON are refused', async () => {
  const { canLinkSync } = await import('../ts-host/loader/link.js');
  const { ImportSyncError } = await import('../ts-host/errors.js');
  const base = projectDir({
    'top.js': 'import "./mid.js";',
    'mid.js': 'import "./missing.js";',
    'defers.js': 'import defer * as ns from "./mid.js"; export { ns };',
    'json-source.js': 'import source s from "./data.json" with { type: "json" }; export { s };',
    'data.json': '{}',
  });
  const registry = new Registry({ baseURL: base, importSync: 'allow-host-loading' });
  const missing = (() => {
    try {
      registry.importSync('./top.js');
    } catch (error) {
      return error;
    }
    assert.fail('expected a failure');
  })();
  assert.ok(missing instanceof ModuleNotFoundError);
  assert.equal(missing.specifier, './missing.js');
  assert.equal(missing.referrer, new URL('mid.js', base).href);
  assert.throws(() => registry.importSync('./defers.js'), (e: unknown) => e instanceof ImportSyncError && e.reason === 'not linkable synchronously');
  assert.throws(() => registry.importSync('./json-source.js'), (e: unknown) => e instanceof SyntaxError && /JSON modules have no source phase/.test((e as Error).message));
  // The same graph asynchronously: the same failures, and then a fix works.
  assert.ok((await rejects(registry.import('./top.js'))) instanceof ModuleNotFoundError);
  write(base, 'missing.js', 'export {};');
  registry.delete(new URL('missing.js', base).href);
  registry.delete(new URL('mid.js', base).href);
  registry.delete(new URL('top.js', base).href);
  if (canLinkSync) assert.ok(registry.importSync('./top.js'));
});

test('delete while loading: the load finishes but the entry stays deleted; a new import loads afresh', async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let loads = 0;
  const registry = new Registry({
    baseURL: 'virtual:/',
    hooks: {
      load: async () => {
        loads++;
        await gate;
        return `export const n = ${loads};`;
      },
    },
  });
  const first = registry.import('virtual:/slow.js');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(registry.get('virtual:/slow.js')!.status, 'loading');
  assert.equal(registry.delete('virtual:/slow.js'), true);
  release();
  assert.equal(((await first) as { n: number }).n, 1, 'the import that started it still completes');
  assert.equal(registry.has('virtual:/slow.js'), false, 'the deleted entry did not come back');
  assert.equal(((await registry.import('virtual:/slow.js')) as { n: number }).n, 2, 'a later import loads afresh');
});

test('concurrent imports of overlapping graphs share entries and evaluate each module once', async () => {
  const base = projectDir({
    'shared.js': 'globalThis.sharedRuns = (globalThis.sharedRuns ?? 0) + 1; export const s = "shared";',
    'a.js': 'import { s } from "./shared.js"; export const a = s + "+a";',
    'b.js': 'import { s } from "./shared.js"; await 0; export const b = s + "+b";',
  });
  const registry = new Registry({ baseURL: base });
  const [a, b, again] = (await Promise.all([registry.import('./a.js'), registry.import('./b.js'), registry.import('./a.js')])) as [{ a: string }, { b: string }, object];
  assert.equal(a.a, 'shared+a');
  assert.equal(b.b, 'shared+b');
  assert.equal(again, a);
  assert.equal((globalThis as { sharedRuns?: number }).sharedRuns, 1);
  assert.deepEqual(registry.entries().map((e) => e.status), ['evaluated', 'evaluated', 'evaluated']);
});
