// canon's own Wasm core, imported as a WebAssembly ES module. Its imports
// (module "env": memory and abort) are resolved through the import map to
// env.js; its exports are the raw core functions. The hashes it computes are
// checked against the JS API of the same core (canon-modules/core).
//
//   node dist/ts-host/cli.js run --import-map examples/wasm-core/importmap.json examples/wasm-core/main.js
import * as core from '../../build/release.wasm';
import { memory } from 'env';
import { createCore } from 'canon-modules/core';

/** Copies bytes into the core's memory; pointers cross as i32, so read them with >>> 0. */
function copyIn(bytes) {
  const ptr = core.alloc(bytes.length) >>> 0;
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes); // after alloc: memory may have grown
  return ptr;
}

/** XXH64 through the Wasm ES module; i64 results arrive as signed BigInts. */
function xxh64(bytes, seed) {
  const ptr = copyIn(bytes);
  try {
    return BigInt.asUintN(64, core.xxh64(ptr, bytes.length, seed));
  } finally {
    core.free(ptr);
  }
}

const hex = (n) => `0x${n.toString(16).padStart(16, '0')}`;
const api = createCore();
const inputs = ['', 'canon', 'a module registry engine for JavaScript and WebAssembly'];
console.log(`canon's core as a Wasm ES module: ${Object.keys(core).length} exports, memory of ${memory.buffer.byteLength / 65536} page(s)`);
let agree = true;
for (const text of inputs) {
  for (const seed of [0n, 2026n]) {
    const bytes = new TextEncoder().encode(text);
    const viaModule = xxh64(bytes, seed);
    const viaAPI = api.hash64(bytes, seed);
    agree &&= viaModule === viaAPI;
    console.log(`xxh64(${JSON.stringify(text)}, seed ${seed}) = ${hex(viaModule)} ${viaModule === viaAPI ? '(= canon-modules/core hash64)' : `(canon-modules/core says ${hex(viaAPI)})`}`);
  }
}
// The reference value of XXH64 of no bytes with seed 0 (xxHash's test vectors).
console.log(`XXH64 reference for "" matches: ${xxh64(new Uint8Array(0), 0n) === 0xef46db3751d8e999n}`);
if (!agree) process.exitCode = 1;
