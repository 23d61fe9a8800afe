// The persistent compile and analysis cache (ts-host/cache): hits and
// misses, bad records (flipped bytes, truncated files, another V8's key, a
// code cache V8 refuses), two processes writing at once, the size cap,
// turning it off, an unsafe directory, and a program's output the same with
// and without the cache (and the same as native Node's).

import xxhashWasm from 'xxhash-wasm';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { FUNCTION_CODE_CACHE_MIN_BYTES, RECORD_MIN_BYTES } from '../ts-host/cache/module-cache.js';
import { codeCacheKeepsImportCallback } from '../ts-host/loader/parse-cjs.js';
import { DirectoryStore, MemoryStore, ModuleCache, Registry } from '../ts-host/index.js';

const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
const FLAGS = ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'];
const scratch = mkdtempSync(join(tmpdir(), 'canon-cache-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let dirs = 0;
/** A fresh cache directory path (not created). */
function cacheDir(): string {
  return join(scratch, `cache-${dirs++}`);
}

/** Writes modules, padded past the size below which modules are not cached (RECORD_MIN_BYTES). */
function write(dir: string, files: Record<string, string>, pad = true): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), pad && name.endsWith('.mjs') ? `${text}\n// ${'-'.repeat(RECORD_MIN_BYTES)}\n` : text);
}

// A program with what the cache records: static, escaped and dynamic
// specifiers, attributes, import.meta, and a module big enough for a V8 code cache.
const app = join(scratch, 'app');
const bigBody = Array.from({ length: 180 }, (_, i) => `export function f${i}(x) { return x * ${i} + ${i}; }`).join('\n');
write(app, {
  'main.mjs': [
    "import { a } from './a.mjs';",
    "import { f59 } from './big.mjs';",
    "import data from './data.json' with { type: 'json' };",
    "const lazy = await import('./lazy.mjs');",
    'console.log(a, f59(2), data.name, lazy.default, import.meta.url.endsWith("/main.mjs"));',
  ].join('\n'),
  'a.mjs': "import { c } from './\\u0063.mjs';\nexport const a = 'a' + c;\n",
  'c.mjs': "export const c = 'c';\n",
  'big.mjs': bigBody + '\n',
  'data.json': '{ "name": "json" }',
  'lazy.mjs': 'export default "lazy";\n',
});
const appMain = join(app, 'main.mjs');
const APP_JS_MODULES = 5;

// Phase syntax: the engine compiles a lowered text, which the record keeps.
const phases = join(scratch, 'phases');
write(phases, {
  'main.mjs': "import defer * as ns from './dep.mjs';\nconsole.log('before');\nconsole.log(ns.value);\n",
  'dep.mjs': "console.log('dep runs');\nexport const value = 42;\n",
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  stats: { hits: number; misses: number; corrupt: number; rejected: number } | undefined;
}

function canon(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [...FLAGS, cli, 'run', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CANON_CACHE_DEBUG: '1', ...env },
  });
  const m = /canon cache: (\d+) hits, (\d+) misses, (\d+) corrupt, (\d+) code caches rejected/.exec(r.stderr);
  const stats = m ? { hits: Number(m[1]), misses: Number(m[2]), corrupt: Number(m[3]), rejected: Number(m[4]) } : undefined;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, stats };
}

const native = spawnSync(process.execPath, [appMain], { encoding: 'utf8' });

test('miss, then hit: the second run uses every record, and the output is the same as uncached and as native Node', () => {
  assert.equal(native.status, 0, native.stderr);
  const dir = cacheDir();
  const off = canon(['--no-cache', appMain]);
  const cold = canon([appMain], { CANON_CACHE_DIR: dir });
  const warm = canon([appMain], { CANON_CACHE_DIR: dir });
  for (const r of [off, cold, warm]) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, native.stdout);
  }
  assert.equal(off.stats, undefined, 'no cache with --no-cache');
  assert.deepEqual(cold.stats, { hits: 0, misses: APP_JS_MODULES, corrupt: 0, rejected: 0 });
  assert.deepEqual(warm.stats, { hits: APP_JS_MODULES, misses: 0, corrupt: 0, rejected: 0 });
  assert.ok(existsSync(join(dir, 'index')));
});

