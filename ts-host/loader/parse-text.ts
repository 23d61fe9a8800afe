// Text modules (tc39/proposal-import-text): `import s from "./f" with { type:
// "text" }` gives the file's contents, UTF-8 decoded, as the default export,
// whatever the file is. No requests, no source phase; keyed by URL and
// attributes like any module.

import type { Loaded } from './load.js';

const NO_IDS = new Uint32Array(0);

export function textLoaded(text: string, hash: bigint): Loaded {
  return { kind: 'text', source: undefined, value: text, hash, text, requests: [], specifierIds: NO_IDS, compileText: undefined };
}
