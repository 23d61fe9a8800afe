// Whether canon's own diagnostics may be coloured: Node's rule for its own
// output (lib/internal/util/colors.js shouldColorize, lib/internal/tty.js
// getColorDepth), so `canon run` colours exactly when `node` would.

/** The parts of a stream the rule reads (process.stderr, a tty.WriteStream or a pipe). */
export interface ColourTarget {
  isTTY?: boolean;
  getColorDepth?(env?: NodeJS.ProcessEnv): number;
}

/**
 * FORCE_COLOR set: colour unless it is "0"/"false" (or a value Node does not
 * know), whatever the stream and NO_COLOR. Otherwise only on a TTY, and not
 * with NO_COLOR, NODE_DISABLE_COLORS or TERM=dumb (the stream's own colour
 * depth says so where it has one).
 */
export function shouldColour(stream: ColourTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force === '' || force === '1' || force === 'true' || force === '2' || force === '3';
  if (!stream.isTTY) return false;
  if (env.NO_COLOR !== undefined || env.NODE_DISABLE_COLORS !== undefined || env.TERM === 'dumb') return false;
  return typeof stream.getColorDepth === 'function' ? stream.getColorDepth(env) > 2 : true;
}
