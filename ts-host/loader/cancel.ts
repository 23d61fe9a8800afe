// Waiting that can be given up: an import's AbortSignal and the registry's
// load timeout. A wait given up leaves the underlying work running (a load
// hook cannot be stopped from outside); its result is ignored.

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    // Awaited, not .then(): a program may have replaced Promise.prototype.then (loader/promises.ts).
    void (async () => {
      try {
        const value = await promise;
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      } catch (error) {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      }
    })();
  });
}

/** `promise`, or a rejection with `timeoutError()` after `ms` milliseconds (no limit when ms is undefined). */
export function withTimeout<T>(promise: Promise<T>, ms: number | undefined, timeoutError: () => Error): Promise<T> {
  if (ms === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms);
    void (async () => {
      try {
        const value = await promise;
        clearTimeout(timer);
        resolve(value);
      } catch (error) {
        clearTimeout(timer);
        reject(error);
      }
    })();
  });
}

/** Validates a timeout option: a positive finite number of milliseconds, or undefined. */
export function timeoutOption(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypeError(`${what} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}
