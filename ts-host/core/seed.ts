// The per-process hash seed. Seeds are random by default so that hash
// flooding cannot be planned from outside; tests pass a fixed seed instead.

import { createRequire, fs } from '../builtins.js';

const { closeSync, openSync, readSync } = fs;

/**
 * `n` random bytes from the operating system. Read from /dev/urandom where
 * there is one: loading node:crypto costs about 2 ms of start-up, the
 * largest single item of an empty `canon run`.
 */
export function randomBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  if (process.platform !== 'win32') {
    try {
      const fd = openSync('/dev/urandom', 'r');
      try {
        if (readSync(fd, bytes, 0, n, null) === n) return bytes;
      } finally {
        closeSync(fd);
      }
    } catch {
      /* no /dev/urandom: use node:crypto */
    }
  }
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.getRandomValues(bytes);
}

function randomSeed(): bigint {
  const b = randomBytes(8);
  return new DataView(b.buffer).getBigUint64(0, true);
}

/** The seed every core in this process uses unless told otherwise. */
export const PROCESS_SEED: bigint = randomSeed();

/** Validates a user-supplied seed: an unsigned 64-bit integer. */
export function toSeed(seed: bigint | number, what = 'seed'): bigint {
  const value = typeof seed === 'number' ? BigInt(seed) : seed;
  if (typeof value !== 'bigint' || value < 0n || value > 0xFFFF_FFFF_FFFF_FFFFn) {
    throw new RangeError(`${what} must be an unsigned 64-bit integer, got ${String(seed)}`);
  }
  return value;
}
