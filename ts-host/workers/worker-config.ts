// What a worker started from a module source needs to import it as its
// parent would (createWorker): the source as a structured-clone-safe record,
// and the parent registry's resolution rules. Sent as the worker's
// workerData, next to the program's own.

import type { ImportMap } from '../resolve/import-map.js';
import type { SerializedSource } from '../sources/clone.js';

import type { PolicyOptions } from '../policy/policy.js';

export interface WorkerConfig {
  /** Marks canon's part of workerData (checked by the worker's bootstrap). */
  canon: 'worker/1';
  source: SerializedSource;
  baseURL: string | undefined;
  /** The import map in its JSON form, every address already absolute. */
  importMap: object | undefined;
  conditions: string[];
  /** The parent registry's policy, as its rules (policy/policy.ts): the worker is held to it too. */
  policy?: PolicyOptions | undefined;
  /** The program's own workerData, which the worker sees as workerData. */
  workerData: unknown;
}

/** A parsed import map back in JSON form (addresses are absolute URLs, so parsing it again anywhere gives the same map). */
export function importMapJSON(map: ImportMap): object {
  const entries = (m: ReadonlyMap<string, string | null>) => Object.fromEntries(m);
  return {
    imports: entries(map.imports),
    scopes: Object.fromEntries([...map.scopes].map(([scope, m]) => [scope, entries(m)])),
    ...(map.integrity.size ? { integrity: Object.fromEntries(map.integrity) } : {}),
  };
}

export function isWorkerConfig(value: unknown): value is WorkerConfig {
  return typeof value === 'object' && value !== null && (value as { canon?: unknown }).canon === 'worker/1';
}

/** Where a canon worker keeps its registry (a registered symbol: the program may load its own copy of canon). */
export const WORKER_REGISTRY = Symbol.for('canon.workerRegistry');
