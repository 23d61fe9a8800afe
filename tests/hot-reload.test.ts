// Hot reload (ts-host/hot): the plan on hand-made graphs, then
// registry.reload() on real files: a module that accepts itself, an importer
// that accepts a dependency, dispose and data, decline, a change that only a
// restart applies, a broken update and the retry after the fix.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { HotContext } from '../ts-host/hot/hot-context.js';
import { planReload, type HotGraph } from '../ts-host/hot/plan.js';
import { Registry } from '../ts-host/index.js';

// ---- the plan -------------------------------------------------------------

/** A graph from "importer -> dependency" edges; `hot` sets up each module's context. */
function graph(edges: string[], hot: Record<string, (h: HotContext) => void> = {}): HotGraph {
  const importers = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split(' -> ') as [string, string];
    importers.set(to, [...(importers.get(to) ?? []), from]);
  }
  const contexts = new Map<string, HotContext>();
  for (const [id, setUp] of Object.entries(hot)) {
    const context = new HotContext({}, (s) => s, () => {});
    setUp(context);
    contexts.set(id, context);
  }
  return { importers: (id) => importers.get(id) ?? [], hot: (id) => contexts.get(id), keyOf: (id) => id };
}

test('plan: a self-accepting module stops the change at itself', () => {
  const plan = planReload(graph(['main -> a', 'a -> b'], { a: (h) => h.accept() }), 'b');
  assert.deepEqual(plan, { kind: 'hot', replaced: ['b', 'a'], selfAccepting: ['a'], acceptors: [] });
});

test('plan: an importer that accepts the dependency keeps its instance', () => {
  const plan = planReload(graph(['main -> a', 'a -> b'], { a: (h) => h.accept('b', () => {}) }), 'b');
  assert.deepEqual(plan, { kind: 'hot', replaced: ['b'], selfAccepting: [], acceptors: [{ importer: 'a', dependencies: ['b'] }] });
});

test('plan: every path must meet a boundary (a diamond with one accepting side restarts)', () => {
  const edges = ['main -> left', 'main -> right', 'left -> shared', 'right -> shared'];
  const restart = planReload(graph(edges, { left: (h) => h.accept() }), 'shared');
  assert.equal(restart.kind, 'restart');
  assert.deepEqual(restart.kind === 'restart' && restart.path, ['shared', 'right', 'main']);
  const hot = planReload(graph(edges, { left: (h) => h.accept(), right: (h) => h.accept() }), 'shared');
  assert.deepEqual(hot, { kind: 'hot', replaced: ['shared', 'left', 'right'], selfAccepting: ['left', 'right'], acceptors: [] });
});

test('plan: decline restarts; invalidate skips the module\'s own accept', () => {
  const declined = planReload(graph(['main -> a', 'a -> b'], { main: (h) => h.accept(), a: (h) => h.decline() }), 'b');
  assert.equal(declined.kind, 'restart');
  const invalidated = planReload(graph(['main -> a'], { main: (h) => h.accept(), a: (h) => h.accept() }), 'a', true);
  assert.deepEqual(invalidated, { kind: 'hot', replaced: ['a', 'main'], selfAccepting: ['main'], acceptors: [] });
});

test('plan: an accepting importer that is itself replaced gets its dependency by being imported again', () => {
  const plan = planReload(graph(['main -> a', 'a -> b', 'main -> b'], { main: (h) => h.accept(), a: (h) => h.accept('b') }), 'b');
  // main imports b directly and does not accept it: main is replaced, so a's accept of b has nothing left to do beyond a.
  assert.equal(plan.kind, 'hot');
  assert.deepEqual(plan.kind === 'hot' && plan.replaced, ['b', 'main']);
  assert.deepEqual(plan.kind === 'hot' && plan.acceptors, [{ importer: 'a', dependencies: ['b'] }]);
});

// ---- registry.reload on files ----------------------------------------------

