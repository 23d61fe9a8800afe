// A command whose output goes to a pipe that closes early (`canon graph app.js
// | head -1`) ends quietly, as other command-line tools do: Node ignores
// SIGPIPE, so the next write fails with EPIPE, which without a listener is an
// uncaught 'error' event (a stack trace and exit 1). Not for `canon run`: there
// stdout is the program's, which gets what it would get under node.

/** Makes EPIPE on stdout end the process with the exit code found so far (0 unless the command already failed), and ignores it on stderr. */
export function endQuietlyOnClosedOutput(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    // Anything still buffered for stdout can never arrive: leave now.
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
