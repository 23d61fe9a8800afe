// CRC-32 (the zlib polynomial) for cache records and the index: zlib's
// native one where Node has it (20.15 and newer), loaded on first use so that
// a process that never checks a record does not load zlib; a table-driven
// one in JS otherwise.

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

export function crc32(data: Uint8Array): number {
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
