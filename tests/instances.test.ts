// Non-canonical instances (ModuleInstance, registry.instantiate) and
// compartments (registry.compartment, new Registry({ parent })): which
// operations give the same instance and which a new one. Each row of the
// README's identity table is a test here (workers: tests/workers.test.ts).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { ImportHookError, ModuleInstance, ModuleSource, Registry } from '../ts-host/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'canon-instances-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const base = pathToFileURL(scratch + '/').href;
const url = (name: string) => new URL(name, base).href;
function write(name: string, text: string): void {
  mkdirSync(join(scratch, name, '..'), { recursive: true });
  writeFileSync(join(scratch, name), text);
}

// Every module counts its evaluations in globalThis.runs[url].
const runs: Record<string, number> = ((globalThis as { runs?: Record<string, number> }).runs = {});
const counted = (body: string) => `globalThis.runs[import.meta.url] = (globalThis.runs[import.meta.url] ?? 0) + 1;\n${body}`;
write('dep.mjs', counted("export const who = 'the real dep';\n"));
write('fake-dep.mjs', counted("export const who = 'the fake dep';\n"));
write('main.mjs', counted("import { who } from './dep.mjs';\nexport { who };\nexport const lazy = () => import('./dep.mjs');\nexport const meta = import.meta;\n"));

test('one registry: import(url) and import(source) give the canonical instance; each ModuleInstance is a new one', async () => {
  const registry = new Registry({ baseURL: base });
  const canonical = await registry.import('./main.mjs');
  const source = (await registry.import('./main.mjs', { phase: 'source' })) as ModuleSource;
  assert.equal(await registry.import(source), canonical, 'import(source): the canonical instance');
  const a = new ModuleInstance(source, { registry });
  const b = registry.instantiate(source);
  const nsA = await a.import();
  const nsB = await registry.import(b);
  assert.notEqual(nsA, canonical);
  assert.notEqual(nsB, canonical);
  assert.notEqual(nsA, nsB);
  assert.equal(await a.import(), nsA, 'an instance has one namespace');
  assert.equal(runs[url('main.mjs')], 3, 'each instance evaluates');
  // Without a hook an instance resolves as its source would: the canonical dep.
  assert.equal(runs[url('dep.mjs')], 1);
  assert.equal(await registry.import('./main.mjs'), canonical, 'the URL still gives the canonical instance');
  const records = registry.entries().filter((e) => e.key === url('main.mjs'));
  assert.deepEqual(records.map((e) => e.canonical), [true, false, false]);
  assert.equal(registry.get(url('main.mjs'))!.namespace, canonical);
});

test('the importHook answers each request once, for static and dynamic imports alike', async () => {
  const registry = new Registry({ baseURL: base });
  const source = (await registry.import('./main.mjs', { phase: 'source' })) as ModuleSource;
  const fakeSource = (await registry.import('./fake-dep.mjs', { phase: 'source' })) as ModuleSource;
  const fake = registry.instantiate(fakeSource);
  const asked: string[] = [];
  const instance = registry.instantiate(source, {
    importHook: (specifier, attributes) => {
      asked.push(`${specifier} ${JSON.stringify(attributes)}`);
      return fake;
    },
    importMeta: { compartment: 'test' },
  });
  const ns = (await instance.import()) as { who: string; lazy: () => Promise<{ who: string }>; meta: { compartment: string; url: string } };
  assert.equal(ns.who, 'the fake dep');
  assert.equal((await ns.lazy()).who, 'the fake dep');
  assert.equal(await ns.lazy(), await fake.import(), 'import() reaches the same instance');
  await ns.lazy();
  assert.deepEqual(asked, ['./dep.mjs {}']);
  assert.equal(ns.meta.compartment, 'test');
  assert.equal(ns.meta.url, url('main.mjs'));
});

