// Workers started from module sources (seed 001; seed 004's `new
// Worker(source)`): createWorker(source) starts a worker_threads Worker that
// imports the source as if it had been structured-cloned into the worker and
// imported there, with the parent registry's resolution rules (import map,
// conditions, base URL). The source crosses as serializeSource()'s record:
// a rooted source keeps its key and content, so it gets the worker's
// canonical instance of that key; an eval-ish source gets a fresh eval id,
// so a transfer never aliases another instance.

import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Registry } from '../registry.js';
import { transferOut } from '../policy/transfer.js';
import type { AnyModuleSource } from '../sources/identity.js';
import { importMapJSON, WORKER_REGISTRY, type WorkerConfig } from './worker-config.js';

export interface CreateWorkerOptions extends Omit<WorkerOptions, 'eval'> {
  /** The registry whose resolution rules the worker follows (its import map, conditions and baseURL). */
  registry?: Registry;
}

/** The worker's bootstrap: a Registry, then import(source). */
const BOOTSTRAP = new URL('./worker-main.js', import.meta.url);

/**
 * Starts a worker that imports `source` (a ModuleSource or a Wasm module
 * source canon compiled). The worker's `workerData` is `options.workerData`;
 * an error while importing the source is the worker's 'error' event, as for
 * `new Worker(file)`. The worker needs --experimental-vm-modules, which it
 * inherits from the parent's execArgv unless options.execArgv says otherwise.
 */
export function createWorker(source: AnyModuleSource, options: CreateWorkerOptions = {}): Worker {
  const { registry, workerData, ...workerOptions } = options;
  const config: WorkerConfig = {
    canon: 'worker/1',
    // Gate "transfer": the source leaves the registry for the worker.
    source: transferOut(registry?.policy, source),
    baseURL: registry?.baseURL,
    importMap: registry?.importMap ? importMapJSON(registry.importMap) : undefined,
    conditions: registry ? [...registry.conditions] : [],
    policy: registry?.policy?.options,
    workerData,
  };
  return new Worker(BOOTSTRAP, { ...workerOptions, workerData: config });
}

/**
 * In a worker started by createWorker(), the registry that imported its
 * source: a program imports sources posted to it through this one
 * (`workerRegistry().import(message)` with a record serializeSource() made), so they share its
 * instances. Undefined anywhere else.
 */
export function workerRegistry(): Registry | undefined {
  return (globalThis as { [key: symbol]: Registry | undefined })[WORKER_REGISTRY];
}