test('lowered phase syntax is kept in the record: the same output warm', () => {
  const dir = cacheDir();
  const off = canon(['--no-cache', join(phases, 'main.mjs')]);
  const cold = canon([join(phases, 'main.mjs')], { CANON_CACHE_DIR: dir });
  const warm = canon([join(phases, 'main.mjs')], { CANON_CACHE_DIR: dir });
  assert.equal(off.stdout, 'before\ndep runs\n42\n');
  assert.equal(cold.stdout, off.stdout);
  assert.equal(warm.stdout, off.stdout);
  assert.equal(warm.stats?.hits, 2);
});

test('modules under RECORD_MIN_BYTES are not cached (looking them up would cost what lexing them does)', () => {
  const small = join(scratch, 'small');
  write(small, { 'main.mjs': "import { x } from './x.mjs';\nconsole.log(x);\n", 'x.mjs': 'export const x = 1;\n' }, false);
  const dir = cacheDir();
  const cold = canon([join(small, 'main.mjs')], { CANON_CACHE_DIR: dir });
  const warm = canon([join(small, 'main.mjs')], { CANON_CACHE_DIR: dir });
  assert.equal(warm.stdout, '1\n');
  assert.equal(cold.stats, undefined, 'nothing looked up, nothing written');
  assert.equal(warm.stats, undefined);
  assert.equal(existsSync(join(dir, 'index')), false);
});

test('--no-cache writes no module records; CANON_CACHE=0 leaves the cache directory alone', () => {
  const dir = cacheDir();
  assert.equal(canon([appMain], { CANON_CACHE_DIR: dir, CANON_CACHE: '0' }).status, 0);
  assert.equal(existsSync(dir), false, 'CANON_CACHE=0: not even the code cache of canon itself');
  assert.equal(canon(['--no-cache', appMain], { CANON_CACHE_DIR: dir }).status, 0);
  // --no-cache is about the program's modules: canon's own code cache (own/) may be written.
  assert.deepEqual(readdirSync(dir).filter((name) => name !== 'own'), []);
});

function packFiles(dir: string): string[] {
  return readdirSync(join(dir, 'packs')).filter((f) => f.endsWith('.pack')).map((f) => join(dir, 'packs', f));
}

test('flipped bytes in a pack: the bad records are ignored and rewritten', () => {
  const dir = cacheDir();
  canon([appMain], { CANON_CACHE_DIR: dir });
  // One byte of each record's payload (past its 48-byte header): only the record's checksum can tell.
  for (const file of packFiles(dir)) {
    const bytes = readFileSync(file);
    for (let at = 16; at < bytes.length;) {
      const valueLength = bytes.readUInt32LE(at + 4);
      const valueStart = (at + 12 + bytes.readUInt32LE(at + 8) + 7) & ~7;
      bytes[valueStart + 48 + ((valueLength - 48) >> 1)]! ^= 0x5a;
      at = (valueStart + valueLength + 7) & ~7;
    }
    writeFileSync(file, bytes);
  }
  const damaged = canon([appMain], { CANON_CACHE_DIR: dir });
  assert.equal(damaged.status, 0, damaged.stderr);
  assert.equal(damaged.stdout, native.stdout);
  assert.deepEqual(damaged.stats, { hits: 0, misses: APP_JS_MODULES, corrupt: APP_JS_MODULES, rejected: 0 });
  const repaired = canon([appMain], { CANON_CACHE_DIR: dir });
  assert.deepEqual(repaired.stats, { hits: APP_JS_MODULES, misses: 0, corrupt: 0, rejected: 0 });
  // Bytes flipped anywhere (framing, keys, index rows): never a wrong program, and repaired on the next run.
  for (const file of [...packFiles(dir), join(dir, 'index')]) {
    const bytes = readFileSync(file);
    for (let i = 7; i < bytes.length; i += 53) bytes[i]! ^= 0xa5;
    writeFileSync(file, bytes);
  }
  const scrambled = canon([appMain], { CANON_CACHE_DIR: dir });
  assert.equal(scrambled.status, 0, scrambled.stderr);
  assert.equal(scrambled.stdout, native.stdout);
  assert.equal(scrambled.stats!.hits, 0);
  assert.deepEqual(canon([appMain], { CANON_CACHE_DIR: dir }).stats, { hits: APP_JS_MODULES, misses: 0, corrupt: 0, rejected: 0 });
});

