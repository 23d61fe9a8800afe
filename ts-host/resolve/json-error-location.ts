// Where JSON text that JSON.parse rejected is broken: line, column and a code
// frame, for messages that name `file:line:column` as compilers do.
//
// JSON.parse stays the judge of what is valid (V8's parser is the one Node
// and browsers use); this only locates. V8 gives the offset in most of its
// messages ("... in JSON at position 38") but not in all of them
// ("Unexpected token 'x', "..." is not valid JSON", "Unexpected end of JSON
// input"); there jsonc-parser, in its strict mode (no comments, no trailing
// commas, no empty text), finds the first error's offset. Both are loaded
// only on this error path.

import { createRequire } from '../builtins.js';

const require = createRequire(import.meta.url);

export interface JSONErrorLocation {
  /** The offset into the text (UTF-16 code units, as V8's positions). */
  offset: number;
  /** 1-based line; lines end at \n, \r\n, \r, U+2028 and U+2029, as in JavaScript (and as the code frame counts them). */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
  /** V8's message without the position and without the text it quotes back (which can be the whole file). */
  reason: string;
  /** The offending line between its neighbours, with a caret under the column (no colour). */
  frame: string;
}

const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;
// "... in JSON at position 38" (Node 20), "... in JSON at position 38 (line 4 column 3)" (Node 22+),
// "Unexpected non-whitespace character after JSON at position 16".
const POSITION = / (?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/;
// Node 20+ quote the text back: `Unexpected token 'x', "{"imports": x}" is not valid JSON`, a long
// text cut with "..." at either end.
const QUOTED_TEXT = /, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s;
// A frame shows at most this many columns of a line: a minified map is one long line.
const FRAME_WIDTH = 100;

/** The location of `error`, which JSON.parse(text) threw. */
export function locateJSONError(text: string, error: unknown): JSONErrorLocation {
  const message = error instanceof Error ? error.message : String(error);
  const stated = POSITION.exec(message);
  const offset = Math.min(text.length, stated ? Number(stated[1]) : firstErrorOffset(text));
  const reason = message.replace(POSITION, '').replace(QUOTED_TEXT, '');
  const { line, column, lineStart, lineEnd } = lineAndColumn(text, offset);
  return { offset, line, column, reason, frame: codeFrame(text, line, column, lineStart, lineEnd) };
}

/** The offset of the first error jsonc-parser finds in strict mode; the end of the text if it finds none. */
function firstErrorOffset(text: string): number {
  const { visit } = require('jsonc-parser') as typeof import('jsonc-parser');
  let first: number | undefined;
  visit(
    text,
    {
      onError(_error, offset) {
        first ??= offset;
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  return first ?? text.length;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number; lineStart: number; lineEnd: number } {
  let line = 1;
  let lineStart = 0;
  LINE_BREAK.lastIndex = 0;
  for (let m = LINE_BREAK.exec(text); m !== null && m.index < offset; m = LINE_BREAK.exec(text)) {
    // An offset inside "\r\n" (at its "\n") belongs to the line the "\r" ends.
    if (m.index + m[0].length > offset) break;
    line++;
    lineStart = m.index + m[0].length;
  }
  LINE_BREAK.lastIndex = lineStart;
  const next = LINE_BREAK.exec(text);
  return { line, column: offset - lineStart + 1, lineStart, lineEnd: next ? next.index : text.length };
}

interface CodeFrame {
  codeFrameColumns(rawLines: string, location: { start: { line: number; column?: number } }, options?: { highlightCode?: boolean; linesAbove?: number; linesBelow?: number; startLine?: number }): string;
}

/**
 * @babel/code-frame over the line before, the offending line and the line
 * after; where the offending line is long, every line is cut to the same
 * window of columns around the caret, marked with "…" at a cut.
 */
function codeFrame(text: string, line: number, column: number, lineStart: number, lineEnd: number): string {
  const { codeFrameColumns } = require('@babel/code-frame') as CodeFrame;
  const lines = text.split(LINE_BREAK);
  const first = Math.max(1, line - 1);
  let shown = lines.slice(first - 1, line + 1);
  let caret = column;
  if (lineEnd - lineStart > FRAME_WIDTH) {
    const from = Math.max(0, column - 1 - FRAME_WIDTH / 2);
    const to = from + FRAME_WIDTH;
    shown = shown.map((l) => (from > 0 && l.length > from ? '…' : '') + l.slice(from, to) + (l.length > to ? '…' : ''));
    caret = column - from + (from > 0 ? 1 : 0);
  }
  return codeFrameColumns(shown.join('\n'), { start: { line, column: caret } }, { highlightCode: false, linesAbove: 1, linesBelow: 1, startLine: first });
}
