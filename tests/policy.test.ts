// The policy: the three gates of seed 003 (creation, with loading as its
// first part; transfer; instantiation). Every refusal is a PolicyError
// naming the gate, the module, the referrer and the rule, and the registry
// is the same afterwards as before: same entries, nothing half-made, and the
// same import works once the policy allows it.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { PolicyError } from '../ts-host/errors.js';
import { Policy } from '../ts-host/policy/index.js';
import { Registry, type EntryRecord } from '../ts-host/registry.js';
import { ModuleSource, compileWasmSource, serializeSource } from '../ts-host/sources/index.js';

const root = mkdtempSync(join(tmpdir(), 'canon-policy-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;

function projectDir(files: Record<string, string | Uint8Array>): string {
  const dir = join(root, `p${dirCount++}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  mkdirSync(dir, { recursive: true });
  return pathToFileURL(dir + '/').href;
}

async function rejects(promise: Promise<unknown>): Promise<PolicyError & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PolicyError, `expected a PolicyError, got ${String(error)}`);
    return error as PolicyError & Record<string, unknown>;
  }
  assert.fail('expected a rejection');
}

/** What the registry holds, comparable before and after a refusal. */
const snapshot = (registry: Registry) => registry.entries().map((e: EntryRecord) => [e.key, e.status, e.kind]);

const WASM_EMPTY = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

test('gate load: URL prefixes, schemes and builtins; the refusal names gate, module, referrer and rule; the registry is unchanged', async () => {
  const base = projectDir({
    'app/main.js': 'import "./ok.js"; export { default } from "../secret/key.js";',
    'app/ok.js': 'export default 1;',
    'app/uses-fs.js': 'import fs from "node:fs"; export default typeof fs.readFileSync;',
    'app/uses-data.js': 'import "data:text/javascript,export default 1";',
    'secret/key.js': 'export default "secret";',
    'app-evil/x.js': 'export default "evil";',
  });
  const app = new URL('app/', base).href;
  // A prefix without its slash is the directory: it does not reach file:///.../app-evil/.
  const registry = new Registry({ baseURL: app, policy: { load: { allow: [app.slice(0, -1), 'node:path'] } } });
  const before = snapshot(registry);
  const refused = await rejects(registry.import('./main.js'));
  assert.deepEqual(
    [refused.code, refused.gate, refused.url, refused.module, refused.specifier, refused.referrer, refused.phase],
    ['ERR_CANON_POLICY', 'load', new URL('secret/key.js', base).href, new URL('secret/key.js', base).href, '../secret/key.js', new URL('main.js', app).href, 'evaluation'],
  );
  assert.match(refused.rule, /not in allow/);
  assert.match(refused.message, /secret\/key\.js/);
  assert.equal(registry.has(new URL('secret/key.js', base).href), false, 'no entry for the refused module');
  assert.notDeepEqual(snapshot(registry), before, 'what was allowed did load');
  assert.ok(snapshot(registry).every(([, status]) => status === 'loaded'), `nothing errored or half-made: ${JSON.stringify(snapshot(registry))}`);
  assert.equal((await rejects(registry.import('../app-evil/x.js'))).gate, 'load');
  assert.equal((await rejects(registry.import('./uses-fs.js'))).url, 'node:fs');
  assert.equal(typeof ((await registry.import('node:path')) as { join: unknown }).join, 'function', 'a builtin allowed by name');
  assert.equal((await rejects(registry.import('./uses-data.js'))).url, 'data:text/javascript,export default 1');
  // Deny wins over allow; "node:*" and schemes.
  const strict = new Registry({ baseURL: app, policy: { load: { allow: ['file:', 'node:*', 'data:'], deny: ['node:child_process', new URL('secret/', base).href] } } });
  assert.equal(((await strict.import('./uses-fs.js')) as { default: string }).default, 'function');
  assert.equal(((await strict.import('./uses-data.js')) as object) !== undefined, true);
  assert.equal((await rejects(strict.import('node:child_process'))).rule, 'deny "node:child_process"');
  assert.throws(() => strict.require('node:child_process'), (e: unknown) => e instanceof PolicyError && e.gate === 'load' && e.phase === 'require');
  assert.equal((await rejects(strict.import('./main.js'))).gate, 'load');
  // The same import succeeds where the policy allows it.
  assert.equal(((await new Registry({ baseURL: app }).import('./main.js')) as { default: string }).default, 'secret');
});

test('gate load: file: URLs are judged after their symlinks are resolved', async () => {
  const base = projectDir({ 'outside/secret.js': 'export default "outside";', 'root/main.js': 'export { default } from "./link.js";' });
  const dir = fileURLToPath(base);
  symlinkSync('../outside/secret.js', join(dir, 'root/link.js'));
  const rootURL = new URL('root/', base).href;
  // A resolve hook hands back the link's own URL (hooks are not second-guessed): the policy still sees the target.
  const registry = new Registry({
    baseURL: rootURL,
    policy: { load: { allow: [rootURL] } },
    hooks: { resolve: (specifier, referrer) => new URL(specifier, referrer).href },
  });
  const refused = await rejects(registry.import('./main.js'));
  assert.equal(refused.url, new URL('link.js', rootURL).href);
  assert.match(refused.rule, /outside\/secret\.js/);
});

test('gate create: eval-ish sources may be refused (import(source), a hook answer, deserialization)', async () => {
  const registry = new Registry({
    baseURL: 'virtual:/',
    policy: { evalSources: false },
    hooks: { load: (url) => (url.endsWith('made.js') ? ModuleSource.fromText('export default 1;') : 'export default 2;') },
  });
  const source = ModuleSource.fromText('export default 3;');
  const refused = await rejects(registry.import(source));
  assert.equal(refused.gate, 'create');
  assert.equal(refused.rule, 'evalSources: false');
  assert.deepEqual(snapshot(registry), []);
  assert.equal((await rejects(registry.import('./made.js'))).gate, 'create');
  assert.equal(registry.has('virtual:/made.js'), false);
  assert.equal(((await registry.import('./plain.js')) as { default: number }).default, 2, 'rooted modules still load');
  assert.throws(() => registry.deserializeSource(serializeSource(source)), (e: unknown) => e instanceof PolicyError && e.gate === 'create');
  // A non-canonical instance of it is refused the same way, leaving no entry behind.
  const before = snapshot(registry);
  assert.throws(() => registry.instantiate(source), (e: unknown) => e instanceof PolicyError && e.gate === 'create');
  assert.deepEqual(snapshot(registry), before);
  assert.equal(((await new Registry().import(source)) as { default: number }).default, 3);
});

test('gate transfer: which sources may leave or enter a registry', async () => {
  const base = projectDir({ 'public/a.js': 'export default "a";', 'private/b.js': 'export default "b";' });
  const registry = new Registry({ baseURL: base, policy: { transfer: { deny: [new URL('private/', base).href] } } });
  const a = (await registry.import('./public/a.js', { phase: 'source' })) as ModuleSource;
  const b = (await registry.import('./private/b.js', { phase: 'source' })) as ModuleSource;
  const record = registry.serializeSource(a);
  assert.equal(((await new Registry().import(registry.deserializeSource(structuredClone(record)))) as { default: string }).default, 'a');
  const refused = (() => {
    try {
      registry.serializeSource(b);
    } catch (error) {
      return error as PolicyError;
    }
    assert.fail('expected a refusal');
  })();
  assert.deepEqual([refused.gate, refused.url, refused.rule], ['transfer', new URL('private/b.js', base).href, `deny "${new URL('private/', base).href}"`]);
  assert.match(refused.message, /serialize/);
  assert.throws(() => registry.deserializeSource(serializeSource(b)), (e: unknown) => e instanceof PolicyError && /deserialize/.test((e as Error).message));
});

test('gate instantiate: by kind and key; a source-phase import (no instance) passes; the registry is unchanged', async () => {
  const base = projectDir({ 'm.wasm': WASM_EMPTY, 'main.js': 'import "./m.wasm";', 'src.js': 'import source m from "./m.wasm"; export default m;', 'c.cjs': 'module.exports = 1;', 'uses-c.js': 'import c from "./c.cjs"; export default c;' });
  const registry = new Registry({ baseURL: base, policy: { instantiate: { kinds: ['js'] } } });
  const refused = await rejects(registry.import('./main.js'));
  assert.deepEqual([refused.gate, refused.url, refused.specifier, refused.referrer], ['instantiate', new URL('m.wasm', base).href, './m.wasm', new URL('main.js', base).href]);
  assert.match(refused.rule, /no wasm/);
  assert.equal(registry.has(new URL('m.wasm', base).href), false);
  assert.ok(((await registry.import('./src.js')) as { default: unknown }).default instanceof WebAssembly.Module, 'a source is not an instance');
  assert.equal((await rejects(registry.import(compileWasmSource(WASM_EMPTY)))).gate, 'instantiate');
  assert.equal((await rejects(registry.import('./uses-c.js'))).url, new URL('c.cjs', base).href);
  assert.throws(() => registry.require('./c.cjs'), (e: unknown) => e instanceof PolicyError && e.gate === 'instantiate');
  assert.equal(registry.has(new URL('c.cjs', base).href), false);
  const byKey = new Registry({ baseURL: base, policy: { instantiate: { deny: [new URL('main.js', base).href] } } });
  assert.equal((await rejects(byKey.import('./main.js'))).gate, 'instantiate');
  // The refused module has no entry; what its graph loaded first is whole (loaded, not instantiated).
  assert.equal(byKey.has(new URL('main.js', base).href), false);
  assert.deepEqual(snapshot(byKey), [[new URL('m.wasm', base).href, 'loaded', 'wasm']]);
  assert.equal(byKey.get(new URL('m.wasm', base).href)?.namespace, undefined);
});

test('policy options are validated when the registry is made', () => {
  assert.throws(() => new Registry({ policy: { load: { allow: ['not a rule'] } } }), TypeError);
  assert.throws(() => new Registry({ policy: { load: { allow: 'data:' as never } } }), TypeError);
  assert.throws(() => new Registry({ policy: { instantiate: { kinds: ['python' as never] } } }), TypeError);
  assert.throws(() => new Registry({ policy: { evalSources: 'no' as never } }), TypeError);
  const policy = new Policy({ load: { allow: ['data:'] } });
  assert.equal(new Registry({ policy }).policy, policy, 'a Policy object is used as it is');
  assert.ok(Object.isFrozen(policy));
});

test('canon run --allow / --deny / --no-eval-sources', () => {
  const base = projectDir({
    'app/main.mjs': 'import "../lib/x.mjs"; console.log("ran");',
    'lib/x.mjs': 'export {};',
    'app/fs.mjs': 'import fs from "node:fs"; console.log(typeof fs.readFileSync);',
    'app/eval.mjs': 'const s = ModuleSource.fromText("export default 1"); console.log(typeof s);',
  });
  const dir = fileURLToPath(base);
  const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'run', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CANON_CACHE: '0' } });
  let r = run('--allow', 'app', 'app/main.mjs');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /policy refuses to load .*lib\/x\.mjs/);
  assert.equal(r.stdout, '');
  r = run('--allow', 'app', '--allow', './lib', 'app/main.mjs');
  assert.deepEqual([r.status, r.stdout], [0, 'ran\n']);
  r = run('--allow', 'app', '--allow', 'node:fs', 'app/fs.mjs');
  assert.deepEqual([r.status, r.stdout], [0, 'function\n']);
  r = run('--deny', 'node:fs', 'app/fs.mjs');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /node:fs/);
  r = run('--no-eval-sources', 'app/eval.mjs');
  assert.deepEqual([r.status, r.stdout], [0, 'object\n'], 'creating a source from text is not importing it');
});

test('workers: createWorker is gate "transfer" for the source, and the worker is held to the same policy', async () => {
  const { createWorker } = await import('../ts-host/workers/create-worker.js');
  const base = projectDir({
    'private/job.mjs': 'export {};',
    'job.mjs': 'import { parentPort } from "node:worker_threads"; try { await import("node:child_process"); parentPort.postMessage("loaded"); } catch (e) { parentPort.postMessage([e.name, e.code, e.gate, e.url]); }',
  });
  const registry = new Registry({ baseURL: base, policy: { transfer: { deny: [new URL('private/', base).href] }, load: { deny: ['node:child_process'] } } });
  const secret = (await registry.import('./private/job.mjs', { phase: 'source' })) as ModuleSource;
  assert.throws(() => createWorker(secret, { registry }), (e: unknown) => e instanceof PolicyError && e.gate === 'transfer');
  const job = (await registry.import('./job.mjs', { phase: 'source' })) as ModuleSource;
  const worker = createWorker(job, { registry });
  const message = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(message, ['Error', 'ERR_CANON_POLICY', 'load', 'node:child_process']);
});