test('a truncated pack and a truncated index: misses, then rewritten', () => {
  const dir = cacheDir();
  canon([appMain], { CANON_CACHE_DIR: dir });
  for (const file of packFiles(dir)) truncateSync(file, 200);
  const shortPack = canon([appMain], { CANON_CACHE_DIR: dir });
  assert.equal(shortPack.stdout, native.stdout);
  assert.ok(shortPack.stats!.misses > 0);
  assert.deepEqual(canon([appMain], { CANON_CACHE_DIR: dir }).stats, { hits: APP_JS_MODULES, misses: 0, corrupt: 0, rejected: 0 });
  truncateSync(join(dir, 'index'), 30);
  const shortIndex = canon([appMain], { CANON_CACHE_DIR: dir });
  assert.equal(shortIndex.stdout, native.stdout);
  assert.deepEqual(shortIndex.stats, { hits: 0, misses: APP_JS_MODULES, corrupt: 0, rejected: 0 });
  assert.deepEqual(canon([appMain], { CANON_CACHE_DIR: dir }).stats, { hits: APP_JS_MODULES, misses: 0, corrupt: 0, rejected: 0 });
});

test('records of another V8 (another engine key) are not used', async () => {
  const store = new MemoryStore();
  const url = pathToFileURL(appMain).href;
  const ours = new ModuleCache(store, { engineKey: 'v8-ours' });
  await new Registry({ cache: ours }).import(url);
  ours.flush();
  assert.equal(ours.misses, APP_JS_MODULES);
  const other = new ModuleCache(store, { engineKey: 'v8-other' });
  await new Registry({ cache: other }).import(url);
  assert.equal(other.hits, 0);
  assert.equal(other.misses, APP_JS_MODULES);
  const again = new ModuleCache(store, { engineKey: 'v8-ours' });
  await new Registry({ cache: again }).import(url);
  assert.equal(again.hits, APP_JS_MODULES);
});

test('a record whose header names other content is not trusted, whatever key it is stored under', async () => {
  const dir = join(scratch, 'swap');
  write(dir, { 'm.mjs': 'export const v = 1;\n' });
  const url = pathToFileURL(join(dir, 'm.mjs')).href;
  const store = new MemoryStore();
  const first = new ModuleCache(store, { engineKey: 'k' });
  await new Registry({ cache: first }).import(url);
  first.flush();
  const [[oldKey, oldRecord]] = [...store.records];
  // Other content of the same length (V8's own check of a code cache looks at the length only).
  write(dir, { 'm.mjs': 'export const v = 2;\n' });
  const second = new ModuleCache(store, { engineKey: 'k' });
  await new Registry({ cache: second }).import(url);
  second.flush();
  const newKey = [...store.records.keys()].find((k) => k !== oldKey)!;
  store.records.set(newKey, oldRecord!);
  const third = new ModuleCache(store, { engineKey: 'k' });
  const ns = (await new Registry({ cache: third }).import(url)) as { v: number };
  assert.equal(ns.v, 2);
  assert.equal(third.corrupt, 1);
  assert.equal(third.hits, 0);
});

test('a code cache V8 refuses is caught: the module compiles without it and the record is rewritten', async () => {
  const dir = join(scratch, 'reject');
  write(dir, { 'big.mjs': bigBody + '\n' });
  const url = pathToFileURL(join(dir, 'big.mjs')).href;
  const store = new MemoryStore();
  const first = new ModuleCache(store, { engineKey: 'k', codeCache: true });
  await new Registry({ cache: first }).import(url);
  first.flush();
  const [[key, record]] = [...store.records];
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const codeLength = view.getUint32(16, true);
  assert.ok(codeLength > 0, 'the record has a code cache');
  const codeAt = record.length - codeLength;
  // Damage V8's own header (its version/flags hash words), then fix canon's checksum: only V8 can notice.
  for (let i = 4; i < 16; i++) record[codeAt + i]! ^= 0xff;
  const { checksum32 } = await import('../ts-host/cache/checksum.js');
  view.setUint32(24, checksum32(record.subarray(48)), true);
  store.records.set(key, record);
  const second = new ModuleCache(store, { engineKey: 'k', codeCache: true });
  const ns = (await new Registry({ cache: second }).import(url)) as { f59(x: number): number };
  assert.equal(ns.f59(2), 2 * 59 + 59);
  assert.equal(second.hits, 1);
  assert.equal(second.rejected, 1);
  second.flush();
  const third = new ModuleCache(store, { engineKey: 'k', codeCache: true });
  await new Registry({ cache: third }).import(url);
  assert.equal(third.rejected, 0, 'the rewritten record is accepted');
});

