// A code frame (the source lines around a position, a caret under it) by
// @babel/code-frame, the ecosystem's code-frame library. It is loaded on
// first use: only a failing program pays for it.

import { createRequire } from '../builtins.js';
import type * as BabelCodeFrame from '@babel/code-frame';

let loaded: typeof BabelCodeFrame | undefined;

/** A position in a text: 1-based line and column (UTF-16 code units); `endColumn` (exclusive) widens the caret. */
export interface FramePosition {
  line: number;
  column: number;
  endColumn?: number | undefined;
}

/**
 * The frame of `text` at `at`: two lines above and one below the marked line,
 * a gutter of line numbers, `^` under the position (one per character up to
 * `endColumn`). Syntax-highlighted only when `colour` is true (the caller
 * decides, see colour.ts: the library's own guess looks at stdout).
 */
export function codeFrame(text: string, at: FramePosition, colour: boolean): string {
  loaded ??= createRequire(import.meta.url)('@babel/code-frame') as typeof BabelCodeFrame;
  const end = at.endColumn !== undefined && at.endColumn > at.column ? { line: at.line, column: at.endColumn } : undefined;
  // A file's last newline ends its last line; it does not start another to show (unless
  // the position is there: the end of the input).
  const last = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  const lines = at.line <= last.split('\n').length ? last : text;
  return loaded.codeFrameColumns(lines, { start: { line: at.line, column: Math.max(at.column, 1) }, end }, {
    highlightCode: colour,
    forceColor: colour,
    linesAbove: 2,
    linesBelow: 1,
  });
}
