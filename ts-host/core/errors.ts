// Errors raised by the Wasm core. Each has a stable `code` so callers can
// branch on it without matching messages, and keeps its built-in class's
// `name` (RangeError, TypeError), as Node's own errors do.

/** Linear memory could not grow to fit a table, an arena or a buffer. */
export class CanonMemoryLimitError extends RangeError {
  readonly code = 'ERR_CANON_MEMORY_LIMIT';
  constructor(
    /** What was being allocated, e.g. "interner.intern". */
    readonly operation: string,
    /** The size of the allocation that failed, in bytes. */
    readonly requestedBytes: number,
    /** The memory's maximum, in bytes. */
    readonly limitBytes: number,
    /** The memory's size when the allocation failed, in bytes. */
    readonly usedBytes: number,
  ) {
    super(
      `${operation}: cannot allocate ${requestedBytes} bytes: the Wasm memory limit is ` +
        `${limitBytes} bytes and ${usedBytes} are in use; nothing was changed`,
    );
  }
}

/** A handle (interner, table, buffer) was used after it was freed. */
export class CanonFreedHandleError extends TypeError {
  readonly code = 'ERR_CANON_FREED_HANDLE';
  constructor(what: string) {
    super(`${what} has been freed`);
  }
}
