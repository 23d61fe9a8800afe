// Calling a registry's resolve hook: what it throws is wrapped in a
// HookError naming the hook (unless it is the default resolver's own error,
// passed on), and what it returns must be an absolute URL (a string or URL
// object), else a HookResultError says what came back.

import { HookError, HookResultError, shorten } from '../errors.js';
import type { DefaultResolve, ResolveHook } from '../registry-types.js';

export function runResolveHook(hook: ResolveHook, specifier: string, referrer: string, defaultResolve: DefaultResolve): string {
  // Errors the default resolver threw: a hook that lets one through passes it on as it is.
  const own = new WeakSet<object>();
  const next: DefaultResolve = (s, r) => {
    try {
      return defaultResolve(s, r);
    } catch (error) {
      if (typeof error === 'object' && error !== null) own.add(error);
      throw error;
    }
  };
  const site = { specifier, referrer, hook: 'resolve' as const };
  let result: unknown;
  try {
    result = hook(specifier, referrer, next);
  } catch (error) {
    if (typeof error === 'object' && error !== null && own.has(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new HookError(`The resolve hook failed: ${shorten(message, 500)}`, site, { cause: error });
  }
  if (result instanceof URL) return result.href;
  if (typeof result === 'string') {
    try {
      return new URL(result).href;
    } catch {
      throw new HookResultError(`The resolve hook returned ${JSON.stringify(shorten(result))}, which is not an absolute URL`, site);
    }
  }
  const what = result === null ? 'null' : typeof (result as { then?: unknown })?.then === 'function' ? 'a promise (resolve hooks are synchronous)' : typeof result;
  throw new HookResultError(`The resolve hook returned ${what}: expected an absolute URL string or a URL`, site);
}