test('the importHook may answer a source (its canonical instance), a specifier or nothing', async () => {
  const registry = new Registry({ baseURL: base });
  const source = (await registry.import('./main.mjs', { phase: 'source' })) as ModuleSource;
  const fakeSource = (await registry.import('./fake-dep.mjs', { phase: 'source' })) as ModuleSource;
  const bySource = (await registry.instantiate(source, { importHook: () => fakeSource }).import()) as { who: string };
  assert.equal(bySource.who, 'the fake dep');
  const canonicalFake = await registry.import('./fake-dep.mjs');
  const linked = (await registry.instantiate(source, { importHook: () => fakeSource }).import()) as { lazy: () => Promise<unknown> };
  assert.equal(await linked.lazy(), canonicalFake, 'a source answer links to its canonical instance');
  const bySpecifier = (await registry.instantiate(source, { importHook: () => './fake-dep.mjs' }).import()) as { who: string };
  assert.equal(bySpecifier.who, 'the fake dep');
  const byDefault = (await registry.instantiate(source, { importHook: () => undefined }).import()) as { who: string };
  assert.equal(byDefault.who, 'the real dep');
});

test('a hook that throws or answers nonsense: ImportHookError naming the request; the registry stays usable', async () => {
  const registry = new Registry({ baseURL: base });
  const source = (await registry.import('./main.mjs', { phase: 'source' })) as ModuleSource;
  const broken = registry.instantiate(source, { importHook: () => { throw new Error('no'); } });
  await assert.rejects(broken.import(), (e: unknown) => {
    assert.ok(e instanceof ImportHookError);
    assert.ok(e instanceof TypeError);
    assert.equal((e as { specifier?: string }).specifier, './dep.mjs');
    assert.equal((e as { referrer?: string }).referrer, url('main.mjs'));
    assert.equal(((e as Error).cause as Error).message, 'no');
    return true;
  });
  await assert.rejects(registry.instantiate(source, { importHook: () => 42 as never }).import(), /answered number/);
  const other = new Registry({ baseURL: base });
  const foreign = other.instantiate(source);
  await assert.rejects(registry.instantiate(source, { importHook: () => foreign }).import(), /another registry/);
  await assert.rejects(registry.import(foreign), /another registry/);
  assert.throws(() => new ModuleInstance(source, {} as never), /registry the instance lives in is required/);
  assert.equal(((await registry.instantiate(source).import()) as { who: string }).who, 'the real dep');
});

test('compartments: their own canonical instances, the parent\'s rules unless given their own; sources cross, instances do not', async () => {
  write('mapped/lib.mjs', counted("export const lib = 'mapped lib';\n"));
  write('uses-lib.mjs', "import { lib } from 'lib';\nexport { lib };\n");
  const parent = new Registry({ baseURL: base, importMap: { imports: { lib: './mapped/lib.mjs' } }, conditions: ['custom'] });
  const child = parent.compartment();
  assert.equal(child.parent, parent);
  assert.deepEqual(child.conditions, ['custom']);
  const fromParent = await parent.import('./uses-lib.mjs');
  const fromChild = await child.import('./uses-lib.mjs');
  assert.notEqual(fromChild, fromParent, 'a compartment has its own canonical instances');
  assert.equal((fromChild as { lib: string }).lib, 'mapped lib', 'with the parent\'s import map');
  assert.equal(runs[url('mapped/lib.mjs')], 2);
  // A source from the parent imports to the compartment's canonical instance of it.
  const source = (await parent.import('./uses-lib.mjs', { phase: 'source' })) as ModuleSource;
  assert.equal(await child.import(source), fromChild);
  assert.equal(await parent.import(source), fromParent);
  // Options of its own win.
  write('other-lib.mjs', "export const lib = 'other lib';\n");
  const own = new Registry({ parent, importMap: { imports: { lib: './other-lib.mjs' } } });
  assert.equal(((await own.import('./uses-lib.mjs')) as { lib: string }).lib, 'other lib');
  // Instances never cross.
  await assert.rejects(child.import(parent.instantiate(source)), /another registry/);
});
