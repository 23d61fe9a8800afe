// One cold load with canon: the registry's code is loaded first (as Node's
// loader is, natively), then the time of registry.import() is printed with
// the per-stage profile.
import { pathToFileURL } from 'node:url';
import { profile } from '../../ts-host/profile.js';
import { Registry } from '../../ts-host/registry.js';

// --profile: per-stage times (their bookkeeping costs a little, so timed runs go without).
profile.enabled = process.argv.includes('--profile');
const entry = pathToFileURL(process.argv[2]!).href;
// As canon run: import.sync may read local files (require(esm) always may).
const registry = new Registry({ importSync: 'allow-host-loading' });
const start = performance.now();
// As `canon run` does: a CommonJS entry runs as the main module (require), an ES module is imported.
await registry.runMain(entry);
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ ms, stages: profile.ms, modules: registry.entries().length }) + '\n');
