// The bootstrap of a worker started by createWorker(): gives the program its
// own workerData back, makes a registry with the parent's resolution rules,
// installs the proposals' globals (as `canon run` does) and imports the
// source. The registry is the worker's: what it imports is the worker's own
// instance, never the parent's.

import workerThreads from 'node:worker_threads';
import { syncBuiltinESMExports } from 'node:module';
import { Registry } from '../registry.js';
import { installGlobals } from '../sources/globals.js';
import { isWorkerConfig, WORKER_REGISTRY } from './worker-config.js';

const config = workerThreads.workerData as unknown;
if (!isWorkerConfig(config)) throw new TypeError('canon worker bootstrap: started without createWorker()');
// The program reads workerData from node:worker_threads, as in any worker.
(workerThreads as { workerData: unknown }).workerData = config.workerData;
syncBuiltinESMExports();
installGlobals();
const registry = new Registry({
  ...(config.baseURL ? { baseURL: config.baseURL } : {}),
  ...(config.importMap ? { importMap: config.importMap } : {}),
  conditions: config.conditions,
  importSync: 'allow-host-loading',
  ...(config.policy ? { policy: config.policy } : {}),
});
// For workerRegistry(), from whichever copy of canon the program loads.
(globalThis as { [key: symbol]: unknown })[WORKER_REGISTRY] = registry;
// Gate "transfer" again, on the way in (and "create" for an eval-ish source), under the worker's policy.
await registry.import(registry.deserializeSource(config.source));
