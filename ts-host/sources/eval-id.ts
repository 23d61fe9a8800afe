// Eval ids: the primary key of a source made from text with no URL root
// (DESIGN "Keying"). Unique within the agent, never reused, and fresh at
// every deserialization, so a cloned eval-ish source never aliases the
// original's instance.

import { randomUUID } from 'node:crypto';

const agent = randomUUID().slice(0, 8);
let next = 0;

export function newEvalId(): string {
  return `eval:${agent}-${(next++).toString(36)}`;
}