// A CommonJS program: modules big enough for a code cache of their function,
// a small one, JSON, import(), a lowered phase call, and an error whose
// stack positions must not depend on how the function was compiled.
const cjsApp = join(scratch, 'cjs-app');
const cjsPad = `\n// ${'-'.repeat(FUNCTION_CODE_CACHE_MIN_BYTES)}\n`;
write(cjsApp, {
  'main.cjs': [
    "const lib = require('./lib.cjs');",
    "const small = require('./small.cjs');",
    "const data = require('./data.json');",
    'console.log(lib.twice(21), small, data.name, lib.inner()());',
    'try { lib.fail(); } catch (error) { console.log(error.message, /lib\\.cjs:(\\d+:\\d+)/.exec(error.stack)[1]); }',
    "import('./later.cjs').then((m) => console.log(m.default.later));",
  ].join('\n') + cjsPad,
  'lib.cjs': [
    'exports.twice = (x) => x * 2;',
    'exports.inner = () => function named() { return named.name; };',
    "exports.fail = () => { throw new RangeError('failed here'); };",
  ].join('\n') + cjsPad,
  'small.cjs': "module.exports = 'small';\n",
  'data.json': '{ "name": "json" }',
  'later.cjs': "exports.later = 'later';" + cjsPad,
}, false);
const cjsMain = join(cjsApp, 'main.cjs');
/**
 * The CommonJS modules of cjsApp with a record: those big enough, but for
 * main.cjs (it calls import()) where a code cache loses the import callback (Node 20).
 */
const CJS_CACHED = codeCacheKeepsImportCallback() ? 3 : 2;

test('CommonJS: miss, then hit from the code cache of each function; the output is the same as uncached and as native Node', () => {
  const expected = spawnSync(process.execPath, [cjsMain], { encoding: 'utf8' });
  assert.equal(expected.status, 0, expected.stderr);
  assert.match(expected.stdout, /^42 small json named\nfailed here 3:\d+\nlater\n$/);
  const dir = cacheDir();
  const off = canon(['--no-cache', cjsMain]);
  const cold = canon([cjsMain], { CANON_CACHE_DIR: dir, CANON_CACHE_CODE: '1' });
  const warm = canon([cjsMain], { CANON_CACHE_DIR: dir, CANON_CACHE_CODE: '1' });
  for (const r of [off, cold, warm]) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, expected.stdout);
  }
  assert.deepEqual(cold.stats, { hits: 0, misses: CJS_CACHED, corrupt: 0, rejected: 0 });
  assert.deepEqual(warm.stats, { hits: CJS_CACHED, misses: 0, corrupt: 0, rejected: 0 });
  // Code caches off: no CommonJS module looked up.
  const none = canon([cjsMain], { CANON_CACHE_DIR: cacheDir(), CANON_CACHE_CODE: '0' });
  assert.equal(none.stdout, expected.stdout);
  assert.equal((none.stats?.hits ?? 0) + (none.stats?.misses ?? 0), 0);
});

