// Text and bytes modules (the import-text and import-bytes proposals): the
// contents as a string or a Uint8Array, keyed by URL and attributes apart
// from the same file as JS, no source phase; and for text, the same output as
// Node 26's own --experimental-import-text; data: URLs of Wasm as in Node 26.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { Registry } from '../ts-host/registry.js';
import { node26 } from './support/node26.js';

const root = mkdtempSync(join(tmpdir(), 'canon-module-types-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cli = fileURLToPath(new URL('../ts-host/cli.js', import.meta.url));

const BYTES = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0x61, 0x73, 0x6d]);
const files: Record<string, string | Uint8Array> = {
  'dep.js': 'globalThis.depRan = (globalThis.depRan ?? 0) + 1;\nexport const x = "é";\n',
  'image.png': BYTES,
  // Wasm's magic bytes: still plain bytes when asked for as bytes.
  'm.wasm': Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
  'data.json': '{ "a": 1 }\n',
  'main.mjs': [
    'import text from "./dep.js" with { type: "text" };',
    'import * as ns from "./data.json" with { type: "text" };',
    'import bytes from "./image.png" with { type: "bytes" };',
    'import wasmBytes from "./m.wasm" with { type: "bytes" };',
    'console.log(JSON.stringify([typeof text, text.length, Object.keys(ns), ns.default.trim()]));',
    'console.log(bytes instanceof Uint8Array, bytes.length, bytes[5], wasmBytes.length, wasmBytes[1]);',
  ].join('\n'),
};

function projectDir(): string {
  const dir = join(root, `p${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

test('text and bytes modules: the contents, keyed apart from the same file as JS, without running it, and no source phase', async () => {
  const dir = projectDir();
  const registry = new Registry({ baseURL: pathToFileURL(dir + '/').href });
  const g = globalThis as { depRan?: number };
  delete g.depRan;
  const text = await registry.import('./dep.js', { with: { type: 'text' } }) as { default: string };
  assert.equal(text.default, files['dep.js']);
  assert.equal(g.depRan, undefined);
  const js = await registry.import('./dep.js') as { x: string };
  assert.equal(js.x, 'é');
  assert.equal(g.depRan, 1);
  assert.equal(await registry.import('./dep.js', { with: { type: 'text' } }), text);
  const bytes = await registry.import('./image.png', { with: { type: 'bytes' } }) as { default: Uint8Array };
  assert.deepEqual([...bytes.default], [...BYTES]);
  assert.equal(bytes.default.buffer.byteLength, BYTES.length);
  const immutable = typeof (ArrayBuffer.prototype as { transferToImmutable?: unknown }).transferToImmutable === 'function';
  assert.equal((bytes.default.buffer as { immutable?: boolean }).immutable, immutable ? true : undefined);
  const kinds = registry.entries().map((e) => `${e.key.slice(e.key.lastIndexOf('/') + 1)} ${e.kind}`).sort();
  assert.deepEqual(kinds, ['dep.js js', 'dep.js text', 'image.png bytes']);
  for (const type of ['text', 'bytes']) {
    await assert.rejects(registry.import('./dep.js', { phase: 'source', with: { type } }), SyntaxError);
  }
});

test('canon run prints the same for text and bytes on this Node, and for text as Node 26 natively with --experimental-import-text', () => {
  const dir = projectDir();
  const entry = join(dir, 'main.mjs');
  const expected = `["string",${files['dep.js']!.length},["default"],"{ \\"a\\": 1 }"]\ntrue 9 255 8 97\n`;
  const r = spawnSync(process.execPath, [cli, 'run', entry], { encoding: 'utf8', cwd: dir });
  assert.equal(r.stdout, expected, r.stderr);
  // Node 26 has text modules behind a flag and no bytes modules: compare the text line only.
  writeFileSync(entry, String(files['main.mjs']).split('\n').filter((l) => !/bytes|wasmBytes/i.test(l)).join('\n'));
  const native = spawnSync(node26(), ['--experimental-import-text', '--no-warnings', entry], { encoding: 'utf8', cwd: dir });
  assert.equal(native.stdout, expected.split('\n')[0] + '\n', native.stderr);
});

test('a data: URL of type application/wasm is a WebAssembly module, as in Node 26 (base64 and percent-encoded)', async () => {
  // (module (func (export "f") (result i32) (i32.const 7)))
  const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 10, 6, 1, 4, 0, 0x41, 7, 0x0b]);
  const base64 = `data:application/wasm;base64,${Buffer.from(bytes).toString('base64')}`;
  const percent = `data:application/wasm,${[...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`;
  const registry = new Registry({ baseURL: pathToFileURL(root + '/').href });
  for (const url of [base64, percent]) {
    const ns = await registry.import(url) as { f: () => number };
    assert.equal(ns.f(), 7);
    assert.ok(await registry.import(url, { phase: 'source' }) instanceof WebAssembly.Module);
  }
  const entry = join(projectDir(), 'wasm-data.mjs');
  writeFileSync(entry, `import { f } from ${JSON.stringify(base64)};\nimport source m from ${JSON.stringify(base64)};\nconsole.log(f(), m instanceof WebAssembly.Module);\n`);
  const native = spawnSync(node26(), ['--no-warnings', entry], { encoding: 'utf8' });
  const canon = spawnSync(process.execPath, [cli, 'run', entry], { encoding: 'utf8' });
  assert.equal(canon.stdout, '7 true\n', canon.stderr);
  assert.equal(native.stdout, canon.stdout, native.stderr);
});
