// Workers started from module sources (ts-host/workers): the worker imports
// the source with the parent registry's resolution rules and sees its own
// workerData; a rooted source sent twice is one instance in the worker, an
// eval-ish source a new one per transfer; a Wasm source crosses with its
// bytes; an error while importing is the worker's 'error' event.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import wabtInit from 'wabt';
import { compileWasmSource, createWorker, ModuleSource, Registry, serializeSource } from '../ts-host/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'canon-workers-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const url = (name: string) => pathToFileURL(join(scratch, name)).href;
const base = pathToFileURL(scratch + '/').href;
const write = (name: string, text: string) => {
  mkdirSync(join(scratch, name, '..'), { recursive: true });
  writeFileSync(join(scratch, name), text);
};

/** The messages a worker posts until it exits, or the error it fails with. */
function outcome(worker: Worker, send: unknown[] = []): Promise<{ messages: unknown[]; error?: unknown; code: number }> {
  const messages: unknown[] = [];
  let error: unknown;
  worker.on('message', (m) => messages.push(m));
  worker.on('error', (e) => (error = e));
  for (const m of send) worker.postMessage(m);
  return new Promise((resolve) => worker.on('exit', (code) => resolve({ messages, error, code })));
}

test('a worker imports a rooted source with the parent registry\'s import map, and sees its own workerData', async () => {
  write('vendor/lib.mjs', 'export const name = "lib from the import map";\n');
  write('job.mjs', [
    "import { parentPort, workerData, isMainThread } from 'node:worker_threads';",
    "import { name } from 'lib';",
    'parentPort.postMessage({ name, workerData, isMainThread, url: import.meta.url, source: typeof ModuleSource });',
  ].join('\n'));
  const registry = new Registry({ baseURL: base, importMap: { imports: { lib: './vendor/lib.mjs' } } });
  const source = (await registry.import('./job.mjs', { phase: 'source' })) as object;
  const r = await outcome(createWorker(source as never, { registry, workerData: { n: 42 } }));
  assert.equal(r.error, undefined);
  assert.deepEqual(r.messages, [{ name: 'lib from the import map', workerData: { n: 42 }, isMainThread: false, url: url('job.mjs'), source: 'function' }]);
});

test('in the worker, a rooted source sent twice is one instance; an eval-ish source is a new one each time', async () => {
  write('counter.mjs', 'globalThis.counterRuns = (globalThis.counterRuns ?? 0) + 1;\nexport const runs = globalThis.counterRuns;\n');
  write('receiver.mjs', [
    "import { parentPort } from 'node:worker_threads';",
    "const { workerRegistry } = await import(process.env.CANON_INDEX);",
    'const registry = workerRegistry();',
    'const got = [];',
    "parentPort.on('message', async (record) => {",
    '  got.push(await registry.import(record));',
    '  if (got.length === 4) {',
    '    parentPort.postMessage({ rootedSame: got[0] === got[1], evalSame: got[2] === got[3], runs: globalThis.counterRuns });',
    '    parentPort.close();',
    '  }',
    '});',
  ].join('\n'));
  process.env.CANON_INDEX = new URL('../ts-host/index.js', import.meta.url).href;
  const registry = new Registry({ baseURL: base });
  const receiver = (await registry.import('./receiver.mjs', { phase: 'source' })) as never;
  const rooted = serializeSource((await registry.import('./counter.mjs', { phase: 'source' })) as never);
  const evalish = serializeSource(ModuleSource.fromText('globalThis.counterRuns = (globalThis.counterRuns ?? 0) + 1;\nexport {};') as never);
  const r = await outcome(createWorker(receiver, { registry }), [rooted, rooted, evalish, evalish]);
  assert.equal(r.error, undefined, String(r.error));
  assert.deepEqual(r.messages, [{ rootedSame: true, evalSame: false, runs: 3 }]);
});

test('a Wasm source crosses with its bytes and instantiates in the worker', async () => {
  const wabt = await wabtInit();
  const bytes = wabt.parseWat('add.wat', '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))').toBinary({}).buffer;
  write('wasm-user.mjs', [
    "import { parentPort } from 'node:worker_threads';",
    "const { workerRegistry } = await import(process.env.CANON_INDEX);",
    "parentPort.once('message', async (record) => {",
    '  const ns = await workerRegistry().import(record);',
    '  parentPort.postMessage(ns.add(20, 22));',
    '  parentPort.close();',
    '});',
  ].join('\n'));
  process.env.CANON_INDEX = new URL('../ts-host/index.js', import.meta.url).href;
  const registry = new Registry({ baseURL: base });
  const user = (await registry.import('./wasm-user.mjs', { phase: 'source' })) as never;
  const wasm = serializeSource(compileWasmSource(bytes, { url: url('add.wasm') }) as never);
  const r = await outcome(createWorker(user, { registry }), [wasm]);
  assert.equal(r.error, undefined, String(r.error));
  assert.deepEqual(r.messages, [42]);
});

test('an error while the worker imports its source is the worker\'s error event', async () => {
  write('throws.mjs', "throw new RangeError('from the worker');\n");
  write('missing.mjs', "import './not-there.mjs';\n");
  const registry = new Registry({ baseURL: base });
  const thrown = await outcome(createWorker((await registry.import('./throws.mjs', { phase: 'source' })) as never, { registry }));
  assert.ok(thrown.error instanceof RangeError);
  assert.equal((thrown.error as Error).message, 'from the worker');
  assert.equal(thrown.code, 1);
  const missing = await outcome(createWorker((await registry.import('./missing.mjs', { phase: 'source' })) as never, { registry }));
  assert.equal((missing.error as { code?: string }).code, 'ERR_MODULE_NOT_FOUND');
  assert.match((missing.error as Error).message, /not-there\.mjs/);
});
