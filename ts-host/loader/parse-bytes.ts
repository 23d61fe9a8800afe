// Bytes modules (tc39/proposal-import-bytes): `import b from "./f" with {
// type: "bytes" }` gives a Uint8Array of the file's bytes as the default
// export, backed by an immutable ArrayBuffer (the immutable-arraybuffer
// proposal's transferToImmutable) where the engine has one. Elsewhere the
// buffer is an ordinary one: no userland object can refuse writes through a
// Uint8Array view. No requests, no source phase.

import type { Loaded } from './load.js';

const NO_IDS = new Uint32Array(0);

type ImmutableCapable = ArrayBuffer & { transferToImmutable?: () => ArrayBuffer };

/** The bytes in a buffer of their own, made immutable where the engine can. */
export function immutableBytes(bytes: Uint8Array, Bytes: Uint8ArrayConstructor = Uint8Array): Uint8Array {
  // The realm's Uint8Array (and so its ArrayBuffer), for a registry in a vm context.
  const copy = new Bytes(bytes.length);
  copy.set(bytes);
  const buffer = copy.buffer as ImmutableCapable;
  return new Bytes(typeof buffer.transferToImmutable === 'function' ? buffer.transferToImmutable() : buffer);
}

export function bytesLoaded(bytes: Uint8Array, hash: bigint, Bytes: Uint8ArrayConstructor = Uint8Array): Loaded {
  return { kind: 'bytes', source: undefined, value: immutableBytes(bytes, Bytes), hash, text: undefined, requests: [], specifierIds: NO_IDS, compileText: undefined };
}
