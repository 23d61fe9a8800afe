// Synchronous evaluation of a linked module (deferred namespaces, import.sync).
// Node's vm evaluate() runs the module body before it returns its promise,
// so a graph without top-level await is evaluated by the time it returns.

import { describeSite, type ErrorSite } from '../errors.js';
import { forEachDependency, type Entry } from './entry.js';
import { evaluationFailures } from './link.js';
import { settled } from './promises.js';

export function evaluateSync(entry: Entry, site: ErrorSite): void {
  const module = entry.module!;
  const status: string = module.status;
  if (status === 'evaluated') return;
  if (status === 'errored') throw module.error;
  if (status === 'evaluating') {
    throw new TypeError(`The module ${entry.key} is being evaluated; it cannot be used during its own evaluation` + describeSite(site));
  }
  void settled(module.evaluate());
  if ((module.status as string) === 'errored') {
    evaluationFailures.seen = true;
    throw module.error;
  }
}

/**
 * A module that evaluated, in an asynchronous cycle whose root then failed,
 * must reject with the root's error when imported again (the cycle root's
 * [[EvaluationError]]); V8 instead aborts the process when such a module is
 * evaluated again (a fatal check in Module::Evaluate, on Node 20 and 26
 * alike). This finds the failed module below an evaluated one, through static
 * imports (not deferred ones, whose failure is their own): its error is the
 * one to throw. Only asked once some evaluation has failed.
 */
export function failedBelowEvaluated(entry: Entry): Entry | undefined {
  if (!evaluationFailures.seen || entry.module?.status !== 'evaluated') return undefined;
  const seen = new Set<Entry>();
  const visit = (e: Entry): Entry | undefined => {
    if (seen.has(e)) return undefined;
    seen.add(e);
    if (e.module?.status === 'errored') return e;
    let found: Entry | undefined;
    forEachDependency(e, (dep, request) => {
      if (!found && request.phase === null) found = visit(dep);
    });
    return found;
  };
  return visit(entry);
}