test('CommonJS: a function code cache V8 refuses is caught, the function compiled without it and the record rewritten', async () => {
  // In other processes: V8 may answer a compile from its in-process cache without looking at the data.
  const dir = cacheDir();
  const env = { CANON_CACHE_DIR: dir, CANON_CACHE_CODE: '1' };
  const expected = canon(['--no-cache', cjsMain]).stdout;
  assert.equal(canon([cjsMain], env).stats?.misses, CJS_CACHED);
  const { checksum32 } = await import('../ts-host/cache/checksum.js');
  let damaged = 0;
  for (const file of packFiles(dir)) {
    const bytes = readFileSync(file);
    for (let at = 16; at < bytes.length;) {
      const valueLength = bytes.readUInt32LE(at + 4);
      const valueStart = (at + 12 + bytes.readUInt32LE(at + 8) + 7) & ~7;
      const record = bytes.subarray(valueStart, valueStart + valueLength);
      at = (valueStart + valueLength + 7) & ~7;
      // Module records only (the pack also keeps the program's resolutions).
      if (record.readUInt32LE(0) !== 0x524d4e43) continue;
      assert.equal(record.readUInt16LE(6), 3, 'a record with a code cache (1) of a CommonJS function (2)');
      assert.equal(record.readUInt32LE(12), 0, 'and no analysis');
      // Damage V8's own header (its version/flags hash words), then fix canon's checksum: only V8 can notice.
      for (let i = 48 + 4; i < 48 + 16; i++) record[i]! ^= 0xff;
      record.writeUInt32LE(checksum32(record.subarray(48)), 24);
      damaged++;
    }
    writeFileSync(file, bytes);
  }
  assert.equal(damaged, CJS_CACHED);
  const refused = canon([cjsMain], env);
  assert.equal(refused.status, 0, refused.stderr);
  assert.equal(refused.stdout, expected);
  assert.deepEqual(refused.stats, { hits: CJS_CACHED, misses: 0, corrupt: 0, rejected: CJS_CACHED });
  const rewritten = canon([cjsMain], env);
  assert.equal(rewritten.stdout, expected);
  assert.deepEqual(rewritten.stats, { hits: CJS_CACHED, misses: 0, corrupt: 0, rejected: 0 }, 'the rewritten records are accepted');
});

test('CommonJS: the same bytes as an ES module and as a CommonJS module are two records, neither used for the other', async () => {
  const dir = join(scratch, 'cjs-and-esm');
  const text = 'globalThis.ranAs = (globalThis.ranAs ?? 0) + 1;' + cjsPad;
  write(dir, { 'm.mjs': text, 'm.cjs': text }, false);
  const store = new MemoryStore();
  const options = { engineKey: 'k', codeCache: true, functionCodeCache: true };
  const first = new ModuleCache(store, options);
  const registry = new Registry({ cache: first });
  await registry.import(pathToFileURL(join(dir, 'm.mjs')).href);
  registry.require(join(dir, 'm.cjs'));
  first.flush();
  assert.equal(store.records.size, 2);
  const second = new ModuleCache(store, options);
  const again = new Registry({ cache: second });
  await again.import(pathToFileURL(join(dir, 'm.mjs')).href);
  again.require(join(dir, 'm.cjs'));
  assert.deepEqual([second.hits, second.misses, second.corrupt, second.rejected], [2, 0, 0, 0]);
  assert.equal((globalThis as { ranAs?: number }).ranAs, 4);
});

test('two processes writing one cache directory at once: both succeed, the index holds both', async () => {
  const other = join(scratch, 'other');
  write(other, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`m${i}.mjs`, i < 29 ? `import './m${i + 1}.mjs';\nexport const x${i} = ${i};\n` : 'console.log("other");\n'])));
  const dir = cacheDir();
  const start = (entry: string) => new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [...FLAGS, cli, 'run', entry], { env: { ...process.env, CANON_CACHE_DIR: dir }, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
  for (let round = 0; round < 3; round++) {
    const codes = await Promise.all([start(appMain), start(join(other, 'm0.mjs')), start(appMain), start(join(other, 'm0.mjs'))]);
    assert.deepEqual(codes, [0, 0, 0, 0]);
  }
  assert.deepEqual(canon([appMain], { CANON_CACHE_DIR: dir }).stats, { hits: APP_JS_MODULES, misses: 0, corrupt: 0, rejected: 0 });
  assert.deepEqual(canon([join(other, 'm0.mjs')], { CANON_CACHE_DIR: dir }).stats, { hits: 30, misses: 0, corrupt: 0, rejected: 0 });
  assert.equal(existsSync(join(dir, 'index.lock')), false);
  assert.deepEqual(readdirSync(join(dir, 'packs')).filter((f) => f.includes('.tmp-')), []);
});

