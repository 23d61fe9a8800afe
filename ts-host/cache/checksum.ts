// The checksum of cache records and of the index: the low 32 bits of XXH64
// (seed 0), computed by canon's Wasm core, which every process that uses the
// cache has loaded already. It guards against corruption (a torn write, a
// flipped bit, a truncated file), not against forgery: a record is trusted
// only when the 128-bit content hash of the module's bytes also matches
// (module-cache.ts). It replaced CRC-32, whose native version meant loading
// node:zlib (1.3 ms of a process on Node 20, 2.3 ms on Node 26) and whose JS
// loop cost a warm run of lodash-es about 3 ms on Node 26.

import { engineCore } from '../engine-core.js';

export function checksum32(data: Uint8Array): number {
  return Number(engineCore().hash64(data, 0) & 0xffff_ffffn);
}
