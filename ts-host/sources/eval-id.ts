// Eval ids: the primary key of a source made from text with no URL root
// (DESIGN "Keying"). Unique within the agent, never reused, and fresh at
// every deserialization, so a cloned eval-ish source never aliases the
// original's instance.

import { randomBytes } from '../core/seed.js';

let agent: string | undefined;
let next = 0;

export function newEvalId(): string {
  // Made on first use: 32 random bits, as the first 8 hex digits of a UUID were.
  agent ??= Array.from(randomBytes(4), (b) => b.toString(16).padStart(2, '0')).join('');
  return `eval:${agent}-${(next++).toString(36)}`;
}
