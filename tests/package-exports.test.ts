// The package's exports map: `canon-modules` (the engine) and `canon-modules/core`, each with
// its type declarations, resolvable by name from inside the package.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { types: string; default: string } | string>;
  bin: Record<string, string>;
};

test('every export has types first, and both files exist', () => {
  for (const [name, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    assert.deepEqual(Object.keys(target), ['types', 'default'], name);
    assert.ok(existsSync(new URL(`../../${target.types}`, import.meta.url)), `${name} types`);
    assert.ok(existsSync(new URL(`../../${target.default}`, import.meta.url)), `${name} code`);
  }
  assert.ok(existsSync(new URL(`../../${pkg.bin.canon}`, import.meta.url)));
});

test('`canon-modules` exports the engine and `canon-modules/core` the Wasm core', async () => {
  const engine = await import('canon-modules');
  for (const name of ['Registry', 'ModuleSource', 'AbstractModuleSource', 'compileWasmSource', 'sourcesEqual', 'serializeSource',
    'deserializeSource', 'installGlobals', 'parseImportMap', 'analyzeWasm', 'createCore', 'ModuleSyntaxError', 'ModuleLinkError']) {
    assert.equal(typeof (engine as Record<string, unknown>)[name], 'function', name);
  }
  const core = await import('canon-modules/core');
  assert.equal(typeof core.createCore, 'function');
  assert.equal('Registry' in core, false, 'the core is usable without the loader');
});
