// The floor under any CommonJS loader on this Node, for bench:graph's
// whole-process table (the CommonJS counterpart of vm-floor.mjs): the
// program's modules read, compiled with vm.compileFunction and run, every
// require answered from the resolutions an earlier node run recorded
// (record-requires.cjs) instead of searching the file system. What is left
// is reading, V8's compile, the modules' own code and Node's start-up; a
// loader that resolves (as a first run must) does more.
//
//   node vm-floor-cjs.cjs ANSWERS.json ENTRY [CODE-CACHE-FILE]
//
// With CODE-CACHE-FILE, the floor of a warm run: compileFunction's code
// caches, made by the first run (which writes the file), given to V8 by
// later ones. Requests the answers do not cover (builtins, .mjs, .node, a
// require with options) go to Node's own require.
'use strict';
const { existsSync, readFileSync, realpathSync, writeFileSync } = require('node:fs');
const { dirname, isAbsolute, resolve } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const [answersFile, entry, cacheFile] = process.argv.slice(2);
const answers = JSON.parse(readFileSync(answersFile, 'utf8'));
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

// Code caches: a JSON index line ({file: [offset, length]}) then the caches.
let caches;
if (cacheFile && existsSync(cacheFile)) {
  const data = readFileSync(cacheFile);
  const newline = data.indexOf(10);
  const index = JSON.parse(data.subarray(0, newline).toString());
  caches = new Map(Object.entries(index).map(([file, [at, length]]) => [file, data.subarray(newline + 1 + at, newline + 1 + at + length)]));
}
const made = [];

const cache = Object.create(null);
let mainModule;

function load(filename, parent) {
  const cached = cache[filename];
  if (cached) return cached.exports;
  const module = new Module(filename, parent);
  module.filename = filename;
  module.paths = [];
  mainModule ??= module;
  cache[filename] = module;
  const text = readFileSync(filename, 'utf8');
  if (filename.endsWith('.json')) {
    module.exports = JSON.parse(text);
  } else {
    const cachedData = caches?.get(filename);
    const fn = vm.compileFunction(text, PARAMS, { filename, ...(cachedData ? { cachedData } : cacheFile && !caches ? { produceCachedData: true } : {}) });
    if (fn.cachedData) made.push([filename, fn.cachedData]);
    const known = answers[dirname(filename)] ?? {};
    const require = (request) => {
      const file = known[request];
      if (file === undefined || !isAbsolute(file) || file.endsWith('.mjs') || file.endsWith('.node')) {
        if (module.paths.length === 0) module.paths = Module._nodeModulePaths(dirname(filename));
        return module.require(request);
      }
      return load(file, module);
    };
    require.resolve = (request) => known[request] ?? Module._resolveFilename(request, module);
    require.cache = cache;
    require.main = mainModule;
    fn.call(module.exports, module.exports, require, module, filename, dirname(filename));
  }
  module.loaded = true;
  return module.exports;
}

// As Node keys modules, by real path (the recorded answers are real paths too).
load(realpathSync(resolve(entry)), null);

if (made.length) {
  process.on('exit', () => {
    let at = 0;
    const index = {};
    for (const [file, data] of made) index[file] = [at, data.length], at += data.length;
    writeFileSync(cacheFile, Buffer.concat([Buffer.from(JSON.stringify(index) + '\n'), ...made.map((m) => m[1])]));
  });
}
