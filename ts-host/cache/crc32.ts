// CRC-32 (the zlib polynomial) for cache records and the index: a
// table-driven one in JS for the first 256 KB a process checks (an index and
// the records of a small program), then zlib's native one (Node 20.15 and
// newer): loading node:zlib costs 1.3 ms of a process on Node 20 and 2.3 ms on
// Node 26, which every warm run of a small program paid for a 156-byte index,
// while the JS loop, still warming up through V8's tiers, costs about that
// for a few hundred kilobytes.

import { createRequire } from '../builtins.js';

let native: ((data: Uint8Array) => number) | null | undefined;
let table: Uint32Array | undefined;

function crc32js(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** How many bytes the JS loop checks before zlib is loaded for the rest of the process. */
const JS_BUDGET = 256 * 1024;
let checkedInJs = 0;

export function crc32(data: Uint8Array): number {
  if (native === undefined && checkedInJs + data.length <= JS_BUDGET) {
    checkedInJs += data.length;
    return crc32js(data);
  }
  if (native === undefined) {
    const zlib = createRequire(import.meta.url)('node:zlib') as { crc32?: (data: Uint8Array) => number };
    native = typeof zlib.crc32 === 'function' ? zlib.crc32 : null;
  }
  return native ? native(data) : crc32js(data);
}

/** @internal Tests: the JS implementation, as on Node releases without zlib.crc32. */
export function useJsCrc32(): void {
  native = null;
}