const scratch = mkdtempSync(join(tmpdir(), 'canon-hot-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let projects = 0;

/** A directory of modules; returns a writer and the file: URL of a name. */
function project(files: Record<string, string>) {
  const dir = join(scratch, `p${projects++}`);
  mkdirSync(dir, { recursive: true });
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { write, url: (name: string) => pathToFileURL(join(dir, name)).href };
}

/** What the modules report, in order (they push to globalThis.hotLog). */
const log = (globalThis as { hotLog?: string[] }).hotLog = [] as string[];

test('reload: a module that accepts itself is replaced; its importer keeps its instance; dispose hands data over', async () => {
  log.length = 0;
  const p = project({
    'main.mjs': "import { value } from './counter.mjs';\nglobalThis.hotLog.push('main ' + value);\n",
    'counter.mjs': [
      "export const value = 1;",
      "import.meta.hot.data.runs = (import.meta.hot.data.runs ?? 0) + 1;",
      "globalThis.hotLog.push('counter ' + value + ' run ' + import.meta.hot.data.runs);",
      "import.meta.hot.accept((ns) => globalThis.hotLog.push('accepted ' + ns.value));",
      "import.meta.hot.dispose((data) => { data.disposedAt = value; globalThis.hotLog.push('dispose ' + value); });",
    ].join('\n'),
  });
  const registry = new Registry({ hot: true });
  await registry.import(p.url('main.mjs'));
  const mainBefore = registry.get(p.url('main.mjs'))!.namespace;
  p.write('counter.mjs', readFileSync(new URL(p.url('counter.mjs')), 'utf8').replace('value = 1', 'value = 2'));
  const result = await registry.reload(p.url('counter.mjs'));
  assert.deepEqual(result, { status: 'reloaded', replaced: [p.url('counter.mjs')] });
  assert.deepEqual(log, ['counter 1 run 1', 'main 1', 'dispose 1', 'counter 2 run 2', 'accepted 2']);
  assert.equal(registry.get(p.url('main.mjs'))!.namespace, mainBefore, 'the importer kept its instance');
  assert.equal((registry.get(p.url('counter.mjs'))!.namespace as { value: number }).value, 2);
});

test('reload: an importer that accepts a dependency gets the new namespace; JSON modules too', async () => {
  log.length = 0;
  const p = project({
    'main.mjs': [
      "import { greeting } from './greeting.mjs';",
      "import config from './config.json' with { type: 'json' };",
      "let current = greeting;",
      "globalThis.hotLog.push('main ' + current + ' ' + config.n);",
      "import.meta.hot.accept('./greeting.mjs', (ns) => { current = ns.greeting; globalThis.hotLog.push('now ' + current); });",
      "import.meta.hot.accept(['./config.json'], ([json]) => globalThis.hotLog.push('config ' + json.default.n));",
    ].join('\n'),
    'greeting.mjs': "export const greeting = 'hello';\n",
    'config.json': '{ "n": 1 }',
  });
  const registry = new Registry({ hot: true });
  await registry.import(p.url('main.mjs'));
  p.write('greeting.mjs', "export const greeting = 'bonjour';\n");
  assert.equal((await registry.reload(p.url('greeting.mjs'))).status, 'reloaded');
  p.write('config.json', '{ "n": 2 }');
  assert.equal((await registry.reload(p.url('config.json'), { type: 'json' })).status, 'reloaded');
  assert.deepEqual(log, ['main hello 1', 'now bonjour', 'config 2']);
});

test('reload: a change nothing accepts asks for a restart and changes nothing; so does decline', async () => {
  const p = project({
    'main.mjs': "import './a.mjs';\n",
    'a.mjs': "import './b.mjs';\nimport.meta.hot.decline();\n",
    'b.mjs': 'export const b = 1;\n',
    'other.mjs': "import './leaf.mjs';\n",
    'leaf.mjs': 'export const leaf = 1;\n',
  });
  const registry = new Registry({ hot: true });
  await registry.import(p.url('main.mjs'));
  await registry.import(p.url('other.mjs'));
  const before = registry.entries().map((e) => [e.key, e.status]);
  const declined = await registry.reload(p.url('b.mjs'));
  assert.equal(declined.status, 'restart');
  assert.match(declined.status === 'restart' ? declined.reason : '', /a\.mjs declines hot updates/);
  const nobody = await registry.reload(p.url('leaf.mjs'));
  assert.equal(nobody.status, 'restart');
  assert.deepEqual(nobody.status === 'restart' && nobody.path, [p.url('leaf.mjs'), p.url('other.mjs')]);
  assert.deepEqual(registry.entries().map((e) => [e.key, e.status]), before, 'nothing deleted');
  assert.deepEqual(await registry.reload(p.url('never-loaded.mjs')), { status: 'not-loaded' });
});

test('reload: a broken update fails with the program\'s error, and a reload after the fix works', async () => {
  log.length = 0;
  const p = project({
    'main.mjs': "import { v } from './part.mjs';\nglobalThis.hotLog.push('main ' + v);\n",
    'part.mjs': "export const v = 'one';\nimport.meta.hot.accept((ns) => globalThis.hotLog.push('part ' + ns.v));\n",
  });
  const registry = new Registry({ hot: true });
  await registry.import(p.url('main.mjs'));
  p.write('part.mjs', "export const v = 'two;\n");
  const failed = await registry.reload(p.url('part.mjs'));
  assert.equal(failed.status, 'failed');
  assert.ok(failed.status === 'failed' && failed.error instanceof SyntaxError);
  p.write('part.mjs', "export const v = 'three';\nimport.meta.hot.accept((ns) => globalThis.hotLog.push('part ' + ns.v));\n");
  assert.equal((await registry.reload(p.url('part.mjs'))).status, 'reloaded');
  assert.deepEqual(log, ['main one', 'part three']);
  assert.equal((registry.get(p.url('part.mjs'))!.namespace as { v: string }).v, 'three');
});

test('import.meta.hot is undefined without { hot: true }, and reload() rejects', async () => {
  const p = project({ 'main.mjs': 'export const hot = import.meta.hot;\n' });
  const registry = new Registry();
  assert.equal(((await registry.import(p.url('main.mjs'))) as { hot: unknown }).hot, undefined);
  await assert.rejects(registry.reload(p.url('main.mjs')), TypeError);
});

// ---- canon run --watch ------------------------------------------------------

test('canon run --watch: an accepted change is applied in the running program, any other restarts it', async () => {
  const { spawn } = await import('node:child_process');
  const bin = new URL('../ts-host/cli.cjs', import.meta.url);
  const p = project({
    'main.mjs': [
      "import { message } from './message.mjs';",
      "import './plain.mjs';",
      'let current = message;',
      "console.log('main starts with', current);",
      "import.meta.hot?.accept('./message.mjs', (ns) => { current = ns.message; console.log('main now has', current); });",
      'setInterval(() => {}, 1000);',
    ].join('\n'),
    'message.mjs': "export const message = 'one';\n",
    'plain.mjs': "console.log('plain runs');\n",
  });
  const child = spawn(process.execPath, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', fileURLToPath(bin), 'run', '--watch', fileURLToPath(p.url('main.mjs'))], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  /** Waits (up to `tries` × 50 ms, 15 s by default) until the output has `text` after `from`; returns where it ends. */
  const waitFor = async (text: string, from = 0, tries = 300): Promise<number> => {
    for (let i = 0; i < tries; i++) {
      const at = out.indexOf(text, from);
      if (at >= 0) return at + text.length;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no "${text}" in:\n${out}`);
  };
  /** Writes a file until the output shows `text` after `from`: the supervisor starts watching a file only once the program has reported it, which can be just after the program printed its first line. */
  const writeUntil = async (name: string, content: string, text: string, from: number): Promise<number> => {
    for (let attempt = 0; ; attempt++) {
      p.write(name, content);
      try {
        return await waitFor(text, from, 20);
      } catch (error) {
        if (attempt === 14) throw error;
      }
    }
  };
  try {
    let at = await waitFor('main starts with one');
    at = await writeUntil('message.mjs', "export const message = 'two';\n", 'main now has two', at);
    at = await waitFor('canon: hot update: ', at);
    assert.equal(out.indexOf('main starts with', at), -1, 'no restart');
    at = await writeUntil('plain.mjs', "console.log('plain runs again');\n", 'canon: restarting', at);
    at = await waitFor('plain runs again', at);
    await waitFor('main starts with two', at);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 143, 'the supervisor ends the program and exits as killed by SIGTERM');
});
