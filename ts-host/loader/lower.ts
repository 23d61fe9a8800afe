// Lowering: rewrites the import-phase syntax the engine may not parse into
// plain module syntax, driven by the lexer's positions. Every edit stays on
// its own line, so line numbers in stack traces are unchanged (columns move
// only on the edited line, after the edit). The source object keeps the
// original text; only the engine compiles the lowered one.
//
//   import source x from "m"      →  import        x from "m\u0000canon-source"
//   import.source(spec)           →  import.meta.canonImportSource(spec)
//   import(expr)                  →  import(import.meta.canonSpecifier(expr))
//
// The specifier suffix marks the request for the linker, which answers it
// with a module whose default export is the source. (A suffix, not an
// attribute: Node 20's linker keys requests by specifier alone.) A real
// specifier cannot contain NUL, so the mark cannot collide with one. canonSpecifier() lets a source
// object through the engine's ToString(specifier) as a one-time token.
// Canon lowers on every Node, also where the engine parses the syntax, so
// behaviour is the same everywhere.

import type { LexResult } from '../sources/analyze-js.js';

/** What a source-phase request's specifier ends with in lowered text. */
export const SOURCE_PHASE_MARK = '\u0000canon-source';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Index of the first character at or after `i` that is not whitespace or a comment. */
function skipTrivia(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029) {
      i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.slice(i).search(/[\n\r\u2028\u2029]/);
      i = end < 0 ? text.length : i + end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      return i;
    }
  }
}

/** The lowered text, or undefined when there is nothing to lower. */
export function lowerPhases(text: string, lex: LexResult): string | undefined {
  const edits: Edit[] = [];
  for (const site of lex.staticImports) {
    if (site.phase !== 'source') continue;
    const keyword = skipTrivia(text, site.statementStart + 'import'.length);
    edits.push({ start: keyword, end: keyword + 'source'.length, text: ' '.repeat('source'.length) });
    // Before the closing quote, written as an escape so the text stays printable.
    edits.push({ start: site.specifierEnd, end: site.specifierEnd, text: '\\u0000canon-source' });
  }
  for (const site of lex.dynamicImports) {
    if (site.phase === 'source') {
      edits.push({ start: site.start, end: site.openParen, text: 'import.meta.canonImportSource' });
    } else if (site.phase === null && site.specifier === undefined && site.argumentEnd > site.argumentStart) {
      edits.push({ start: site.argumentStart, end: site.argumentStart, text: 'import.meta.canonSpecifier(' });
      edits.push({ start: site.argumentEnd, end: site.argumentEnd, text: ')' });
    }
  }
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
