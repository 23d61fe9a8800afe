// The floor under any loader built on node:vm, for bench:graph's whole-process
// table: given a graph already resolved (`canon graph <entry>`, JSON), read
// each file, compile it as a vm.SourceTextModule, link from the graph's
// answers and evaluate. No lexing, no resolution, no hashing, no registry, no
// cache lookups: what is left is reading, V8's compile, link and evaluation,
// and Node's start-up. No loader running on this Node's vm modules can run the
// graph faster in one process, so canon's cold and warm columns are read
// against this one.
//
//   node --experimental-vm-modules vm-floor.mjs GRAPH.json [CODE-CACHE-FILE]
//
// With CODE-CACHE-FILE, the floor of a warm run: V8 code caches for every
// module, made by the first run (which writes the file) and given to V8 by
// every later one; a rejected cache is compiled afresh, as canon does.
// Only graphs of plain ES modules (no CommonJS, JSON, Wasm, phases or import
// attributes) have a floor: any other graph exits 3 with the reason.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const [graphFile, cacheFile] = process.argv.slice(2);
const graph = JSON.parse(readFileSync(graphFile, 'utf8'));

for (const m of graph.modules) {
  const plain = m.kind === 'js' && Object.keys(m.attributes).length === 0 && m.imports.every((i) => i.phase === null && Object.keys(i.attributes).length === 0);
  if (!plain) {
    process.stderr.write(`no vm floor for this graph: ${m.key} is not a plain ES module graph (${m.kind})\n`);
    process.exit(3);
  }
}

// The code cache file: [u32 count][u32 length]*count then the caches, in graph order.
let caches;
if (cacheFile && existsSync(cacheFile)) {
  const data = readFileSync(cacheFile);
  const count = data.readUInt32LE(0);
  caches = [];
  let at = 4 + 4 * count;
  for (let i = 0; i < count; i++) {
    const length = data.readUInt32LE(4 + 4 * i);
    caches.push(data.subarray(at, at + length));
    at += length;
  }
}

const modules = new Map();
const made = [];
graph.modules.forEach((m, i) => {
  const text = readFileSync(fileURLToPath(m.key), 'utf8');
  const options = { identifier: m.key, initializeImportMeta: (meta) => { meta.url = m.key; } };
  let module = new vm.SourceTextModule(text, caches?.[i]?.length ? { ...options, cachedData: caches[i] } : options);
  if (module.cachedDataRejected) module = new vm.SourceTextModule(text, options);
  if (cacheFile && !caches) made.push(module.createCachedData());
  modules.set(m.key, { module, imports: new Map(m.imports.map((i) => [i.specifier, i.key])) });
});

const byModule = new Map([...modules.values()].map((r) => [r.module, r]));
const root = modules.get(graph.root).module;
await root.link((specifier, referrer) => modules.get(byModule.get(referrer).imports.get(specifier)).module);
await root.evaluate();

if (made.length) {
  const header = Buffer.alloc(4 + 4 * made.length);
  header.writeUInt32LE(made.length, 0);
  made.forEach((c, i) => header.writeUInt32LE(c.length, 4 + 4 * i));
  writeFileSync(cacheFile, Buffer.concat([header, ...made]));
}