test('the size cap evicts the least recently used records', () => {
  const dir = cacheDir();
  mkdirSync(dir, { mode: 0o700 });
  let now = Date.UTC(2026, 0, 1);
  const open = () => new DirectoryStore(dir, { maxBytes: 4000, clock: () => now });
  const value = (i: number) => new Uint8Array(500).fill(i);
  let store = open();
  for (let i = 0; i < 5; i++) store.set(`k${i}`, value(i));
  store.flush();
  now += 2 * 3600_000;
  store = open();
  assert.deepEqual(store.get('k0'), value(0)); // used again: now the most recent
  store.flush();
  now += 2 * 3600_000;
  store = open();
  for (let i = 5; i < 9; i++) store.set(`k${i}`, value(i));
  store.flush();
  store = open();
  const info = store.info();
  assert.ok(info.bytes <= 4000, `${info.bytes} bytes under a cap of 4000`);
  assert.deepEqual(store.get('k0'), value(0), 'recently used: kept');
  assert.deepEqual(store.get('k8'), value(8), 'just written: kept');
  assert.equal(store.get('k1'), undefined, 'least recently used: evicted');
  assert.equal(packFiles(dir).length, info.packs, 'no pack left behind');
});

test('a cache directory others can write to is refused with a warning; the program runs uncached', () => {
  const dir = cacheDir();
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const r = canon([appMain], { CANON_CACHE_DIR: dir });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, native.stdout);
  assert.match(r.stderr, /canon: warning: cache disabled: .* writable by others \(mode 777\)/);
  assert.equal(existsSync(join(dir, 'index')), false);
  // Inside a parent everyone can write to (not sticky): the directory could be swapped.
  const parent = join(scratch, 'open-parent');
  mkdirSync(parent);
  chmodSync(parent, 0o777);
  const inOpen = canon([appMain], { CANON_CACHE_DIR: join(parent, 'cache') });
  assert.equal(inOpen.stdout, native.stdout);
  assert.match(inOpen.stderr, /cache disabled: .*open-parent \(the parent of .*\) is writable by everyone and not sticky/);
  // Owned by another user (needs root to set up).
  if (process.getuid?.() === 0) {
    const foreign = cacheDir();
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 4321, 4321);
    const r2 = canon([appMain], { CANON_CACHE_DIR: foreign });
    assert.equal(r2.stdout, native.stdout);
    assert.match(r2.stderr, /cache disabled: .* is owned by another user \(uid 4321/);
  }
});

test('canon cache info and clear', () => {
  const dir = cacheDir();
  canon([appMain], { CANON_CACHE_DIR: dir });
  const cacheCommand = (action: string) => spawnSync(process.execPath, [cli, 'cache', action], { encoding: 'utf8', env: { ...process.env, CANON_CACHE_DIR: dir } });
  const info = cacheCommand('info');
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, new RegExp(`location +${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(info.stdout, new RegExp(`records +${APP_JS_MODULES}\\n`));
  assert.match(info.stdout, /V8 key +[0-9a-f]{12} \(V8 /);
  assert.match(info.stdout, /own code +[\d.]+ MB in own\//);
  assert.ok(readdirSync(join(dir, 'own')).some((f) => f.endsWith('.v8')), 'the run wrote canon\'s own code cache');
  const clear = cacheCommand('clear');
  assert.equal(clear.status, 0, clear.stderr);
  assert.match(clear.stdout, new RegExp(`removed ${APP_JS_MODULES} records \\([\\d.]+ MB\\) and 1 code caches of canon's own code`));
  assert.deepEqual(readdirSync(join(dir, 'own')).filter((f) => f.endsWith('.v8')), []);
  assert.match(cacheCommand('info').stdout, /records +0\n/);
  assert.deepEqual(canon([appMain], { CANON_CACHE_DIR: dir }).stats?.misses, APP_JS_MODULES);
});

test('the record and index checksum is the low 32 bits of XXH64 (seed 0), as an independent XXH64 computes it', async () => {
  const { h64Raw } = await xxhashWasm();
  const { checksum32 } = await import('../ts-host/cache/checksum.js');
  const bytes = new Uint8Array(70_000).map((_, i) => (i * 7919 + (i >> 3)) & 0xff);
  for (const n of [0, 1, 31, 32, 100, 4999, 65_536, bytes.length]) {
    const data = bytes.subarray(0, n);
    assert.equal(checksum32(data), Number(h64Raw(data, 0n) & 0xffff_ffffn), `${n} bytes`);
  }
  // One flipped bit anywhere changes it.
  const copy = bytes.slice(0, 4999);
  copy[2500]! ^= 1;
  assert.notEqual(checksum32(copy), checksum32(bytes.subarray(0, 4999)));
});
