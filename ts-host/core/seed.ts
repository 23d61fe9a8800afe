// The per-process hash seed. Seeds are random by default so that hash
// flooding cannot be planned from outside; tests pass a fixed seed instead.

import { getRandomValues } from 'node:crypto';

function randomSeed(): bigint {
  const words = getRandomValues(new Uint32Array(2));
  return (BigInt(words[1]!) << 32n) | BigInt(words[0]!);
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
