// node --experimental-vm-modules examples/workers/main.mjs
//
// A worker started from a module source: the worker imports it as if it had
// been structured-cloned there, with this registry's import map.
import { createWorker, Registry } from 'canon-modules';

const registry = new Registry({ baseURL: new URL('./', import.meta.url), importMap: { imports: { math: './lib/math.mjs' } } });
const source = await registry.import('./job.mjs', { phase: 'source' });
const worker = createWorker(source, { registry, workerData: { name: 'the worker' } });
worker.on('message', (message) => console.log('from', message));
worker.on('error', (error) => {
  console.error('worker failed:', error);
  process.exitCode = 1;
});
