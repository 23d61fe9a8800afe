// Synthetic module graphs for the loader benchmark: N small modules, module
// i imports 2-3 later ones (its two children in a binary tree, so every
// module is reachable, plus one shared module further down), and exports a
// value computed from its imports. Deterministic (fixed seed).

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateGraph(dir: string, count: number): string {
  const marker = join(dir, `.complete-${count}`);
  try {
    if (readdirSync(dir).includes(`.complete-${count}`)) return join(dir, 'm0.mjs');
  } catch {
    /* not there yet */
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < count; i++) {
    const deps = [2 * i + 1, 2 * i + 2].filter((d) => d < count);
    if (deps.length > 0 && i + 3 < count) {
      const shared = i + 3 + Math.floor(random() * Math.min(64, count - i - 3));
      if (!deps.includes(shared)) deps.push(shared);
    }
    const lines = deps.map((d) => `import { value as v${d} } from './m${d}.mjs';`);
    lines.push(`export const value = (${i}${deps.map((d) => ` + v${d}`).join('')}) % 1000003;`);
    lines.push(`export function describe() { return 'module ${i} of ${count}'; }`);
    if (i === 0) lines.push('globalThis.benchResult = value;');
    writeFileSync(join(dir, `m${i}.mjs`), lines.join('\n') + '\n');
  }
  writeFileSync(marker, '');
  return join(dir, 'm0.mjs');
}
