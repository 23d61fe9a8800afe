// npm run test:node26: the whole suite again on Node 26, except the corpus
// check that compares Node 20 with Node 26 (it needs both and runs on 20).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { node26 } from './install-node26.mjs';

const dir = fileURLToPath(new URL('../../dist/tests/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.test.js') && f !== 'graphs-native.test.js').map((f) => dir + f);
const result = spawnSync(node26, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', '--test', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
