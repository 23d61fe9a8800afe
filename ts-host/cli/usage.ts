// The two kinds of error the CLI reports as one plain line (no error name,
// no stack): the README's exit-code table lists their codes.

/** The command line itself is wrong: unknown command or option, missing or extra argument, bad option value. Exit 9, node's code for bad options. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 9;
}

/** A command that cannot do its job for a reason one line says (a file it cannot read). Exit 1. */
export class CommandError extends Error {
  override name = 'CommandError';
  readonly exitCode = 1;
}
