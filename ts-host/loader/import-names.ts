// The names one static import or export-from statement takes from its
// module: what a dynamic (CommonJS) record must provide. Read from the
// statement's text up to its specifier, which the lexer has already found:
//
//   import d, { a, b as c, "x y" as e } from   →  default, a, b, "x y"
//   import * as ns from / export * from       →  (none: the namespace)
//   export { a, b as c } from                 →  a, b
//   import "m"                                →  (none)

import { skipTrivia } from '../sources/analyze-js.js';

/** The first character at or after `i` that is not whitespace or a comment, at most `end`. */
function skipTriviaTo(text: string, i: number, end: number): number {
  return Math.min(skipTrivia(text, i), end);
}

// Built on first use: its Unicode tables cost about 0.3 ms of start-up otherwise (see analyze-js.ts isIdentifierPart).
let identifier: RegExp | undefined;

/** Reads an identifier or a string literal at `i`: [its value, the index after it]. */
function readName(text: string, i: number): [string, number] | undefined {
  const quote = text[i];
  if (quote === '"' || quote === "'") {
    let j = i + 1;
    while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
    try {
      return [JSON.parse(quote === '"' ? text.slice(i, j + 1) : `"${text.slice(i + 1, j).replace(/"/g, '\\"')}"`) as string, j + 1];
    } catch {
      return [text.slice(i + 1, j), j + 1];
    }
  }
  identifier ??= /[\p{ID_Continue}$\u200c\u200d\\]+/uy;
  identifier.lastIndex = i;
  const m = identifier.exec(text);
  return m ? [m[0], i + m[0].length] : undefined;
}

/**
 * The export names a statement imports from its module (`statementStart` at
 * `import`/`export`, `specifierStart` at the specifier's opening quote).
 * Unknown shapes give none: the engine reports real syntax errors itself.
 */
export function importedNames(text: string, statementStart: number, specifierStart: number): string[] {
  const end = specifierStart - 1;
  const names: string[] = [];
  let i = skipTriviaTo(text, statementStart + 6, end);
  const isExport = text.startsWith('export', statementStart);
  for (;;) {
    i = skipTriviaTo(text, i, end);
    if (i >= end) return names;
    const c = text[i];
    if (c === '*') return names; // a namespace: needs no particular name
    if (c === ',') {
      i++;
      continue;
    }
    if (c === '{') {
      i++;
      for (;;) {
        i = skipTriviaTo(text, i, end);
        if (i >= end || text[i] === '}') break;
        if (text[i] === ',') {
          i++;
          continue;
        }
        const name = readName(text, i);
        if (!name) return names;
        // `type x` (TypeScript) is rejected by the lexer before this runs.
        names.push(name[0]);
        i = skipTriviaTo(text, name[1], end);
        if (text.startsWith('as', i)) {
          const local = readName(text, skipTriviaTo(text, i + 2, end));
          if (!local) return names;
          i = local[1];
        }
      }
      i++;
      continue;
    }
    const word = readName(text, i);
    if (!word) return names;
    if (word[0] === 'from') return names;
    // `import d from`: a default import (the lexer has turned phase keywords into requests of their own).
    if (!isExport) names.push('default');
    i = word[1];
  }
}
