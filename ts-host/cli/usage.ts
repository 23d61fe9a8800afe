// Errors the CLI reports as usage mistakes (one line, exit 1, no stack).
export class UsageError extends Error {
  override name = 'UsageError';
}
