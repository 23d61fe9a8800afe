// Promise plumbing that a program cannot observe. `.then()`, `.catch()`,
// Promise.race() and an async function returning a promise all call
// Promise.prototype.then, which a program may replace (test262's
// promise-prototype-then-not-called: import.defer must not call it); `await`
// of a native promise does not. Every wait inside the loader goes through
// these.

/** `promise`'s settling, ignoring a rejection; never rejects. */
export async function settled(promise: Promise<unknown> | undefined): Promise<void> {
  try {
    await promise;
  } catch {
    // the caller only waits
  }
}

/** `value` once `promise` settles, whichever way. */
export async function settledWith<T>(promise: Promise<unknown>, value: T): Promise<T> {
  await settled(promise);
  return value;
}

/** The value of the first of `promises` to fulfil (Promise.race for promises that never reject). */
export function firstOf<T>(promises: Iterable<Promise<T>>): Promise<T> {
  return new Promise<T>((resolve) => {
    for (const promise of promises) {
      void (async () => resolve(await promise))();
    }
  });
}
