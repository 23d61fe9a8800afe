// Reload memory: 2,000 import/delete cycles of a 2 KB module, with
// --expose-gc, measured against Node's own floor: the same number of
// vm.SourceTextModule records of the same (freshly read) text, linked and
// evaluated, which Node's vm never frees (nodejs/node#33439). What canon
// adds per cycle over that floor is its own retention; it must stay under
// the bound the README states. And what canon holds for a deleted module
// (the source object, its text and analysis) must be collectable.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';

/** canon's own retention per cycle, over Node's vm floor, that the README promises not to exceed. */
const BOUND_BYTES_PER_CYCLE = 1200;
const CYCLES = 2000;

const dir = mkdtempSync(join(tmpdir(), 'canon-reload-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function moduleText(): string {
  let text = 'export const data = [';
  for (let i = 0; i < 200; i++) text += `${i}, `;
  text += '];\nexport function f(x) { return x + 1; }\n';
  while (text.length < 2048) text += '// padding to a 2 KB module, as the reload probe used\n';
  return text;
}

const script = (mode: 'canon' | 'vm', cycles: number) => `
  import { Registry } from ${JSON.stringify(new URL('../ts-host/index.js', import.meta.url).href)};
  import vm from 'node:vm';
  import { readFileSync } from 'node:fs';
  const url = ${JSON.stringify(pathToFileURL(join(dir, 'm.js')).href)};
  const registry = new Registry();
  const importModuleDynamically = async () => { throw new Error('unused'); };
  const initializeImportMeta = () => {};
  const weak = [];
  async function cycle(i) {
    if (${JSON.stringify(mode)} === 'canon') {
      await registry.import(url);
      if (i % 50 === 0) weak.push(new WeakRef(registry.get(url).source));
      registry.delete(url);
    } else {
      // What any reload costs Node: a new record of the file's text, never freed.
      const m = new vm.SourceTextModule(readFileSync(new URL(url), 'utf8'), { identifier: url, importModuleDynamically, initializeImportMeta });
      await m.link(() => { throw new Error('no imports'); });
      await m.evaluate();
    }
  }
  for (let i = 0; i < 200; i++) await cycle(i);
  weak.length = 0;
  gc(); gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < ${cycles}; i++) await cycle(i);
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc(); gc();
  const perCycle = (process.memoryUsage().heapUsed - before) / ${cycles};
  console.log(JSON.stringify({ perCycle, alive: weak.filter((w) => w.deref() !== undefined).length, sampled: weak.length }));
`;

function measure(mode: 'canon' | 'vm'): { perCycle: number; alive: number; sampled: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', '--experimental-vm-modules', '--no-warnings', '--input-type=module', '-e', script(mode, CYCLES)], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { perCycle: number; alive: number; sampled: number };
}

test(`reload: ${CYCLES} import/delete cycles retain at most ${BOUND_BYTES_PER_CYCLE} bytes a cycle over Node's vm floor; deleted sources are collected`, () => {
  writeFileSync(join(dir, 'm.js'), moduleText());
  const floor = measure('vm');
  const canon = measure('canon');
  const own = canon.perCycle - floor.perCycle;
  // The figures go to the test log: the README quotes them.
  console.log(`reload memory on Node ${process.version}: vm floor ${floor.perCycle.toFixed(0)} B/cycle, canon ${canon.perCycle.toFixed(0)} B/cycle, canon's own ${own.toFixed(0)} B/cycle`);
  assert.ok(floor.perCycle > 1000, `the floor is real: Node keeps every record (${floor.perCycle.toFixed(0)} B/cycle)`);
  assert.ok(own < BOUND_BYTES_PER_CYCLE, `canon's own retention ${own.toFixed(0)} B/cycle (canon ${canon.perCycle.toFixed(0)}, floor ${floor.perCycle.toFixed(0)})`);
  // The last sample may still be referenced from the loop; every earlier one must be gone.
  assert.ok(canon.sampled >= 40);
  assert.ok(canon.alive <= 1, `${canon.alive} of ${canon.sampled} deleted module sources are still alive`);
});
