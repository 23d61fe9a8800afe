// Where, in an importing module's text, a failed request was written: the
// imported name a missing or ambiguous export names (Node's caret is under
// it), or the specifier of a request that did not resolve or load.

import { lexModule, lineColumn } from '../sources/analyze-js.js';
import type { FramePosition } from './code-frame.js';

/** One token of an import/export clause: a name, a string name, a comma; comments skipped by the caller. */
const clauseToken = (): RegExp => /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[\p{ID_Start}$_\\][\p{ID_Continue}$\u200c\u200d\\]*|[{},*]/gu;

function position(text: string, start: number, end: number): FramePosition {
  const { line, column } = lineColumn(text, start);
  return { line, column, endColumn: column + (end - start) };
}

/**
 * Where `name` is imported from `specifier` in `text`: in `import { name as x }`,
 * `export { name } from`, `import x from` (for "default", the binding
 * itself, as V8 marks it). Undefined when no static import of the specifier
 * names it.
 */
export function importedNameSite(text: string, specifier: string, name: string): FramePosition | undefined {
  let lex;
  try {
    lex = lexModule(text);
  } catch {
    return undefined;
  }
  for (const site of lex.staticImports) {
    if (lex.imports[site.request]?.specifier !== specifier) continue;
    const clauseStart = site.statementStart + 6; // after `import` / `export`
    const clauseEnd = text.lastIndexOf('from', site.specifierStart);
    let inBraces = false;
    let expectName = true;
    let first = true;
    // A new regex per call (an error path): building it at load cost every process about 0.1 ms.
    const tokens = clauseToken();
    tokens.lastIndex = clauseStart;
    for (let m = tokens.exec(text); m && m.index < clauseEnd; m = tokens.exec(text)) {
      const token = m[0];
      if (token.startsWith('//') || token.startsWith('/*')) continue;
      if (token === '{') inBraces = true;
      else if (token === '}') inBraces = false;
      else if (token === ',') expectName = true;
      else if (inBraces && expectName) {
        expectName = false;
        const imported = token.startsWith("'") || token.startsWith('"') ? token.slice(1, -1) : token;
        if (imported === name) return position(text, m.index, m.index + token.length);
      } else if (first && !inBraces && name === 'default' && token !== '*' && text.startsWith('import', site.statementStart)) {
        return position(text, m.index, m.index + token.length);
      }
      first = false;
    }
  }
  return undefined;
}

/**
 * Where `specifier` is written in `text`, quotes included: its static
 * import, else its dynamic import, else the first string literal that
 * spells it (a require() call).
 */
export function specifierSite(text: string, specifier: string): FramePosition | undefined {
  try {
    const lex = lexModule(text);
    for (const site of lex.staticImports) {
      if (lex.imports[site.request]?.specifier === specifier) return position(text, site.specifierStart - 1, site.specifierEnd + 1);
    }
    for (const site of lex.dynamicImports) {
      if (site.specifier === specifier) return position(text, site.argumentStart, site.argumentEnd);
    }
  } catch {
    // Not a module the lexer reads (a CommonJS or classic script): look for the literal.
  }
  for (const quote of ["'", '"', '`']) {
    const at = text.indexOf(quote + specifier + quote);
    if (at >= 0) return position(text, at, at + specifier.length + 2);
  }
  return undefined;
}
