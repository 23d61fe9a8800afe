// Synchronous evaluation of a linked module (deferred namespaces, import.sync).
// Node's vm evaluate() runs the module body before it returns its promise,
// so a graph without top-level await is evaluated by the time it returns.

import { describeSite, type ErrorSite } from '../errors.js';
import type { Entry } from './entry.js';
import { evaluationFailures } from './link.js';

export function evaluateSync(entry: Entry, site: ErrorSite): void {
  const module = entry.module!;
  const status: string = module.status;
  if (status === 'evaluated') return;
  if (status === 'errored') throw module.error;
  if (status === 'evaluating') {
    throw new TypeError(`The module ${entry.key} is being evaluated; it cannot be used during its own evaluation` + describeSite(site));
  }
  module.evaluate().catch(() => undefined);
  if ((module.status as string) === 'errored') {
    evaluationFailures.seen = true;
    throw module.error;
  }
}
