// Gate "transfer" (seed 003): a source leaving a registry (serialized for
// postMessage, a worker, a file) or entering one (deserialized). Checked by
// the source's key: its URL, or its eval id for an eval-ish source (which
// on the way in also passes gate "create").

import { deserializeSource, serializeSource, type SerializedSource } from '../sources/clone.js';
import { sourceInfo, type AnyModuleSource } from '../sources/identity.js';
import type { SourceRealm } from '../sources/source-realm.js';
import type { Policy } from './policy.js';

export function transferOut(policy: Policy | undefined, source: AnyModuleSource): SerializedSource {
  if (policy) {
    const key = sourceInfo(source).key;
    policy.checkTransfer(key, 'out', { url: key });
  }
  return serializeSource(source);
}

export function transferIn(policy: Policy | undefined, record: SerializedSource, realm?: SourceRealm): AnyModuleSource {
  if (policy) {
    // What the record claims to be, before anything is compiled from it: its URL, or (eval-ish) a fresh eval id.
    const key = typeof record?.url === 'string' ? record.url : 'eval:';
    policy.checkTransfer(key, 'in', { url: key });
  }
  return deserializeSource(record, realm);
}
