// Columns in lowered code back to the program's own. canon's lowering
// (loader/lower.ts) keeps every line where it was but lengthens an edited
// line after the edit (`import.source(` becomes `import.meta.canonImportSource(`):
// a stack frame of the compiled text has the right line and, on such a line,
// a column further right than in the file. The edits say by how much.

import type { Edit } from '../loader/lower.js';

/**
 * The column (1-based) in `text` of `column` on `line` of the text the
 * engine compiled, which is `text` with `edits` applied. A position inside
 * inserted text maps to where the edit starts.
 */
export function originalColumn(text: string, edits: readonly Edit[], line: number, column: number): number {
  let lineStart = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', lineStart);
    if (next < 0) return column;
    lineStart = next + 1;
  }
  const ascending = [...edits].sort((a, b) => a.start - b.start);
  let shift = 0; // lowered offset minus original offset so far
  for (const edit of ascending) {
    if (edit.start >= lineStart) break;
    shift += edit.text.length - (edit.end - edit.start);
  }
  const lowered = lineStart + shift + column - 1;
  for (const edit of ascending) {
    if (edit.start < lineStart) continue;
    const start = edit.start + shift;
    if (lowered < start) break;
    if (lowered < start + edit.text.length) return edit.start - lineStart + 1;
    shift += edit.text.length - (edit.end - edit.start);
  }
  return lowered - shift - lineStart + 1;
}
